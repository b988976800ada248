/*
 * yaml_tree.h - YAML documents as small trees with line numbers, built
 * from libyaml's event parser (aliases are links, never copies; depth,
 * node count and alias walks are bounded). Shared by iac (deployment
 * files) and the scan's signature catalogue.
 */
#ifndef WD_YAML_TREE_H
#define WD_YAML_TREE_H
#include <stddef.h>

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP, Y_ALIAS };

/* A node of one document. Aliases are kept as links to the anchored node
 * (never copied), so a "billion laughs" file stays as small as its text;
 * whoever walks them pays into the document's budget. An anchor is only
 * registered once its node is complete, so the graph has no cycles. */
struct ynode {
  unsigned char kind;
  unsigned char quoted; /* scalar written in quotes: never a bool/null */
  int line, col;        /* 1-based */
  size_t n;             /* scalar length, items, or key/value pairs */
  union {
    char *s;                /* scalar, NUL-terminated */
    struct ynode **items;   /* seq: n items; map: 2n (key, value) */
    struct ynode *target;   /* alias */
  } u;
};

struct ydoc {
  struct ynode *root;
  long budget; /* alias and merge steps left; < 0 once exhausted */
  int exhausted;
};

/* Streams the documents of a YAML text. Limits: nesting depth, nodes per
 * document; an exceeded limit is an error like a syntax error. */
struct yloader;
struct yloader *yl_new(const char *data, size_t len);
void yl_free(struct yloader *l);
/* Starts l over on another text, keeping its memory (one chunk of the
 * node arena, the work stacks): a run that reads many files restarts one
 * loader instead of yl_free + yl_new per file. What yl_next returned
 * before is gone. Returns 0, or -1 if the parser could not start (free l). */
int yl_restart(struct yloader *l, const char *data, size_t len);
/* Returns 1 with the next document in doc (valid until the next call), 0
 * at the end of the stream, -1 on error (message "line:col: what" in err). */
int yl_next(struct yloader *l, struct ydoc *doc, char *err, size_t errlen);

/* Streams the first document of a large file without building all of
 * it: for each key of its top-level mapping, want() says what to do with
 * the value. YS_KEEP builds it into the document (as yl_next would),
 * YS_SKIP reads past it (an empty scalar stands in for it), YS_EACH (a
 * mapping) builds each of its entries on its own, hands it to each()
 * and frees it before the next one, so only one entry is ever held.
 * An entry's nodes are valid during each() only. Returns 1 with the kept
 * document in doc (valid until yl_free), 0 for an empty stream, -1 on
 * error (as yl_next; each() returning < 0 stops with its own err), -2
 * when an alias met an anchor that was skipped or freed with an earlier
 * entry: read the text again whole with yl_next. */
enum { YS_SKIP, YS_KEEP, YS_EACH };
struct ystream {
  void *ctx;
  int (*want)(void *ctx, const char *key);
  int (*each)(void *ctx, const char *key, const struct ynode *k, const struct ynode *v,
              struct ydoc *d, char *err, size_t errlen);
};
int yl_stream(struct yloader *l, const struct ystream *cb, struct ydoc *doc, char *err,
              size_t errlen);

/* Follows aliases (costs budget). NULL stays NULL. */
const struct ynode *y_deref(struct ydoc *d, const struct ynode *n);
/* Mapping lookup by key, following aliases and merge keys (<<). */
const struct ynode *y_get(struct ydoc *d, const struct ynode *map, const char *key);
/* Walks a path of keys separated by '.'. */
const struct ynode *y_path(struct ydoc *d, const struct ynode *map, const char *path);
/* The scalar string, or NULL if n is not a scalar (after deref). */
const char *y_str(struct ydoc *d, const struct ynode *n);
/* 1 true, 0 false, -1 absent or not a boolean (YAML 1.1 spellings). */
int y_bool(struct ydoc *d, const struct ynode *n);
/* Integer value in *v; returns 0, or -1 if not an integer. */
int y_int(struct ydoc *d, const struct ynode *n, long long *v);
/* Sequence length after deref (0 if not a sequence) and item i. */
size_t y_len(struct ydoc *d, const struct ynode *n);
const struct ynode *y_item(struct ydoc *d, const struct ynode *seq, size_t i);
/* The effective pairs of a mapping: its own keys, then the keys merged
 * in with << that it does not override. Returns the count; *out is a
 * heap array the caller frees (NULL when 0). */
struct ypair {
  const struct ynode *k, *v;
};
size_t y_pairs(struct ydoc *d, const struct ynode *map, struct ypair **out);
int y_is_map(struct ydoc *d, const struct ynode *n);
int y_is_seq(struct ydoc *d, const struct ynode *n);

#endif
