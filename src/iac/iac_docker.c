/*
 * iac_docker.c - Dockerfiles: a hand-written parser (parser directives,
 * line continuations with either escape character, comments inside
 * continuations, JSON and shell forms, heredocs) and the rules on the
 * image it builds.
 *
 * The parser keeps, for every instruction, a map from offsets in its
 * joined text back to physical lines, so a `curl | sh` on the fifth line
 * of a continued RUN is reported on that line. Only the final stage (and
 * the stages it is built FROM) decides the runtime user and whether the
 * image carries a Docker client.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"
#include "iac_int.h"

#define DF_MAX_ERRORS 10

struct df_seg {
  size_t off; /* where this physical line starts in text */
  int line;
};

struct df_ins {
  char kw[16]; /* upper case */
  int line, col;
  char *text;  /* arguments, continuations joined; then heredoc bodies */
  size_t len, args_len;
  struct df_seg *segs;
  size_t nsegs, capsegs;
};

struct df_file {
  struct df_ins *v;
  size_t n, cap;
  char esc;
  int nerrors;
};

struct df_lines {
  const char *p, *end;
  int line;
};

/* Next physical line without its newline (and \r). 0 at the end. */
static int next_line(struct df_lines *ls, const char **s, size_t *n, int *line)
{
  if(ls->p >= ls->end)
    return 0;
  const char *nl = memchr(ls->p, '\n', (size_t)(ls->end - ls->p));
  const char *e = nl ? nl : ls->end;
  *s = ls->p;
  *n = (size_t)(e - ls->p);
  if(*n && (*s)[*n - 1] == '\r')
    (*n)--;
  *line = ++ls->line;
  ls->p = nl ? nl + 1 : ls->end;
  return 1;
}

static void df_err(struct iac_ctx *c, const char *file, struct df_file *df,
                   int line, int col, const char *fmt, const char *arg)
{
  if(df->nerrors++ >= DF_MAX_ERRORS)
    return;
  char msg[300];
  snprintf(msg, sizeof(msg), fmt, arg);
  iac_problem(c, "%s:%d:%d: %s", file, line, col, msg);
}

static void ins_append(struct df_ins *in, struct buf *b, const char *s, size_t n, int line)
{
  in->segs = xgrow(in->segs, &in->capsegs, in->nsegs + 1, sizeof(*in->segs));
  in->segs[in->nsegs].off = b->len;
  in->segs[in->nsegs].line = line;
  in->nsegs++;
  buf_append(b, s, n);
}

static int df_line_at(const struct df_ins *in, size_t off)
{
  int line = in->line;
  for(size_t i = 0; i < in->nsegs && in->segs[i].off <= off; i++)
    line = in->segs[i].line;
  return line;
}

static const char *const df_keywords[] = {"FROM", "RUN", "CMD", "LABEL",
  "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
  "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};

static int df_known(const char *kw)
{
  for(size_t i = 0; i < sizeof(df_keywords) / sizeof(df_keywords[0]); i++)
    if(strcmp(kw, df_keywords[i]) == 0)
      return 1;
  return 0;
}

/* Heredoc markers of a RUN/COPY/ADD line, outside quotes: <<WORD, <<-WORD,
 * <<"WORD", <<'WORD'. Fills words (at most max) and returns the count. */
struct df_heredoc {
  char word[64];
  int strip_tabs;
  size_t off;
};

static size_t df_heredocs(const char *t, size_t n, struct df_heredoc *hd, size_t max)
{
  size_t k = 0;
  char q = 0;
  for(size_t i = 0; i + 2 < n && k < max; i++) {
    if(q) {
      if(t[i] == q)
        q = 0;
      continue;
    }
    if(t[i] == '"' || t[i] == '\'') {
      q = t[i];
      continue;
    }
    if(t[i] != '<' || t[i + 1] != '<' || (i > 0 && t[i - 1] == '<') || t[i + 2] == '<')
      continue;
    size_t j = i + 2;
    int strip = 0;
    if(j < n && t[j] == '-') {
      strip = 1;
      j++;
    }
    char wq = 0;
    if(j < n && (t[j] == '"' || t[j] == '\''))
      wq = t[j++];
    size_t w0 = j;
    while(j < n && (isalnum((unsigned char)t[j]) || t[j] == '_' || t[j] == '-' || t[j] == '.'))
      j++;
    if(j == w0 || j - w0 >= sizeof(hd[k].word))
      continue;
    if(wq && (j >= n || t[j] != wq))
      continue;
    memcpy(hd[k].word, t + w0, j - w0);
    hd[k].word[j - w0] = '\0';
    hd[k].strip_tabs = strip;
    hd[k].off = i;
    k++;
    i = j;
  }
  return k;
}

static void df_finish(struct df_file *df, struct df_ins *in, struct buf *b)
{
  in->len = b->len;
  in->text = buf_steal(b);
  if(!in->text)
    in->text = xstrdup("");
  if(!in->args_len)
    in->args_len = in->len;
  df->v = xgrow(df->v, &df->cap, df->n + 1, sizeof(*df->v));
  df->v[df->n++] = *in;
  memset(in, 0, sizeof(*in));
}

static void df_free(struct df_file *df)
{
  for(size_t i = 0; i < df->n; i++) {
    free(df->v[i].text);
    free(df->v[i].segs);
  }
  free(df->v);
}

/* Ends with the escape character, trailing blanks allowed: the escape
 * and what follows are cut off. */
static int cut_continuation(const char *s, size_t *n, char esc)
{
  size_t l = *n;
  while(l && (s[l - 1] == ' ' || s[l - 1] == '\t'))
    l--;
  if(l && s[l - 1] == esc) {
    *n = l - 1;
    return 1;
  }
  return 0;
}

static void df_parse(struct iac_ctx *c, const char *file, const char *data,
                     size_t len, struct df_file *df)
{
  memset(df, 0, sizeof(*df));
  df->esc = '\\';
  struct df_lines ls = {data, data + len, 0};
  const char *s;
  size_t n;
  int line;
  /* Parser directives: only at the very top, before any other line. */
  struct df_lines save = ls;
  while(next_line(&ls, &s, &n, &line)) {
    size_t i = 0;
    while(i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if(i >= n || s[i] != '#')
      break;
    i++;
    while(i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    size_t k0 = i;
    while(i < n && isalpha((unsigned char)s[i]))
      i++;
    size_t k1 = i;
    while(i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if(k1 == k0 || i >= n || s[i] != '=')
      break;
    i++;
    while(i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    size_t v1 = n;
    while(v1 > i && (s[v1 - 1] == ' ' || s[v1 - 1] == '\t'))
      v1--;
    if(k1 - k0 == 6 && !strncasecmp(s + k0, "escape", 6)) {
      if(v1 - i == 1 && (s[i] == '`' || s[i] == '\\'))
        df->esc = s[i];
      else
        df_err(c, file, df, line, (int)i + 1, "%s", "escape directive must be ` or \\");
    } else if(!(k1 - k0 == 6 && !strncasecmp(s + k0, "syntax", 6)) &&
              !(k1 - k0 == 5 && !strncasecmp(s + k0, "check", 5))) {
      break;
    }
    save = ls;
  }
  ls = save;

  struct df_ins cur;
  memset(&cur, 0, sizeof(cur));
  int open = 0;
  struct buf b;
  buf_init(&b, 0);
  while(next_line(&ls, &s, &n, &line)) {
    size_t i = 0;
    while(i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if(!open) {
      if(i >= n || s[i] == '#')
        continue;
      size_t k0 = i;
      while(i < n && isalpha((unsigned char)s[i]))
        i++;
      if(i == k0 || i - k0 >= sizeof(cur.kw) ||
         (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != df->esc)) {
        char word[40];
        size_t wl = strcspn(s + k0, " \t");
        if(wl > n - k0)
          wl = n - k0;
        snprintf(word, sizeof(word), "%.*s", (int)(wl > 30 ? 30 : wl), s + k0);
        df_err(c, file, df, line, (int)k0 + 1, "not an instruction: '%s'", word);
        continue;
      }
      for(size_t j = k0; j < i; j++)
        cur.kw[j - k0] = (char)toupper((unsigned char)s[j]);
      cur.kw[i - k0] = '\0';
      cur.line = line;
      cur.col = (int)k0 + 1;
      if(!df_known(cur.kw))
        df_err(c, file, df, line, (int)k0 + 1, "unknown instruction '%s'", cur.kw);
      while(i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
      buf_reset(&b);
      open = 1;
    } else {
      /* Inside a continuation, comment and empty lines are dropped. */
      if(i >= n || s[i] == '#')
        continue;
      i = 0;
    }
    size_t m = n - i;
    int more = cut_continuation(s + i, &m, df->esc);
    ins_append(&cur, &b, s + i, m, line);
    if(more)
      continue;
    open = 0;
    /* Every instruction takes an argument: docker build refuses a bare
     * one, so say it rather than read nothing from it. */
    if(strspn(buf_str(&b), " \t\r") == b.len && df_known(cur.kw))
      df_err(c, file, df, cur.line, cur.col, "instruction %s has no argument", cur.kw);
    /* Heredocs follow the instruction's line. */
    if(!strcmp(cur.kw, "RUN") || !strcmp(cur.kw, "COPY") || !strcmp(cur.kw, "ADD")) {
      struct df_heredoc hd[8];
      const char *t = buf_str(&b);
      size_t nh = t[0] == '[' ? 0 : df_heredocs(t, b.len, hd, 8);
      if(nh)
        cur.args_len = b.len;
      for(size_t h = 0; h < nh; h++) {
        int done = 0;
        int hline = df_line_at(&cur, hd[h].off);
        while(next_line(&ls, &s, &n, &line)) {
          size_t j = 0;
          if(hd[h].strip_tabs)
            while(j < n && s[j] == '\t')
              j++;
          if(n - j == strlen(hd[h].word) && !memcmp(s + j, hd[h].word, n - j)) {
            done = 1;
            break;
          }
          buf_append(&b, "\n", 1);
          ins_append(&cur, &b, s + j, n - j, line);
        }
        if(!done) {
          df_err(c, file, df, hline, cur.col, "heredoc <<%s is never closed", hd[h].word);
          break;
        }
      }
    }
    df_finish(df, &cur, &b);
  }
  if(open)
    df_finish(df, &cur, &b);
  buf_cleanup(&b);
  free(cur.segs);
}

/* ---- analysis ----------------------------------------------------------- */

struct df_var {
  const char *name; /* borrowed from the instruction text copy */
  char *value;
  size_t stage;     /* SIZE_MAX: global ARG before the first FROM */
};

struct df_stage {
  char *name;
  char *image;
  int from_line;
  long parent;      /* earlier stage this one is built FROM, or -1 */
  char *user;
  int user_line;
  int cli_line;
  char *cli_what;
};

struct df_an {
  struct iac_ctx *c;
  const char *file;
  struct df_stage *st;
  size_t nst, capst;
  struct df_var *vars;
  size_t nvars, capvars;
};

static const char *var_get(struct df_an *a, const char *name, size_t nlen)
{
  size_t cur = a->nst ? a->nst - 1 : (size_t)-1;
  for(size_t i = a->nvars; i-- > 0;) {
    if(strlen(a->vars[i].name) == nlen && !memcmp(a->vars[i].name, name, nlen) &&
       (a->vars[i].stage == cur || a->vars[i].stage == (size_t)-1))
      return a->vars[i].value;
  }
  return NULL;
}

/* Expands a value that is one variable reference ($X, ${X}, ${X:-d});
 * anything else is returned as it is. Heap string. */
static char *var_expand(struct df_an *a, const char *v)
{
  if(v[0] != '$')
    return xstrdup(v);
  const char *p = v + 1;
  int brace = *p == '{';
  if(brace)
    p++;
  size_t l = 0;
  while(isalnum((unsigned char)p[l]) || p[l] == '_')
    l++;
  const char *val = var_get(a, p, l);
  const char *rest = p + l;
  char *def = NULL;
  if(brace && rest[0] == ':' && rest[1] == '-') {
    const char *e = strchr(rest, '}');
    def = xstrndup(rest + 2, e ? (size_t)(e - rest - 2) : strlen(rest + 2));
  }
  char *out = xstrdup(val && *val ? val : def ? def : v);
  free(def);
  return out;
}

static void var_set(struct df_an *a, const char *name, size_t nlen, const char *value,
                    size_t stage)
{
  a->vars = xgrow(a->vars, &a->capvars, a->nvars + 1, sizeof(*a->vars));
  a->vars[a->nvars].name = xstrndup(name, nlen);
  a->vars[a->nvars].value = xstrdup(value);
  a->vars[a->nvars].stage = stage;
  a->nvars++;
}

/* Splits shell-like words (quotes removed, no expansion). Returns count;
 * words are heap strings. */
static size_t split_words(const char *s, char **w, size_t max)
{
  size_t k = 0;
  while(*s && k < max) {
    while(*s == ' ' || *s == '\t' || *s == '\n')
      s++;
    if(!*s)
      break;
    struct buf b;
    buf_init(&b, 0);
    char q = 0;
    for(; *s; s++) {
      if(q) {
        if(*s == q)
          q = 0;
        else
          buf_append(&b, s, 1);
      } else if(*s == '"' || *s == '\'') {
        q = *s;
      } else if(*s == ' ' || *s == '\t' || *s == '\n') {
        break;
      } else {
        buf_append(&b, s, 1);
      }
    }
    w[k] = buf_steal(&b);
    if(!w[k])
      w[k] = xstrdup("");
    k++;
  }
  return k;
}

static void free_words(char **w, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free(w[i]);
}

static int is_root_user(const char *u)
{
  size_t l = strcspn(u, ":");
  return (l == 4 && !strncmp(u, "root", 4)) || (l > 0 && strspn(u, "0") == l);
}

/* Word-bounded occurrence of w in t[from..n). */
static const char *find_word(const char *t, size_t n, size_t from, const char *w)
{
  size_t wl = strlen(w);
  for(size_t i = from; i + wl <= n; i++) {
    /* The next occurrence at once (memmem), not a compare per byte. */
    const char *hit = memmem(t + i, n - i, w, wl);
    if(!hit)
      return NULL;
    i = (size_t)(hit - t);
    int pre = i == 0 || strchr(" \t\n;&|(`/\"'", t[i - 1]);
    int post = i + wl == n || strchr(" \t\n;&|)`\"'", t[i + wl]);
    if(pre && post)
      return t + i;
  }
  return NULL;
}

/* End of the shell command list item starting at off: ; && || newline. */
static size_t seg_end(const char *t, size_t n, size_t off)
{
  for(size_t i = off; i < n; i++) {
    if(t[i] == '\n' || t[i] == ';')
      return i;
    if(t[i] == '&' && i + 1 < n && t[i + 1] == '&')
      return i;
    if(t[i] == '|' && i + 1 < n && t[i + 1] == '|')
      return i;
  }
  return n;
}

static int shell_word(const char *w, size_t l)
{
  static const char *const sh[] = {"sh", "bash", "zsh", "ash", "dash", "ksh",
    "python", "python3", "perl", "ruby", "node"};
  const char *slash = memrchr(w, '/', l);
  if(slash) {
    l -= (size_t)(slash + 1 - w);
    w = slash + 1;
  }
  for(size_t i = 0; i < sizeof(sh) / sizeof(sh[0]); i++)
    if(strlen(sh[i]) == l && !memcmp(w, sh[i], l))
      return 1;
  return 0;
}

/* After a pipe: is the command a shell (through sudo/env too)? */
static int pipe_to_shell(const char *t, size_t n, size_t i)
{
  for(int words = 0; words < 4 && i < n; words++) {
    while(i < n && (t[i] == ' ' || t[i] == '\t'))
      i++;
    size_t w0 = i;
    while(i < n && !strchr(" \t\n;&|)", t[i]))
      i++;
    size_t l = i - w0;
    if(!l)
      return 0;
    if(shell_word(t + w0, l))
      return 1;
    int skip = (l == 4 && !memcmp(t + w0, "sudo", 4)) ||
               (l >= 3 && !memcmp(t + w0 + l - 3, "env", 3)) || t[w0] == '-';
    if(!skip)
      return 0;
  }
  return 0;
}

/* Offset of a download run by a shell, or -1. */
static long find_curl_sh(const char *t, size_t n)
{
  static const char *const dl[] = {"curl", "wget"};
  for(size_t d = 0; d < 2; d++) {
    size_t from = 0;
    const char *p;
    while((p = find_word(t, n, from, dl[d]))) {
      size_t off = (size_t)(p - t);
      from = off + 1;
      /* sh -c "$(curl ...)" and bash <(curl ...) */
      if(off >= 2 && (t[off - 1] == '(' || t[off - 1] == '`')) {
        size_t s0 = off;
        while(s0 > 0 && t[s0 - 1] != '\n' && t[s0 - 1] != ';')
          s0--;
        const char *seg = t + s0;
        size_t sl = off - s0;
        if(t[off - 2] == '<' || (str_find(seg, sl, " -c") &&
           (find_word(seg, sl, 0, "sh") || find_word(seg, sl, 0, "bash"))))
          return (long)off;
      }
      size_t e = seg_end(t, n, off);
      for(size_t i = off; i < e; i++)
        if(t[i] == '|' && pipe_to_shell(t, e, i + 1))
          return (long)off;
    }
  }
  return -1;
}

/* Offset of a Docker client install in a RUN script, or -1; *what names it. */
static long find_docker_install(const char *t, size_t n, const char **what)
{
  static const char *const mgrs[] = {"apt-get", "apt", "apk", "yum", "dnf",
    "microdnf", "zypper", "pacman", "tdnf"};
  static const char *const pkgs[] = {"docker.io", "docker-ce", "docker-ce-cli",
    "docker-cli", "docker", "moby-cli", "moby-engine", "docker-engine", "podman-docker"};
  const char *p;
  if((p = str_find(t, n, "get.docker.com"))) {
    *what = "get.docker.com install script";
    return p - t;
  }
  if((p = str_find(t, n, "download.docker.com/linux/static"))) {
    *what = "static Docker client download";
    return p - t;
  }
  for(size_t m = 0; m < sizeof(mgrs) / sizeof(mgrs[0]); m++) {
    size_t from = 0;
    while((p = find_word(t, n, from, mgrs[m]))) {
      size_t off = (size_t)(p - t);
      from = off + 1;
      size_t e = seg_end(t, n, off);
      for(size_t i = off; i < e;) {
        while(i < e && (t[i] == ' ' || t[i] == '\t'))
          i++;
        size_t w0 = i;
        while(i < e && !strchr(" \t", t[i]))
          i++;
        size_t l = strcspn(t + w0, "=~<> \t");
        if(l > i - w0)
          l = i - w0;
        for(size_t k = 0; k < sizeof(pkgs) / sizeof(pkgs[0]); k++)
          if(l == strlen(pkgs[k]) && !memcmp(t + w0, pkgs[k], l)) {
            *what = pkgs[k];
            return (long)w0;
          }
        if(i == w0)
          i++;
      }
    }
  }
  return -1;
}

static char *ins_excerpt(const struct df_ins *in)
{
  char *s = xasprintf("%s %.*s", in->kw, (int)(in->args_len > 300 ? 300 : in->args_len),
                      in->text);
  char *e = iac_excerpt(s, 160);
  free(s);
  return e;
}

/* ENV a=b c=d, ENV a b, ARG a[=b]. */
static void df_env(struct df_an *a, const struct df_ins *in, int is_arg)
{
  char *w[64];
  size_t nw = split_words(in->text, w, 64);
  int legacy = !is_arg && nw >= 1 && !strchr(w[0], '=');
  for(size_t i = 0; i < nw; i++) {
    char *name = w[i];
    const char *val = NULL;
    char *eq = strchr(name, '=');
    char *legacy_val = NULL;
    if(legacy) {
      /* ENV KEY rest of the line */
      const char *sp = in->text + strcspn(in->text, " \t");
      while(*sp == ' ' || *sp == '\t')
        sp++;
      legacy_val = xstrdup(sp);
      val = legacy_val;
    } else if(eq) {
      *eq = '\0';
      val = eq + 1;
    }
    /* ARG X in a stage takes the default of a global ARG X. */
    const char *inherited = !val && is_arg && a->nst ? var_get(a, name, strlen(name)) : NULL;
    var_set(a, name, strlen(name), val ? val : inherited ? inherited : "",
            a->nst ? a->nst - 1 : (size_t)-1);
    if(iac_secret_name(name)) {
      int literal = val && iac_secret_value(val);
      if(literal || is_arg || (val && val[0] == '$')) {
        char *ev = ins_excerpt(in);
        if(literal)
          iac_secret_seen(a->c, val);
        char *masked = val && *val ? str_mask_secret(val, strlen(val)) : NULL;
        char *shown = masked ? xasprintf("=%s", masked) : xstrdup(" (no default)");
        iac_emit(a->c, R_SECRET_ENV, literal ? -1 : WD_SEV_MEDIUM, a->file, in->line, name,
                 NULL, "%s %s%s: %s", in->kw, name, shown,
                 literal ? "a literal credential baked into the image"
                         : "a build argument: its value stays in the image history");
        free(shown);
        free(masked);
        free(ev);
      }
    }
    free(legacy_val);
    if(legacy)
      break;
  }
  free_words(w, nw);
}

static void df_from(struct df_an *a, const struct df_ins *in)
{
  char *w[8];
  size_t nw = split_words(in->text, w, 8);
  size_t i = 0;
  while(i < nw && w[i][0] == '-' && w[i][1] == '-')
    i++;
  a->st = xgrow(a->st, &a->capst, a->nst + 1, sizeof(*a->st));
  struct df_stage *s = &a->st[a->nst];
  memset(s, 0, sizeof(*s));
  s->parent = -1;
  s->from_line = in->line;
  s->image = var_expand(a, i < nw ? w[i] : "");
  if(i + 2 < nw && !strcasecmp(w[i + 1], "AS"))
    s->name = xstrdup(w[i + 2]);
  for(size_t k = 0; k < a->nst; k++)
    if(a->st[k].name && !strcasecmp(a->st[k].name, s->image))
      s->parent = (long)k;
  if(s->parent < 0 && iac_image_has_docker_cli(s->image)) {
    s->cli_line = in->line;
    s->cli_what = xasprintf("base image %s", s->image);
  }
  a->nst++;
  free_words(w, nw);
}

/* The exec form ["sh", "-c", "..."] as the words it runs, space-joined,
 * so that the shell checks see the command; NULL if not valid JSON. */
static char *json_join(const char *t)
{
  struct buf b;
  buf_init(&b, 0);
  const char *p = t + 1;
  for(;;) {
    while(*p == ' ' || *p == '\t' || *p == '\n')
      p++;
    if(*p == ']') {
      char *r = buf_steal(&b);
      return r ? r : xstrdup("");
    }
    if(*p != '"')
      break;
    if(b.len)
      buf_append(&b, " ", 1);
    for(p++; *p && *p != '"'; p++) {
      if(*p == '\\' && p[1]) {
        p++;
        char e = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
        buf_append(&b, &e, 1);
      } else {
        buf_append(&b, p, 1);
      }
    }
    if(*p != '"')
      break;
    p++;
    while(*p == ' ' || *p == '\t' || *p == '\n')
      p++;
    if(*p == ',')
      p++;
    else if(*p != ']')
      break;
  }
  buf_cleanup(&b);
  return NULL;
}

static void df_run(struct df_an *a, const struct df_ins *in)
{
  char *joined = in->text[0] == '[' ? json_join(in->text) : NULL;
  const char *t = joined ? joined : in->text;
  size_t n = joined ? strlen(joined) : in->len;
  /* RUN flags come first: --mount, --network, --security. */
  size_t off = 0;
  while(off + 2 < n && t[off] == '-' && t[off + 1] == '-') {
    size_t e = off + strcspn(t + off, " \t\n");
    if(e - off >= 19 && !strncmp(t + off, "--security=insecure", 19))
      iac_emit(a->c, R_BUILD_INSECURE, -1, a->file, in->line, "", NULL, "%s",
               "RUN --security=insecure: a privileged build step");
    off = e;
    while(off < n && (t[off] == ' ' || t[off] == '\t'))
      off++;
  }
  long p = find_curl_sh(t, n);
  if(p >= 0) {
    char *ex = iac_excerpt_masked(a->c, t, n, (size_t)p, 120);
    iac_emit(a->c, R_CURL_PIPE_SH, -1, a->file, df_line_at(in, (size_t)p), "", NULL,
             "RUN %s", ex);
    free(ex);
  }
  const char *q = find_word(t, n, off, "sudo");
  if(q) {
    char *ex = iac_excerpt_masked(a->c, t, n, (size_t)(q - t), 120);
    iac_emit(a->c, R_SUDO, -1, a->file, df_line_at(in, (size_t)(q - t)), "", NULL,
             "RUN %s", ex);
    free(ex);
  }
  const char *what = NULL;
  p = find_docker_install(t, n, &what);
  if(p >= 0 && a->nst) {
    struct df_stage *s = &a->st[a->nst - 1];
    if(!s->cli_line) {
      s->cli_line = df_line_at(in, (size_t)p);
      s->cli_what = xstrdup(what);
    }
  }
  free(joined);
}

static void df_add_copy(struct df_an *a, const struct df_ins *in, int is_add)
{
  char *w[32];
  size_t nw = split_words(in->text, w, 32);
  int checksum = 0;
  const char *from = NULL;
  size_t i = 0;
  for(; i < nw && w[i][0] == '-' && w[i][1] == '-'; i++) {
    if(!strncmp(w[i], "--checksum=", 11))
      checksum = 1;
    if(!strncmp(w[i], "--from=", 7))
      from = w[i] + 7;
  }
  if(is_add) {
    for(size_t k = i; k + 1 < nw; k++) {
      if(strncasecmp(w[k], "http://", 7) && strncasecmp(w[k], "https://", 8) &&
         strncasecmp(w[k], "ftp://", 6))
        continue;
      char *ex = iac_excerpt_masked(a->c, w[k], strlen(w[k]), 0, 160);
      iac_emit(a->c, R_ADD_URL, checksum ? WD_SEV_LOW : -1, a->file, in->line, "", NULL,
               "ADD %s%s", ex, checksum ? " (with --checksum)" : " (no checksum)");
      free(ex);
      break;
    }
  }
  /* COPY --from=docker:cli /usr/local/bin/docker ... */
  if(!is_add && from && iac_image_has_docker_cli(from) && a->nst) {
    struct df_stage *s = &a->st[a->nst - 1];
    for(size_t k = i; k + 1 < nw && !s->cli_line; k++)
      if(strstr(w[k], "docker")) {
        s->cli_line = in->line;
        s->cli_what = xasprintf("COPY --from=%s", from);
      }
  }
  free_words(w, nw);
}

static void df_analyze(struct iac_ctx *c, const char *file, struct df_file *df,
                       struct df_an *a)
{
  for(size_t i = 0; i < df->n; i++) {
    const struct df_ins *in = &df->v[i];
    if(!strcmp(in->kw, "FROM")) {
      df_from(a, in);
      continue;
    }
    if(!a->nst && strcmp(in->kw, "ARG")) {
      df_err(c, file, df, in->line, in->col, "%s before the first FROM", in->kw);
      continue;
    }
    if(!strcmp(in->kw, "ARG"))
      df_env(a, in, 1);
    else if(!strcmp(in->kw, "ENV"))
      df_env(a, in, 0);
    else if(!strcmp(in->kw, "RUN"))
      df_run(a, in);
    else if(!strcmp(in->kw, "ADD") || !strcmp(in->kw, "COPY"))
      df_add_copy(a, in, in->kw[0] == 'A');
    else if(!strcmp(in->kw, "USER")) {
      struct df_stage *s = &a->st[a->nst - 1];
      char *w[2];
      size_t nw = split_words(in->text, w, 2);
      free(s->user);
      s->user = var_expand(a, nw ? w[0] : "");
      s->user_line = in->line;
      free_words(w, nw);
    }
  }
}

static void df_judge(struct df_an *a, struct iac_dfinfo *info)
{
  if(!a->nst)
    return;
  /* The runtime image: the final stage and the stages it builds on. */
  const struct df_stage *fin = &a->st[a->nst - 1];
  const struct df_stage *u = NULL, *cli = NULL;
  int guard = 0;
  for(const struct df_stage *s = fin; s && guard < 64; guard++) {
    if(!u && s->user)
      u = s;
    if(!cli && s->cli_line)
      cli = s;
    s = s->parent >= 0 ? &a->st[s->parent] : NULL;
  }
  const struct df_stage *base = fin;
  guard = 0;
  while(base->parent >= 0 && guard++ < 64)
    base = &a->st[base->parent];
  if(u && is_root_user(u->user)) {
    iac_emit(a->c, R_RUN_AS_ROOT, -1, a->file, u->user_line, "", NULL,
             "USER %s is the last USER of the final stage", u->user);
    info->root = 1;
    info->user_line = u->user_line;
  } else if(!u) {
    /* distroless :nonroot images set their own non-root user. */
    if(!strstr(base->image, "nonroot") && !strstr(base->image, "rootless")) {
      iac_emit(a->c, R_RUN_AS_ROOT_DEFAULT, -1, a->file, fin->from_line, "", NULL,
               "no USER in the final stage (FROM %s): the base image's user, root by default",
               fin->image);
      info->root = 1;
      info->user_line = fin->from_line;
    }
  }
  if(cli) {
    iac_emit(a->c, R_DOCKER_CLI, -1, a->file, cli->cli_line, "", NULL,
             "Docker client in the final image: %s", cli->cli_what);
    info->cli_line = cli->cli_line;
  }
}

int iac_docker_analyze(struct iac_ctx *c, const char *file, const char *data,
                       size_t len)
{
  /* The parser may look past a line with str* functions: give it a
   * terminated copy (buffers from iac_analyze_buffer need not be). */
  char *text = xstrndup(data, len);
  struct df_file df;
  df_parse(c, file, text, len, &df);
  struct df_an a;
  memset(&a, 0, sizeof(a));
  a.c = c;
  a.file = file;
  df_analyze(c, file, &df, &a);
  struct iac_dfinfo info = {0};
  if(!a.nst)
    df_err(c, file, &df, 1, 1, "%s", "no FROM instruction: not a Dockerfile");
  else
    df_judge(&a, &info);
  int ok = a.nst > 0;
  if(ok) /* escape vectors, and secrets in ENV/ARG */
    iac_tested(c, WD_CAT_BIT(WD_CAT_CONTAINER) | WD_CAT_BIT(WD_CAT_DATA));
  if(ok && !iac_df_lookup(c, file))
    iac_df_add(c, file, &info);
  for(size_t i = 0; i < a.nst; i++) {
    free(a.st[i].name);
    free(a.st[i].image);
    free(a.st[i].user);
    free(a.st[i].cli_what);
  }
  free(a.st);
  for(size_t i = 0; i < a.nvars; i++) {
    free((char *)a.vars[i].name);
    free(a.vars[i].value);
  }
  free(a.vars);
  df_free(&df);
  free(text);
  return ok;
}
