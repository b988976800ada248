/*
 * insp_mount.c - what the container can see of the host's filesystems:
 * host directories mounted in, /sys and /proc/sys knobs it could write,
 * cgroup v1 release_agent, block devices, and runtime sockets.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/core_alloc.h"
#include "insp_int.h"

/* Filesystems that hold a host disk's files. */
static const char *const disk_fs[] = {"ext2", "ext3", "ext4", "xfs", "btrfs",
  "zfs", "f2fs", "jfs", "reiserfs", "virtiofs", "9p", NULL};

/* Host paths whose mount means control of the host. Matched on the mount's
 * root (the path inside the host filesystem), component-wise. */
static const char *const host_dirs[] = {"/etc", "/root", "/home", "/var/run",
  "/run", "/var/log", "/var/lib/docker", "/var/lib/kubelet",
  "/var/lib/containerd", "/boot", "/lib/modules", "/usr", "/bin", "/sbin",
  "/lib", "/proc", "/sys", "/dev", "/var/spool/cron", NULL};

/* What runtimes themselves bind into every container (hostname, hosts,
 * resolv.conf, volumes, termination log): not a finding. */
static const char *const runtime_dirs[] = {"/var/lib/docker/containers/",
  "/var/lib/docker/volumes/", "/var/lib/kubelet/pods/",
  "/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/",
  "/var/lib/containers/storage/", "/run/containers/storage/",
  "/var/run/containers/storage/", "/var/lib/docker/overlay2/", NULL};

static int mnt_in_list(const char *s, const char *const *list)
{
  for(size_t i = 0; list[i]; i++)
    if(strcmp(s, list[i]) == 0)
      return 1;
  return 0;
}

/* 1 if path is dir or below it. */
static int mnt_under(const char *path, const char *dir)
{
  size_t l = strlen(dir);
  return strncmp(path, dir, l) == 0 && (path[l] == '\0' || path[l] == '/');
}

static int mnt_prefix(const char *path, const char *const *list)
{
  for(size_t i = 0; list[i]; i++)
    if(strncmp(path, list[i], strlen(list[i])) == 0)
      return 1;
  return 0;
}

/* A runtime's own plumbing: the runtime_dirs, and the same under Docker's
 * user-namespace remapping root, /var/lib/docker/UID.GID/. */
static int mnt_runtime_dir(const char *root)
{
  if(mnt_prefix(root, runtime_dirs))
    return 1;
  static const char pfx[] = "/var/lib/docker/";
  if(strncmp(root, pfx, sizeof(pfx) - 1))
    return 0;
  const char *p = root + sizeof(pfx) - 1;
  size_t d1 = strspn(p, "0123456789");
  if(!d1 || p[d1] != '.')
    return 0;
  size_t d2 = strspn(p + d1 + 1, "0123456789");
  if(!d2 || p[d1 + 1 + d2] != '/')
    return 0;
  char rest[4200];
  snprintf(rest, sizeof(rest), "/var/lib/docker/%s", p + d1 + 1 + d2 + 1);
  return mnt_prefix(rest, runtime_dirs);
}

const struct insp_mount *insp_mount_of(const struct insp *in, const char *path)
{
  const struct insp_mount *best = NULL;
  size_t bl = 0;
  for(size_t i = 0; in->mounts_ok && i < in->mounts.n; i++) {
    const struct insp_mount *m = &in->mounts.v[i];
    size_t l = strlen(m->mountpoint);
    int under = strcmp(m->mountpoint, "/") == 0 ? path[0] == '/' : mnt_under(path, m->mountpoint);
    if(under && (!best || l >= bl)) {
      best = m;
      bl = l;
    }
  }
  return best;
}

void insp_mounts(struct insp *in)
{
  if(!in->mounts_ok) {
    report_fact(in->rep, "cgroup", "unknown");
    return;
  }
  int v1 = 0, v2 = 0;
  int container = in->in_container != INSP_NO;
  const struct insp_mount *pm = insp_mount_of(in, "/proc");
  if(pm && strcmp(pm->fstype, "proc") == 0 && strcmp(pm->mountpoint, "/proc") == 0)
    snprintf(in->proc_dev, sizeof(in->proc_dev), "%s", pm->dev);
  for(size_t i = 0; in->cgroups_ok && i < in->cgroups.n; i++)
    if(in->cgroups.v[i].hier > 0)
      v1 = 1;
  for(size_t i = 0; i < in->mounts.n; i++) {
    const struct insp_mount *m = &in->mounts.v[i];
    if(strcmp(m->fstype, "cgroup") == 0)
      v1 = 1;
    if(strcmp(m->fstype, "cgroup2") == 0)
      v2 = 1;
    if(strcmp(m->fstype, "sysfs") == 0 && strcmp(m->mountpoint, "/sys") == 0 && !m->ro)
      in->sys_rw = 1;
    if(!container || strcmp(m->mountpoint, "/") == 0)
      continue;
    char ev[768];
    const char *mode = m->ro ? "ro" : "rw";
    if(mnt_in_list(m->fstype, disk_fs) && strcmp(m->root, "/") == 0) {
      snprintf(ev, sizeof(ev), "%s %s (root /) mounted at %s (%s)", m->fstype,
               m->source, m->mountpoint, mode);
      insp_add(in, R_HOST_ROOT, -1, NULL, ev, "/proc/self/mountinfo", m->mountpoint);
      continue;
    }
    if(mnt_in_list(m->fstype, disk_fs) && !mnt_runtime_dir(m->root)) {
      for(size_t d = 0; host_dirs[d]; d++) {
        if(!mnt_under(m->root, host_dirs[d]))
          continue;
        snprintf(ev, sizeof(ev), "host %s mounted at %s (%s, %s)", m->root,
                 m->mountpoint, m->fstype, mode);
        insp_add(in, R_HOST_DIR, m->ro ? WD_SEV_MEDIUM : -1, NULL, ev,
                 "/proc/self/mountinfo", m->mountpoint);
        break;
      }
    }
    /* A second procfs outside /proc is the host's, or another PID
     * namespace's: its PID 1 root and environ are readable. The same
     * device as /proc is this container's own, seen through a recursive
     * bind: not a second one. */
    if(strcmp(m->fstype, "proc") == 0 && !mnt_under(m->mountpoint, "/proc") &&
       !(in->proc_dev[0] && strcmp(m->dev, in->proc_dev) == 0)) {
      snprintf(ev, sizeof(ev), "procfs mounted at %s (%s)", m->mountpoint, mode);
      insp_add(in, R_HOST_DIR, -1, NULL, ev, "/proc/self/mountinfo", m->mountpoint);
    }
  }
  in->cgroup_v1 = v1;
  report_fact(in->rep, "cgroup", v1 && v2 ? "hybrid" : v1 ? "v1" : v2 ? "v2" : "none");
  if(in->sys_rw && container)
    insp_add(in, R_SYS_WRITABLE, -1, NULL, "sysfs mounted read-write at /sys",
             "/proc/self/mountinfo", NULL);
}

/* Disk-like block devices: loop, ram and zram hold no host data. */
static int mnt_disk_name(const char *n)
{
  static const char *const pfx[] = {"sd", "vd", "xvd", "hd", "nvme", "mmcblk",
                                    "dm-", "md", "nbd", "rbd", NULL};
  return mnt_prefix(n, pfx);
}

static void mnt_dev_add(struct insp *in, char type, const char *name)
{
  if(type == 'c') {
    in->nchar++;
    return;
  }
  if(type != 'b' || !mnt_disk_name(name) || in->nblock >= INSP_MAX_DEVS)
    return;
  /* A longer name is no disk the kernel makes; the cut keeps the list. */
  snprintf(in->blockdevs[in->nblock++], sizeof(in->blockdevs[0]), "%.31s", name);
}

static int mnt_cmp(const void *a, const void *b)
{
  return strcmp(a, b);
}

void insp_devices(struct insp *in)
{
  if(in->root[0]) {
    if(!in->have_dev) {
      report_note(in->rep, ".capture/dev: absent: devices under /dev unknown");
      in->unknowns++;
      report_fact(in->rep, "block_devices", "unknown");
      return;
    }
    const char *s = buf_str(&in->cap_dev);
    while(*s) {
      const char *e = strchr(s, '\n');
      size_t l = e ? (size_t)(e - s) : strlen(s);
      char line[128];
      snprintf(line, sizeof(line), "%.*s", (int)(l < 127 ? l : 127), s);
      s += l + (e ? 1 : 0);
      if(strlen(line) > 2 && line[1] == ' ' && !strchr(line + 2, '/'))
        mnt_dev_add(in, line[0], line + 2);
    }
    in->devs_ok = 1;
  } else {
    DIR *d = opendir("/dev");
    if(!d) {
      report_note(in->rep, "/dev: cannot list: devices unknown");
      in->unknowns++;
      report_fact(in->rep, "block_devices", "unknown");
      return;
    }
    struct dirent *e;
    while((e = readdir(d))) {
      char p[512];
      struct stat sb;
      snprintf(p, sizeof(p), "/dev/%s", e->d_name);
      if(e->d_name[0] == '.' || lstat(p, &sb))
        continue;
      mnt_dev_add(in, S_ISBLK(sb.st_mode) ? 'b' : S_ISCHR(sb.st_mode) ? 'c' : '-', e->d_name);
    }
    closedir(d);
    in->devs_ok = 1;
  }
  /* Keep the report stable whatever order readdir gives. */
  qsort(in->blockdevs, in->nblock, sizeof(in->blockdevs[0]), mnt_cmp);
  struct buf b;
  buf_init(&b, 1024);
  for(size_t i = 0; i < in->nblock; i++)
    buf_printf(&b, "%s%s", i ? "," : "", in->blockdevs[i]);
  report_fact(in->rep, "block_devices", in->nblock ? buf_str(&b) : "none");
  if(in->nblock && in->in_container != INSP_NO) {
    char ev[600];
    snprintf(ev, sizeof(ev), "block devices in /dev: %s", buf_str(&b));
    insp_add(in, R_BLOCK_DEVICES, -1, NULL, ev, "/dev", NULL);
  }
  buf_cleanup(&b);
  /* The devices cgroup (v1) of this container: "a *:* rwm" is no limit. */
  struct buf dl;
  buf_init(&dl, 0);
  if(insp_read(in, "/sys/fs/cgroup/devices/devices.list", &dl, 64 * 1024) == 0 &&
     strncmp(buf_str(&dl), "a *:* rwm", 9) == 0)
    in->devices_cgroup_all = 1;
  buf_cleanup(&dl);
}

/* Kernel knobs that run host code or hurt the host when written. Never
 * written: decided on what the kernel allows (the mount, the writer's
 * uid and capabilities), and on access(2) (or a captured tree's
 * .capture/writable) for the file's own permissions. */
enum knob_kind {
  K_SYSCTL,   /* /proc/sys: the file mode against the euid, host root only */
  K_ROOTFILE, /* a root-owned file: host root, or CAP_DAC_OVERRIDE */
  K_HOSTNAME, /* /proc/sys/kernel/hostname: the UTS namespace's own */
  K_RELEASE,  /* cgroup v1 release_agent: CAP_SYS_ADMIN in the initial userns */
};

static const struct {
  const char *path;
  enum insp_rule rule;
  enum knob_kind kind;
  const char *why;
} mnt_knobs[] = {
  {"/proc/sys/kernel/core_pattern", R_CORE_PATTERN, K_SYSCTL, "a |program there runs as host root on a crash"},
  {"/proc/sys/kernel/modprobe", R_MODPROBE, K_SYSCTL, "the host kernel runs it as root"},
  {"/proc/sys/fs/binfmt_misc/register", R_BINFMT, K_ROOTFILE, "a handler runs for host binaries"},
  {"/sys/kernel/uevent_helper", R_UEVENT, K_ROOTFILE, "the host kernel runs it as root on a uevent"},
  {"/proc/sysrq-trigger", R_SYSRQ, K_ROOTFILE, "crash or reboot the host"},
  {"/proc/sys/vm/panic_on_oom", R_PROC_SYS_WRITABLE, K_SYSCTL, "host kernel parameter"},
  {"/proc/sys/fs/suid_dumpable", R_PROC_SYS_WRITABLE, K_SYSCTL, "host kernel parameter"},
  {"/proc/sys/kernel/hostname", R_PROC_SYS_WRITABLE, K_HOSTNAME, "host kernel parameter"},
  {"/sys/firmware/efi/efivars", R_SYS_WRITABLE, K_ROOTFILE, "host firmware variables"},
};

int insp_global_root(const struct insp *in)
{
  if(!(in->st.known & INSP_ST_UID))
    return INSP_UNKNOWN;
  if(in->st.uid[1] != 0)
    return INSP_NO;
  if(insp_ns_initial(in, NS_USER) == INSP_YES)
    return INSP_YES;
  if(!in->uidmap_ok)
    return INSP_UNKNOWN;
  return insp_idmap_outside(&in->uidmap, 0) == 0 ? INSP_YES : INSP_NO;
}

static int mnt_has_cap(const struct insp *in, int cap)
{
  if(!(in->st.known & INSP_ST_CAPEFF))
    return INSP_UNKNOWN;
  return in->st.cap_eff >> cap & 1 ? INSP_YES : INSP_NO;
}

/* What the kernel's own checks say about a write, before the file's
 * permissions: INSP_YES (they allow it), INSP_NO (with why), UNKNOWN. */
static int mnt_kernel_allows(struct insp *in, const char *path, enum knob_kind kind,
                             char *why, size_t wsz)
{
  const struct insp_mount *m = insp_mount_of(in, path);
  if(m && (m->ro || m->super_ro)) {
    snprintf(why, wsz, "read-only mount at %s", m->mountpoint);
    return INSP_NO;
  }
  int root = insp_global_root(in);
  switch(kind) {
  case K_HOSTNAME:
    if(in->uts_private != INSP_NO) {
      snprintf(why, wsz, "%s", in->uts_private == INSP_YES ? "a private UTS namespace: not the host's"
                                                            : "the UTS namespace is unknown");
      return in->uts_private == INSP_YES ? INSP_NO : INSP_UNKNOWN;
    }
    /* A shared UTS namespace: an ordinary sysctl. */
    /* fall through */
  case K_SYSCTL:
    if(root == INSP_NO)
      snprintf(why, wsz, "sysctl files are writable by the host's root only");
    return root;
  case K_ROOTFILE:
    if(root == INSP_YES)
      return INSP_YES;
    if(mnt_has_cap(in, 1) == INSP_YES && insp_ns_initial(in, NS_USER) == INSP_YES)
      return INSP_YES;
    if(root == INSP_NO)
      snprintf(why, wsz, "not the host's root");
    return root == INSP_NO ? INSP_NO : INSP_UNKNOWN;
  case K_RELEASE: {
    /* Since the CVE-2022-0492 fix the kernel wants CAP_SYS_ADMIN in the
     * initial user namespace; before it, the file mode alone. */
    struct buf b;
    buf_init(&b, 0);
    int v[3], fixed = -1;
    if(insp_read(in, "/proc/sys/kernel/osrelease", &b, 256) == 0 &&
       insp_parse_kver(b.data, b.len, v) == 0)
      fixed = !insp_kernel_vulnerable(R_CVE_RELEASE_AGENT, v);
    buf_cleanup(&b);
    int admin = mnt_has_cap(in, 21);
    int userns = insp_ns_initial(in, NS_USER);
    if(fixed == 0 || (admin == INSP_YES && userns == INSP_YES))
      return INSP_YES;
    if(admin == INSP_NO || userns == INSP_NO) {
      snprintf(why, wsz, "the kernel wants CAP_SYS_ADMIN in the initial user namespace");
      return fixed == 1 ? INSP_NO : INSP_UNKNOWN;
    }
    return INSP_UNKNOWN;
  }
  }
  return INSP_UNKNOWN;
}

/* unknown collects the knobs whose writability could not be told: their
 * count and the first paths, for the note. */
struct knob_unknown {
  int n;
  struct buf paths;
};

static void mnt_knob(struct insp *in, const char *path, enum insp_rule r,
                     enum knob_kind kind, const char *why, const char *via,
                     struct knob_unknown *unknown)
{
  int w = insp_writable(in, path);
  if(w == -2)
    return;
  char no[160] = "";
  int k = mnt_kernel_allows(in, path, kind, no, sizeof(no));
  /* Both must allow it: access(2) does not see the kernel's capability
   * checks, and the kernel's checks do not see the file's mode. */
  int verdict = k == INSP_NO || w == INSP_NO ? INSP_NO
                : k == INSP_YES && w == INSP_YES ? INSP_YES : INSP_UNKNOWN;
  if(verdict == INSP_UNKNOWN && unknown->n++ < 6)
    buf_printf(&unknown->paths, "%s%s", unknown->n > 1 ? ", " : "", path);
  if(verdict != INSP_YES)
    return;
  char *ev = xasprintf("%s is writable%s%s (mount read-write, %s; access W_OK): %s", path,
                       via ? " " : "", via ? via : "",
                       kind == K_RELEASE ? "CAP_SYS_ADMIN in the initial user namespace"
                       : insp_global_root(in) == INSP_YES ? "uid 0 is the host's root"
                                                          : "CAP_DAC_OVERRIDE",
                       why);
  insp_add(in, r, -1, NULL, ev, path,
           r == R_PROC_SYS_WRITABLE || r == R_SYS_WRITABLE || r == R_RELEASE_AGENT
           ? "knob" : path);
  free(ev);
}

void insp_knobs(struct insp *in)
{
  if(in->in_container == INSP_NO)
    return;
  int uts = insp_ns_initial(in, NS_UTS);
  in->uts_private = uts == INSP_YES ? INSP_NO : uts == INSP_NO ? INSP_YES : INSP_UNKNOWN;
  struct knob_unknown unknown = {0};
  buf_init(&unknown.paths, 2048);
  for(size_t i = 0; i < sizeof(mnt_knobs) / sizeof(mnt_knobs[0]); i++)
    mnt_knob(in, mnt_knobs[i].path, mnt_knobs[i].rule, mnt_knobs[i].kind, mnt_knobs[i].why,
             NULL, &unknown);
  /* release_agent only exists at the root of a v1 hierarchy: where one is
   * visible, the container sees the host's cgroup tree. A procfs other
   * than /proc's is the host's (-v /:/host): its knobs are the host's. */
  for(size_t i = 0; in->mounts_ok && i < in->mounts.n; i++) {
    const struct insp_mount *m = &in->mounts.v[i];
    char p[4200], via[4200];
    if(strcmp(m->fstype, "cgroup") == 0) {
      snprintf(p, sizeof(p), "%s/release_agent", m->mountpoint);
      mnt_knob(in, p, R_RELEASE_AGENT, K_RELEASE, "notify_on_release runs it as host root",
               NULL, &unknown);
    }
    if(strcmp(m->fstype, "proc") == 0 && strcmp(m->root, "/") == 0 &&
       !mnt_under(m->mountpoint, "/proc") &&
       !(in->proc_dev[0] && strcmp(m->dev, in->proc_dev) == 0)) {
      snprintf(via, sizeof(via), "through the procfs at %s", m->mountpoint);
      for(size_t k = 0; k < sizeof(mnt_knobs) / sizeof(mnt_knobs[0]); k++) {
        if(strncmp(mnt_knobs[k].path, "/proc/", 6) || mnt_knobs[k].kind == K_HOSTNAME)
          continue;
        snprintf(p, sizeof(p), "%s%s", m->mountpoint, mnt_knobs[k].path + 5);
        mnt_knob(in, p, mnt_knobs[k].rule, mnt_knobs[k].kind, mnt_knobs[k].why, via, &unknown);
      }
    }
  }
  if(unknown.n) {
    report_note(in->rep, "writability of %d kernel knob(s) unknown (the kernel's checks or the file's permissions could not be told): %s%s",
                unknown.n, buf_str(&unknown.paths), unknown.n > 6 ? ", ..." : "");
    in->unknowns++;
  }
  buf_cleanup(&unknown.paths);
}

/* Runtime sockets by file name, and the rule each one means. */
static const struct {
  const char *name;
  enum insp_rule rule;
  const char *what;
} mnt_socks[] = {
  {"docker.sock", R_DOCKER_SOCKET, "Docker"},
  {"containerd.sock", R_CONTAINERD_SOCKET, "containerd"},
  {"crio.sock", R_CRIO_SOCKET, "CRI-O"},
  {"podman.sock", R_RUNTIME_SOCKET, "Podman"},
  {"dockershim.sock", R_RUNTIME_SOCKET, "dockershim"},
  {"buildkitd.sock", R_RUNTIME_SOCKET, "BuildKit"},
  {"unix.socket", R_RUNTIME_SOCKET, "LXD"},
  {"frakti.sock", R_RUNTIME_SOCKET, "frakti"},
};
#define NSOCKS (sizeof(mnt_socks) / sizeof(mnt_socks[0]))

static const char *const sock_dirs[] = {"/var/run", "/run", "/var/run/docker",
  "/run/containerd", "/var/run/containerd", "/run/crio", "/var/run/crio",
  "/run/podman", "/var/run/podman", "/run/k3s/containerd", "/run/buildkit",
  "/var/lib/lxd", "/var/snap/lxd/common/lxd", "/run/docker", NULL};

static int mnt_sock_kind(const char *path)
{
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  for(size_t i = 0; i < NSOCKS; i++)
    if(strcmp(base, mnt_socks[i].name) == 0)
      return (int)i;
  return -1;
}

/* 1 if path is one of the places a runtime socket is kept. */
static int mnt_sock_known_path(const char *path)
{
  const char *base = strrchr(path, '/');
  if(!base || mnt_sock_kind(path) < 0)
    return 0;
  for(size_t d = 0; sock_dirs[d]; d++)
    if(strlen(sock_dirs[d]) == (size_t)(base - path) &&
       strncmp(path, sock_dirs[d], (size_t)(base - path)) == 0)
      return 1;
  return 0;
}

/* Records a socket at path. kind is the runtime the name says (-1: the
 * name says nothing; then only a socket found by its type counts, and
 * what it answers decides). by_mount: path is a mount point whose
 * mountinfo entry says what was bound there. */
static void mnt_sock_try(struct insp *in, const char *path, int kind, const char *how,
                         int by_mount)
{
  if(in->nsocks >= INSP_MAX_SOCKS)
    return;
  if(kind < 0)
    kind = mnt_sock_kind(path);
  if(kind < 0 && !by_mount)
    return;
  for(size_t i = 0; i < in->nsocks; i++)
    if(strcmp(in->socks[i].path, path) == 0)
      return;
  /* A captured tree may hold only mountinfo: a runtime socket's path
   * bound there is evidence enough. */
  int sock = insp_is_socket(in, path);
  if(!sock && !(by_mount && in->root[0] && kind >= 0 && mnt_sock_known_path(path)))
    return;
  size_t pl = strlen(path);
  if(pl >= sizeof(in->socks[0].path))
    return; /* no unix socket path is that long */
  struct insp_sock *s = &in->socks[in->nsocks++];
  memset(s, 0, sizeof(*s));
  memcpy(s->path, path, pl + 1);
  snprintf(s->how, sizeof(s->how), "%s", how);
  s->kind = kind;
  s->answered = INSP_UNKNOWN;
}

void insp_sockets(struct insp *in)
{
  char p[4200];
  /* Known places, then every mount: a socket bound in directly (found by
   * its type, named by either end of the bind), or a directory holding
   * one (-v /var/run:/host/run dodges exact paths). */
  for(size_t d = 0; sock_dirs[d]; d++)
    for(size_t k = 0; k < NSOCKS; k++) {
      snprintf(p, sizeof(p), "%s/%s", sock_dirs[d], mnt_socks[k].name);
      mnt_sock_try(in, p, (int)k, "known path", 0);
    }
  for(size_t i = 0; in->mounts_ok && i < in->mounts.n; i++) {
    const struct insp_mount *m = &in->mounts.v[i];
    const char *mp = m->mountpoint;
    if(strcmp(mp, "/")) {
      int kind = mnt_sock_kind(mp);
      if(kind < 0)
        kind = mnt_sock_kind(m->root);
      mnt_sock_try(in, mp, kind, "mount point", 1);
    }
    for(size_t k = 0; k < NSOCKS; k++) {
      snprintf(p, sizeof(p), "%s/%s", strcmp(mp, "/") ? mp : "", mnt_socks[k].name);
      mnt_sock_try(in, p, (int)k, "in a mounted directory", 0);
      snprintf(p, sizeof(p), "%s/docker/%s", strcmp(mp, "/") ? mp : "", mnt_socks[k].name);
      mnt_sock_try(in, p, (int)k, "in a mounted directory", 0);
    }
  }
  /* A captured tree lists its sockets, and what they answered. */
  if(in->root[0] && in->have_sockets) {
    const char *s = buf_str(&in->cap_sockets);
    while(*s) {
      const char *e = strchr(s, '\n');
      size_t l = e ? (size_t)(e - s) : strlen(s);
      char line[400];
      snprintf(line, sizeof(line), "%.*s", (int)(l < 399 ? l : 399), s);
      s += l + (e ? 1 : 0);
      line[strcspn(line, " \t")] = '\0';
      if(line[0] == '/')
        mnt_sock_try(in, line, -1, "captured", 0);
    }
  }
  const char *dh = insp_getenv(in, "DOCKER_HOST");
  if(dh && strncmp(dh, "unix://", 7) == 0)
    mnt_sock_try(in, dh + 7, 0, "DOCKER_HOST", 0);
  if(dh && strncmp(dh, "tcp://", 6) == 0 && in->in_container != INSP_NO) {
    char ev[300];
    snprintf(ev, sizeof(ev), "DOCKER_HOST=%.200s", dh);
    insp_add(in, R_DOCKER_HOST_TCP, -1, NULL, ev, "/proc/self/environ", NULL);
  }

  struct buf list;
  buf_init(&list, 4096);
  int timeout = in->o->probe_timeout_ms > 0 ? in->o->probe_timeout_ms : 500;
  for(size_t i = 0; i < in->nsocks; i++) {
    struct insp_sock *s = &in->socks[i];
    if(in->root[0]) {
      const char *rest = NULL;
      /* "PATH VERSION" means it answered with that version when captured. */
      insp_listed(&in->cap_sockets, s->path, &rest);
      if(rest) {
        while(*rest == ' ' || *rest == '\t')
          rest++;
        snprintf(s->version, sizeof(s->version), "%.*s", (int)strcspn(rest, "\n"), rest);
        s->answered = s->version[0] ? INSP_YES : INSP_NO;
      }
    } else if(in->o->probe_sockets) {
      char err[128];
      s->answered = insp_sock_version(s->path, timeout, s->version,
                                      sizeof(s->version), err, sizeof(err))
                        ? INSP_YES : INSP_NO;
    }
    /* A socket its name does not place is a Docker API if it answers
     * GET /version as one. */
    if(s->kind < 0 && s->answered == INSP_YES && strstr(s->version, "ApiVersion"))
      s->kind = 0;
    if(s->kind < 0)
      continue;
    int k = s->kind;
    int w = insp_writable(in, s->path);
    buf_printf(&list, "%s%s", list.len ? "," : "", s->path);
    /* On a host the runtime's socket is expected; in a container it is
     * the way out. */
    if(in->in_container == INSP_NO)
      continue;
    char ev[600];
    snprintf(ev, sizeof(ev), "%s socket at %s (%s; %s)", mnt_socks[k].what, s->path, s->how,
             w == INSP_YES ? "writable: connect allowed" : w == INSP_NO
             ? "not writable by this user" : "writability unknown");
    insp_add(in, mnt_socks[k].rule, w == INSP_NO ? WD_SEV_MEDIUM : -1, NULL, ev,
             s->path, s->path);
    if(s->answered == INSP_YES) {
      char title[128];
      snprintf(title, sizeof(title), "%s socket answers GET /version", mnt_socks[k].what);
      snprintf(ev, sizeof(ev), "%s answered GET /version: %s", s->path,
               s->version[0] ? s->version : "HTTP response");
      insp_add(in, R_SOCKET_LIVE, -1, title, ev, s->path, s->path);
    }
  }
  report_fact(in->rep, "sockets", list.len ? buf_str(&list) : "none");
  buf_cleanup(&list);
}
