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

void insp_mounts(struct insp *in)
{
  if(!in->mounts_ok) {
    report_fact(in->rep, "cgroup", "unknown");
    return;
  }
  int v1 = 0, v2 = 0;
  int container = in->in_container != INSP_NO;
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
    if(mnt_in_list(m->fstype, disk_fs) && !mnt_prefix(m->root, runtime_dirs)) {
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
     * namespace's: its PID 1 root and environ are readable. */
    if(strcmp(m->fstype, "proc") == 0 && !mnt_under(m->mountpoint, "/proc")) {
      snprintf(ev, sizeof(ev), "procfs mounted at %s (%s)", m->mountpoint, mode);
      insp_add(in, R_HOST_DIR, -1, NULL, ev, "/proc/self/mountinfo", m->mountpoint);
    }
  }
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

/* Kernel knobs that run host code or hurt the host when written. Asked of
 * access(2), never written. */
static const struct {
  const char *path;
  enum insp_rule rule;
  const char *why;
} mnt_knobs[] = {
  {"/proc/sys/kernel/core_pattern", R_CORE_PATTERN, "a |program there runs as host root on a crash"},
  {"/proc/sys/kernel/modprobe", R_MODPROBE, "the host kernel runs it as root"},
  {"/proc/sys/fs/binfmt_misc/register", R_BINFMT, "a handler runs for host binaries"},
  {"/sys/kernel/uevent_helper", R_UEVENT, "the host kernel runs it as root on a uevent"},
  {"/proc/sysrq-trigger", R_SYSRQ, "crash or reboot the host"},
  {"/proc/sys/vm/panic_on_oom", R_PROC_SYS_WRITABLE, "host kernel parameter"},
  {"/proc/sys/fs/suid_dumpable", R_PROC_SYS_WRITABLE, "host kernel parameter"},
  {"/proc/sys/kernel/hostname", R_PROC_SYS_WRITABLE, "host kernel parameter"},
  {"/sys/firmware/efi/efivars", R_SYS_WRITABLE, "host firmware variables"},
};

static void mnt_knob(struct insp *in, const char *path, enum insp_rule r,
                     const char *why, int *unknown)
{
  int w = insp_writable(in, path);
  if(w == INSP_UNKNOWN)
    (*unknown)++;
  if(w != INSP_YES)
    return;
  char *ev = xasprintf("%s is writable (access W_OK): %s", path, why);
  insp_add(in, r, -1, NULL, ev, path, 
           r == R_PROC_SYS_WRITABLE || r == R_SYS_WRITABLE || r == R_RELEASE_AGENT
           ? "knob" : path);
  free(ev);
}

void insp_knobs(struct insp *in)
{
  if(in->in_container == INSP_NO)
    return;
  int unknown = 0;
  for(size_t i = 0; i < sizeof(mnt_knobs) / sizeof(mnt_knobs[0]); i++)
    mnt_knob(in, mnt_knobs[i].path, mnt_knobs[i].rule, mnt_knobs[i].why, &unknown);
  /* release_agent only exists at the root of a v1 hierarchy: where one is
   * visible, the container sees the host's cgroup tree. */
  for(size_t i = 0; in->mounts_ok && i < in->mounts.n; i++) {
    const struct insp_mount *m = &in->mounts.v[i];
    if(strcmp(m->fstype, "cgroup"))
      continue;
    char p[4200];
    snprintf(p, sizeof(p), "%s/release_agent", m->mountpoint);
    mnt_knob(in, p, R_RELEASE_AGENT, "notify_on_release runs it as host root", &unknown);
  }
  if(unknown) {
    report_note(in->rep, "writability of %d kernel knob(s) unknown (no .capture/writable or access failed)", unknown);
    in->unknowns++;
  }
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

static void mnt_sock_try(struct insp *in, const char *path)
{
  if(mnt_sock_kind(path) < 0 || in->nsocks >= INSP_MAX_SOCKS)
    return;
  for(size_t i = 0; i < in->nsocks; i++)
    if(strcmp(in->socks[i].path, path) == 0)
      return;
  if(!insp_is_socket(in, path))
    return;
  struct insp_sock *s = &in->socks[in->nsocks++];
  memset(s, 0, sizeof(*s));
  snprintf(s->path, sizeof(s->path), "%s", path);
  s->answered = INSP_UNKNOWN;
}

void insp_sockets(struct insp *in)
{
  char p[4200];
  /* Known places, then every mount: a socket bound in directly, or a
   * directory holding one (-v /var/run:/host/run dodges exact paths). */
  for(size_t d = 0; sock_dirs[d]; d++)
    for(size_t k = 0; k < NSOCKS; k++) {
      snprintf(p, sizeof(p), "%s/%s", sock_dirs[d], mnt_socks[k].name);
      mnt_sock_try(in, p);
    }
  for(size_t i = 0; in->mounts_ok && i < in->mounts.n; i++) {
    const char *mp = in->mounts.v[i].mountpoint;
    mnt_sock_try(in, mp);
    for(size_t k = 0; k < NSOCKS; k++) {
      snprintf(p, sizeof(p), "%s/%s", strcmp(mp, "/") ? mp : "", mnt_socks[k].name);
      mnt_sock_try(in, p);
      snprintf(p, sizeof(p), "%s/docker/%s", strcmp(mp, "/") ? mp : "", mnt_socks[k].name);
      mnt_sock_try(in, p);
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
        mnt_sock_try(in, line);
    }
  }
  const char *dh = insp_getenv(in, "DOCKER_HOST");
  if(dh && strncmp(dh, "unix://", 7) == 0)
    mnt_sock_try(in, dh + 7);
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
    int k = mnt_sock_kind(s->path);
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
    int w = insp_writable(in, s->path);
    buf_printf(&list, "%s%s", i ? "," : "", s->path);
    /* On a host the runtime's socket is expected; in a container it is
     * the way out. */
    if(in->in_container == INSP_NO)
      continue;
    char ev[512];
    snprintf(ev, sizeof(ev), "%s socket at %s (%s)", mnt_socks[k].what, s->path,
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
  report_fact(in->rep, "sockets", in->nsocks ? buf_str(&list) : "none");
  buf_cleanup(&list);
}
