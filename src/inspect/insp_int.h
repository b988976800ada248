/*
 * insp_int.h - what the parts of inspect share: the rule indexes, the
 * run context, and root-relative reading.
 *
 * One run gathers facts in a fixed order (where it runs, who it is, what
 * it is allowed, what it can see), and each family of checks judges them
 * and adds findings. Everything reads through insp_read/insp_writable so
 * a captured tree (--root) and the live system take the same paths.
 */
#ifndef WD_INSP_INT_H
#define WD_INSP_INT_H
#include <stddef.h>

#include "../core/core_buf.h"
#include "insp_parse.h"
#include "inspect.h"

/* Indexes into inspect_rules[]; the table uses them as designators. */
enum insp_rule {
  R_PRIVILEGED,
  R_CAP_SYS_ADMIN,
  R_CAP_SYS_MODULE,
  R_CAP_SYS_PTRACE,
  R_CAP_DAC_READ_SEARCH,
  R_CAP_DANGEROUS,
  R_NO_SECCOMP,
  R_APPARMOR_UNCONFINED,
  R_SELINUX_UNCONFINED,
  R_NO_NEW_PRIVS,
  R_ROOT_USER,
  R_ESCAPE_GROUP,
  R_DOCKER_SOCKET,
  R_CONTAINERD_SOCKET,
  R_CRIO_SOCKET,
  R_RUNTIME_SOCKET,
  R_SOCKET_LIVE,
  R_DOCKER_HOST_TCP,
  R_SHIM_SOCKET,
  R_HOST_ROOT,
  R_HOST_DIR,
  R_SYS_WRITABLE,
  R_PROC_SYS_WRITABLE,
  R_CORE_PATTERN,
  R_MODPROBE,
  R_BINFMT,
  R_UEVENT,
  R_SYSRQ,
  R_RELEASE_AGENT,
  R_BLOCK_DEVICES,
  R_HOST_PID,
  R_HOST_NET,
  R_HOST_IPC,
  R_SA_TOKEN,
  R_CLOUD_CREDS,
  R_ENV_SECRET,
  R_CVE_DIRTYPIPE,
  R_CVE_DIRTYCOW,
  R_CVE_RELEASE_AGENT,
  R_CVE_FSCONFIG,
  R_CVE_NFTABLES,
  R__COUNT
};

/* Tri-state answers: what inspect saw, or that it could not tell. */
enum { INSP_NO = 0, INSP_YES = 1, INSP_UNKNOWN = -1 };

#define INSP_MAX_DEVS 256

/* The namespaces read from /proc/self/ns, and the fixed inodes of the
 * initial ones (include/linux/proc_ns.h; net and mnt fixed since 6.18:
 * 0 here means "numbered like any other" on older kernels). */
enum { NS_PID, NS_IPC, NS_UTS, NS_USER, NS_CGROUP, NS_NET, NS_MNT, INSP_NS_COUNT };
#define INSP_NET_INIT_INO 0xEFFFFFF9ULL
#define INSP_MNT_INIT_INO 0xEFFFFFF8ULL
#define INSP_MAX_SOCKS 16

struct insp_sock {
  char path[256];
  int kind;             /* index into the runtime socket table, -1 unknown */
  char how[64];         /* how it was found */
  int answered;         /* INSP_YES/NO/UNKNOWN (not probed) */
  char version[96];     /* what GET /version said, if it answered */
};

struct insp {
  const struct inspect_opts *o;
  const char *root;     /* "" for the live system */
  struct wd_findings *out;
  struct report *rep;
  /* The environment's secret values, masked wherever else they show up
   * (out and rep point to it during the run). */
  struct wd_mask mask;
  int unknowns;         /* things that could not be read */
  /* A captured tree's lists (docs/inspect.md); -1 = not captured. */
  struct buf cap_writable, cap_sockets, cap_dev;
  int have_writable, have_sockets, have_dev;

  /* Where it runs. */
  int in_container;     /* INSP_YES/NO/UNKNOWN */
  char runtime[32];     /* docker, containerd, cri-o, podman, lxc, ... */
  int kubernetes;

  /* Who it is and what it may do. */
  struct insp_status st;
  int st_ok;            /* status could be read */
  int cap_last;         /* -1 unknown */
  unsigned long long cap_full; /* every capability this kernel has */
  struct insp_idmap uidmap;
  int uidmap_ok;

  /* What it sees. */
  struct insp_mounts mounts;
  int mounts_ok;
  struct insp_cgroups cgroups;
  int cgroups_ok;
  char blockdevs[INSP_MAX_DEVS][32];
  size_t nblock, nchar;
  int devs_ok;
  int devices_cgroup_all; /* devices.list allows a *:* rwm */
  int sys_rw;
  struct insp_sock socks[INSP_MAX_SOCKS];
  size_t nsocks;
  int pid_host, net_host, ipc_host; /* INSP_YES/NO/UNKNOWN */
  /* Namespace inodes (0 = unreadable), in insp_ns_names order. */
  unsigned long long ns[INSP_NS_COUNT];
  int uts_private;      /* INSP_YES/NO/UNKNOWN */
  char proc_dev[24];    /* device of the procfs at /proc ("" unknown) */
  int cgroup_v1;        /* a cgroup v1 hierarchy is in use */
  int lsm_confined;     /* AppArmor or SELinux confines: YES/NO/UNKNOWN */
  int modules;          /* the kernel loads modules: YES/NO/UNKNOWN */
  char modules_why[96];

  /* The environment, NUL-separated entries. */
  struct buf env;
  int env_ok;
};

/* Reads ROOT/path (at most limit bytes) into b, which it resets. Returns
 * 0, or -1 with errno set; sets b->truncated when the limit cut it. */
int insp_read(struct insp *in, const char *path, struct buf *b, size_t limit);
/* Reads a file and records a note and an unknown when it cannot; what
 * names the facts that become unknown. Returns 0 or -1. */
int insp_read_or_note(struct insp *in, const char *path, struct buf *b,
                      size_t limit, const char *what);
/* 1 if path exists (lstat, ROOT-relative), 0 if not. */
int insp_exists(struct insp *in, const char *path);
/* 1 if path is a unix socket; in a captured tree, if it is listed in
 * .capture/sockets. */
int insp_is_socket(struct insp *in, const char *path);
/* INSP_YES if the path may be opened for writing (access(2), nothing
 * written), INSP_NO if not, INSP_UNKNOWN if it cannot be told, and -2 if
 * it does not exist. In a captured tree: listed in .capture/writable. */
int insp_writable(struct insp *in, const char *path);
/* 1 if path is the first word of a line of a .capture list; *rest (if
 * not NULL) then points just after it on that line. */
int insp_listed(const struct buf *list, const char *path, const char **rest);
/* readlink of ROOT/path into out; returns the length or -1. */
long insp_readlink(struct insp *in, const char *path, char *out, size_t outsz);
/* Adds a finding. */
void insp_add(struct insp *in, enum insp_rule r, int severity,
              const char *title, const char *evidence, const char *file,
              const char *dedupe);
/* The value of an environment variable the inspected process has, or
 * NULL; borrowed from in->env. */
const char *insp_getenv(struct insp *in, const char *name);

/* The families of checks, in the order a run calls them. */
void insp_where(struct insp *in);
void insp_creds(struct insp *in);
void insp_lsm(struct insp *in);
void insp_mounts(struct insp *in);
void insp_devices(struct insp *in);
void insp_knobs(struct insp *in);
void insp_sockets(struct insp *in);
void insp_namespaces(struct insp *in);
void insp_privileged(struct insp *in);
void insp_k8s(struct insp *in);
void insp_env(struct insp *in);
void insp_kernel(struct insp *in);

/* One read-only HTTP/1.0 GET /version over a unix socket. Returns 1 if an
 * HTTP response came back (version filled from its JSON, or ""), 0 if not
 * (err says why). Never sends anything else. */
int insp_sock_version(const char *path, int timeout_ms, char *version,
                      size_t vsz, char *err, size_t esz);
/* Reads the runtime's reply (got bytes, any bytes, NUL-terminated by the
 * caller): 1 and version ("HTTP 200, Version 24.0.7, ApiVersion 1.43" or
 * "HTTP 200") when it is HTTP/1.x, else 0 and err. Fuzzed by
 * tests/inspect/fuzz_sockreply.c. */
int insp_sock_reply(const char *resp, size_t got, char *version, size_t vsz,
                    char *err, size_t esz);

/* Kernel CVE matching, exposed for tests: 1 if version v falls in the
 * vulnerable range of the CVE rule r, else 0. */
int insp_kernel_vulnerable(enum insp_rule r, const int v[3]);

/* Reads the namespace links into in->ns (run before insp_where). */
void insp_ns_read(struct insp *in);
/* INSP_YES if the namespace is the initial one, INSP_NO if it is its
 * own, INSP_UNKNOWN if that cannot be told (unreadable, or a net/mnt
 * inode on a kernel older than the fixed numbering). */
int insp_ns_initial(const struct insp *in, int ns);
/* INSP_YES if this process writes as the host's root (euid 0 mapped to
 * host uid 0), INSP_NO if not, INSP_UNKNOWN if it cannot be told. */
int insp_global_root(const struct insp *in);
/* The mount that holds path (the last, topmost, of the longest
 * matching mount point), or NULL. */
const struct insp_mount *insp_mount_of(const struct insp *in, const char *path);

/* Capability names by number; NULL past the table. */
const char *insp_cap_name(int cap);

#endif
