/*
 * insp_parse.h - parsers for what the kernel shows a process about itself:
 * /proc/self/status, mountinfo, cgroup, uid_map, the kernel release, and
 * the claims of a Kubernetes service-account token.
 *
 * Every parser takes bytes and a length (the data may hold NUL bytes and
 * need not be terminated) and never trusts them: a file cut short by a
 * read limit or by the kernel yields "unknown" for what it no longer
 * holds, never a guess. Only complete lines (ending in '\n') are used,
 * because a truncated last line can look valid ("CapEff: 0000001f" cut
 * from "0000001fffffffff") while meaning something else.
 */
#ifndef WD_INSP_PARSE_H
#define WD_INSP_PARSE_H
#include <stddef.h>

/* Which fields of struct insp_status were found and well formed. */
enum {
  INSP_ST_CAPINH = 1u << 0,
  INSP_ST_CAPPRM = 1u << 1,
  INSP_ST_CAPEFF = 1u << 2,
  INSP_ST_CAPBND = 1u << 3,
  INSP_ST_CAPAMB = 1u << 4,
  INSP_ST_SECCOMP = 1u << 5,
  INSP_ST_FILTERS = 1u << 6,
  INSP_ST_NNP = 1u << 7,
  INSP_ST_UID = 1u << 8,
  INSP_ST_GID = 1u << 9,
  INSP_ST_GROUPS = 1u << 10,
};

#define INSP_MAX_GROUPS 64

struct insp_status {
  unsigned known;               /* INSP_ST_* bits */
  unsigned long long cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
  int seccomp;                  /* 0 disabled, 1 strict, 2 filter */
  long seccomp_filters;
  int no_new_privs;
  long uid[4], gid[4];          /* real, effective, saved, filesystem */
  long groups[INSP_MAX_GROUPS];
  size_t ngroups;
};

/* Parses /proc/PID/status. Returns the number of fields found. */
int insp_parse_status(const char *data, size_t n, struct insp_status *st);

struct insp_mount {
  int id, parent;
  char dev[24];      /* "major:minor" of the filesystem ("" if too long) */
  char *root;        /* path inside the mounted filesystem */
  char *mountpoint;  /* where it is mounted, as this process sees it */
  char *fstype;
  char *source;
  int ro;            /* per-mount "ro" option */
  char *superopts;   /* superblock options ("lowerdir=...,upperdir=...") */
  int super_ro;      /* superblock "ro" option */
};

struct insp_mounts {
  struct insp_mount *v;
  size_t n, cap;
  size_t bad;        /* lines that were not well formed */
};

/* Parses /proc/PID/mountinfo (octal escapes such as \040 decoded). At most
 * INSP_MAX_MOUNTS entries are kept; the rest count as bad. Returns the
 * number of entries. The caller owns m (insp_mounts_cleanup). */
#define INSP_MAX_MOUNTS 4096
size_t insp_parse_mountinfo(const char *data, size_t n, struct insp_mounts *m);
void insp_mounts_cleanup(struct insp_mounts *m);

struct insp_cgroup {
  long hier;         /* hierarchy id; 0 is the v2 unified hierarchy */
  char *controllers; /* "memory", "cpu,cpuacct", "" for v2 */
  char *path;
};

struct insp_cgroups {
  struct insp_cgroup *v;
  size_t n, cap;
  size_t bad;
};

#define INSP_MAX_CGROUPS 256
size_t insp_parse_cgroup(const char *data, size_t n, struct insp_cgroups *c);
void insp_cgroups_cleanup(struct insp_cgroups *c);

#define INSP_MAX_IDMAP 16
struct insp_idmap {
  unsigned long long inside[INSP_MAX_IDMAP], outside[INSP_MAX_IDMAP],
      count[INSP_MAX_IDMAP];
  size_t n;          /* entries kept */
  size_t bad;        /* malformed lines, or entries past the maximum */
};

/* Parses /proc/PID/uid_map or gid_map. Returns the number of entries. */
size_t insp_parse_idmap(const char *data, size_t n, struct insp_idmap *m);
/* Maps an id seen inside to the id outside; -1 if it is not mapped. */
long long insp_idmap_outside(const struct insp_idmap *m, unsigned long long id);
/* 1 if the map is the initial namespace's ("0 0 4294967295"). */
int insp_idmap_is_initial(const struct insp_idmap *m);

/* Parses "5.15.0-91-generic" into {5, 15, 0}. Returns 0, or -1 if the
 * text does not start with MAJOR.MINOR. A missing patch level is 0. */
int insp_parse_kver(const char *s, size_t n, int v[3]);

/* Parses "ns:[4026531836]" (what readlink gives for /proc/self/ns/X);
 * returns the inode, or 0 if the text is not of that form. */
unsigned long long insp_parse_nslink(const char *s, size_t n);

/* Decodes base64url (or standard base64), with or without padding, into
 * out (at most outsz bytes). Returns the decoded length, or -1 on a bad
 * character or if out is too small. */
long insp_b64url_decode(const char *in, size_t n, unsigned char *out,
                        size_t outsz);

/* Finds KEY at the top level of the JSON object in js[0..n) and copies
 * its value into out: a string unescaped (\uXXXX outside ASCII becomes
 * '?'), a number or literal as written. Returns 1 string, 2 other scalar,
 * 0 absent or not a scalar, -1 if the JSON is malformed before the key is
 * found. out is always terminated when outsz > 0. */
int insp_json_get(const char *js, size_t n, const char *key, char *out,
                  size_t outsz);

/* What /proc/net/unix lists (any bytes, NUL or not): INSP_UNIX_HOST when
 * the host's sockets are visible (a path under /run/systemd/ or
 * /run/user/: the host network namespace), INSP_UNIX_SHIM for an abstract
 * @/containerd-shim/ socket. */
#define INSP_UNIX_HOST 1
#define INSP_UNIX_SHIM 2
int insp_parse_net_unix(const char *data, size_t n);

struct insp_jwt {
  char iss[128];
  char sub[256];
  char ns[128];      /* from sub "system:serviceaccount:NS:NAME" */
  char sa[128];
  long long exp;     /* 0 if absent */
  long long iat;
  int ok;            /* the payload decoded to a JSON object */
};

/* Decodes the claims of a JWT (header.payload.signature) without checking
 * the signature: inspect only wants to say whose token it is. Returns 0,
 * or -1 if it is not a JWT with a JSON payload. */
int insp_jwt_claims(const char *tok, size_t n, struct insp_jwt *out);

#endif
