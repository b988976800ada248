/*
 * iac_int.h - what the parts of iac share: rule indexes, the YAML tree,
 * the run context, and the judgements every input format needs (host
 * paths, capabilities, secret names).
 *
 * A run reads each file once: Dockerfiles first (so that a compose
 * service built from one knows its USER and whether it carries a Docker
 * client), then YAML documents one at a time. What crosses documents
 * (service accounts, Dockerfile facts) lives in the context, copied.
 */
#ifndef WD_IAC_INT_H
#define WD_IAC_INT_H
#include <stddef.h>
#include <stdio.h>

#include "../yaml/yaml_tree.h"
#include "iac.h"

/* Indexes into iac_rules[]; the table uses them as designators. */
enum iac_rule {
  R_PRIVILEGED,
  R_PRIV_ESC,
  R_CAP_SYS_ADMIN,
  R_CAP_SYS_MODULE,
  R_CAP_SYS_PTRACE,
  R_CAP_DAC_READ_SEARCH,
  R_CAP_DAC_OVERRIDE,
  R_CAP_NET_ADMIN,
  R_CAP_NET_RAW,
  R_CAP_BPF,
  R_CAP_PERFMON,
  R_CAP_SYS_RAWIO,
  R_CAP_MAC_ADMIN,
  R_CAP_ALL,
  R_CAP_ADDED,
  R_CAP_DROP_ALL,
  R_HOST_PID,
  R_HOST_IPC,
  R_HOST_NETWORK,
  R_HOST_USERNS,
  R_HOST_UTS,
  R_HOST_CGROUPNS,
  R_HOST_PROCESS,
  R_DOCKER_SOCKET,
  R_RUNTIME_SOCKET,
  R_HOST_ROOT,
  R_HOST_SENSITIVE,
  R_HOST_PATH,
  R_MOUNT_PROPAGATION,
  R_HOST_DEVICE,
  R_RUN_AS_ROOT,
  R_RUN_AS_ROOT_DEFAULT,
  R_SECCOMP,
  R_SECCOMP_UNSET,
  R_APPARMOR,
  R_APPARMOR_CUSTOM,
  R_SELINUX,
  R_SELINUX_CUSTOM,
  R_PROC_UNMASKED,
  R_ROOTFS_WRITABLE,
  R_SYSCTL,
  R_CGROUP_PARENT,
  R_SA_AUTOMOUNT,
  R_RBAC_WILDCARD,
  R_RBAC_EXEC,
  R_RBAC_NODES_PROXY,
  R_RBAC_ESCALATE,
  R_RBAC_IMPERSONATE,
  R_RBAC_SECRETS,
  R_RBAC_CREATE_PODS,
  R_RBAC_CLUSTER_ADMIN,
  R_RBAC_ANONYMOUS,
  R_SECRET_ENV,
  R_ADD_URL,
  R_CURL_PIPE_SH,
  R_SUDO,
  R_DOCKER_CLI,
  R_BUILD_INSECURE,
  R_CHAIN_SOCKET_ROOT,
  R_CHAIN_PRIV_HOSTPID,
  R_CHAIN_PTRACE_HOSTPID,
  R__COUNT
};

/* The YAML tree: src/yaml/yaml_tree.h. */

/* ---- run context (iac_ctx.c) ------------------------------------------- */

/* What a Dockerfile says about the image it builds, for compose services
 * built from it. */
struct iac_dfinfo {
  char *path;       /* normalised */
  int root;         /* final stage runs as root (USER root or none) */
  int user_line;    /* the deciding USER line, 0 if none */
  int cli_line;     /* line installing a Docker client, 0 if none */
};

struct iac_sa {
  char *ns, *name;
  int automount; /* 1, 0, -1 unset */
};

struct iac_pending_sa {
  char *ns, *name, *file, *subject;
  int line;
};

struct iac_ctx {
  struct wd_findings *out;   /* where iac_emit adds: the batch below */
  struct wd_findings batch;  /* this file's findings (see iac_ctx_flush) */
  struct wd_findings *dest;  /* the caller's list */
  struct report *rep;
  int no_fs;     /* analysing a buffer: never open build contexts */
  size_t nread, nfailed;
  struct iac_dfinfo *dfs;
  size_t ndfs, capdfs;
  size_t *dfhash;  /* open addressing over dfs by path: index + 1, 0 empty */
  size_t dfhcap;   /* a power of two, or 0 */
  struct iac_sa *sas;
  size_t nsas, capsas;
  struct iac_pending_sa *pend;
  size_t npend, cappend;
  /* Reads and analyses a Dockerfile that was not an input (set by the
   * run; NULL: none are loaded). */
  const struct iac_dfinfo *(*load_df)(struct iac_ctx *c, const char *path);
  /* Literal secret values seen so far (iac_secret_seen): every finding
   * of the run is masked with them, wherever it quotes one. */
  struct wd_mask mask;
  /* Mask results of this run by exact input (iac_emit's evidence, the
   * batch's findings_add): the same evidence recurs in many files. */
  struct mask_cache mcache;
  /* The read buffer, reused from file to file (a build context read
   * while its compose file is analysed gets its own: rbusy). */
  char *rbuf;
  size_t rcap;
  int rbusy;
  /* The YAML loader, restarted from file to file (yl_restart): its node
   * arena is allocated once per run, not once per document. */
  struct yloader *yl;
};

void iac_ctx_init(struct iac_ctx *c, struct wd_findings *out, struct report *rep);
/* Moves the batch into the caller's list. Findings are deduplicated
 * within one file's batch (small), never against the whole list: keys
 * carry the file name, so two files cannot collide, and findings_add's
 * linear search over tens of thousands of findings would dominate. */
void iac_ctx_flush(struct iac_ctx *c);
void iac_ctx_cleanup(struct iac_ctx *c);

/* A file-level problem: a note on the report (the CLI prints notes). */
void iac_problem(struct iac_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Adds a finding. sev -1 = the rule's. subject (the workload, service or
 * stage the finding is about) keeps one finding per subject even when
 * anchors put several at one line. title NULL = the rule's. */
/* Records that the rules of these categories (WD_CAT_BIT set) were
 * judged on a document: the score weighs only tested categories. */
void iac_tested(struct iac_ctx *c, unsigned cats);
void iac_emit(struct iac_ctx *c, enum iac_rule r, int sev, const char *file,
              int line, const char *subject, const char *title,
              const char *evfmt, ...) __attribute__((format(printf, 8, 9)));
/* A literal secret value (ENV/ARG, environment:, env:): masked in every
 * finding of the run, not only in the one that names it. */
void iac_secret_seen(struct iac_ctx *c, const char *value);
/* Bounded printable copy for evidence (caller frees). */
char *iac_excerpt(const char *s, size_t max);
/* str_excerpt of s[off..] (max bytes) cut from s masked as a whole, so a
 * secret the cut would halve is still recognised. Fresh string. */
char *iac_excerpt_masked(struct iac_ctx *c, const char *s, size_t n, size_t off,
                         size_t max);

/* Dockerfile facts by normalised path; NULL if not analysed (yet). A
 * hash look-up: compose files name Dockerfiles by the thousand. */
const struct iac_dfinfo *iac_df_lookup(struct iac_ctx *c, const char *path);
/* Records a Dockerfile's facts under path (copied; info->path is set). */
void iac_df_add(struct iac_ctx *c, const char *path, struct iac_dfinfo *info);
/* A Dockerfile's facts, analysed now through c->load_df if it was not
 * given on the command line (a compose build context). NULL if none. */
const struct iac_dfinfo *iac_df_load(struct iac_ctx *c, const char *path);

/* ---- formats ------------------------------------------------------------ */

/* Dockerfile (iac_docker.c). Returns 1 if analysed (even partly), 0 if
 * nothing could be read; errors are reported through c. */
int iac_docker_analyze(struct iac_ctx *c, const char *file, const char *data,
                       size_t len);
/* YAML documents (iac_run.c reads the stream and hands each over). */
/* Returns 1 if the document was a compose file. */
int iac_compose_doc(struct iac_ctx *c, const char *file, struct ydoc *d);
/* Returns 1 if the document was a Kubernetes object. */
int iac_k8s_doc(struct iac_ctx *c, const char *file, struct ydoc *d,
                const struct ynode *obj, int depth);
/* Resolves what needed every file: a pod's service-account token
 * automount, from a ServiceAccount that may sit in any file of the run. */
void iac_k8s_finish(struct iac_ctx *c);

/* ---- shared judgements (iac_rules.c) ----------------------------------- */

/* Lexical normalisation of an absolute path: "//", "." and ".." resolved,
 * no trailing '/'. out has room for outlen bytes. "~" and "$HOME" become
 * "/home/~". Returns 0, or -1 if path is not absolute (relative mounts
 * are the project's own files). */
int iac_path_norm(const char *path, char *out, size_t outlen);
/* 1 if b is a or lies under a, on path components ("/var" covers
 * "/var/log", never "/variable"). Both normalised. */
int iac_path_covers(const char *a, const char *b);

/* What a host path mounted into a container gives away. */
struct iac_hostpath {
  enum iac_rule rule; /* R__COUNT if nothing sensitive */
  int sev;            /* for this mount's read-only flag */
  const char *what;   /* why it matters */
  const char *via;    /* the sensitive path it contains, or NULL */
};
void iac_hostpath_judge(const char *norm, int readonly, struct iac_hostpath *h);
/* A device path (/dev/...): severity of passing it in, -1 if harmless. */
int iac_device_sev(const char *norm);

/* Capability name (any case, with or without CAP_) to its rule:
 * R_CAP_ADDED for other capabilities, R__COUNT for harmless ones. */
enum iac_rule iac_cap_rule(const char *cap);
/* Judges a list of added capabilities (compose cap_add, Kubernetes
 * securityContext.capabilities.add); field names it in the evidence.
 * Returns the line of the first capability that allows ptrace-style
 * access to other processes (SYS_PTRACE, SYS_ADMIN, ALL), or 0, for the
 * chain rules. */
int iac_judge_cap_add(struct iac_ctx *c, struct ydoc *d, const struct ynode *add,
                      const char *file, const char *subj, const char *field);
/* 1 if a capability drop list names ALL. */
int iac_drops_all(struct ydoc *d, const struct ynode *drop);
/* The runtime's default capabilities that drop leaves in place, named
 * ("NET_RAW, DAC_OVERRIDE, ..."), into out. */
void iac_caps_remaining(struct ydoc *d, const struct ynode *drop, char *out, size_t n);
/* 1 if the name looks like it holds a secret (PASSWORD, API_KEY, ...). */
int iac_secret_name(const char *name);
/* 1 if the value looks like a literal secret rather than a reference or
 * an empty placeholder. */
int iac_secret_value(const char *value);
/* A literal secret in an environment variable: when name k looks like a
 * secret's and v like a literal value, records v (iac_secret_seen) and
 * raises iac.secret-in-env on "subj k" at line, its evidence "subj: what
 * k=****" ("environment" for compose, "env" for Kubernetes). */
void iac_env_secret(struct iac_ctx *c, const char *file, int line, const char *subj,
                    const char *what, const char *k, const char *v);
/* Sysctl severity: -1 if in the safe set. */
int iac_sysctl_sev(const char *name);
/* 1 if an image reference is a Docker client image (docker:*, .../docker). */
int iac_image_has_docker_cli(const char *image);

/* Judges a host path mounted at line and adds the finding (host root,
 * socket, sensitive path, any host path). raw is the path as written.
 * Returns the rule raised, R__COUNT if none. */
enum iac_rule iac_mount_emit(struct iac_ctx *c, const char *file, int line,
                             const char *subject, const char *raw, int readonly,
                             const char *how);
/* Lexical join and normalisation of a relative or absolute path (for
 * build contexts); heap string. */
char *iac_path_join(const char *dir, const char *rel);

#endif
