/*
 * iac_rules.c - every rule iac reports, and the judgements all three
 * input formats share: which host paths matter, which capabilities,
 * which names hold secrets. The metadata lives here and nowhere else:
 * `warden checks`, the reports and docs/iac.md read it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "iac_int.h"

#define C WD_SEV_CRITICAL
#define H WD_SEV_HIGH
#define M WD_SEV_MEDIUM
#define L WD_SEV_LOW


/* ---- paths -------------------------------------------------------------- */

int iac_path_norm(const char *path, char *out, size_t outlen)
{
  char tmp[4096];
  if(!path || !outlen)
    return -1;
  /* Home directories: the deploying user's, under /home or /root. */
  if(path[0] == '~')
    snprintf(tmp, sizeof(tmp), "/home/~%s", path + 1);
  else if(strncmp(path, "$HOME", 5) == 0)
    snprintf(tmp, sizeof(tmp), "/home/~%s", path + 5);
  else if(strncmp(path, "${HOME}", 7) == 0)
    snprintf(tmp, sizeof(tmp), "/home/~%s", path + 7);
  else if(path[0] == '/')
    snprintf(tmp, sizeof(tmp), "%s", path);
  else
    return -1;
  size_t o = 0;
  const char *p = tmp;
  while(*p) {
    while(*p == '/')
      p++;
    if(!*p)
      break;
    const char *e = strchr(p, '/');
    size_t l = e ? (size_t)(e - p) : strlen(p);
    if(l == 1 && p[0] == '.') {
      /* nothing */
    } else if(l == 2 && p[0] == '.' && p[1] == '.') {
      while(o > 0 && out[o - 1] != '/')
        o--;
      if(o > 0)
        o--; /* the slash */
    } else {
      if(o + 1 + l + 1 > outlen)
        return -1;
      out[o++] = '/';
      memcpy(out + o, p, l);
      o += l;
    }
    p += l;
  }
  if(o == 0)
    out[o++] = '/';
  out[o] = '\0';
  return 0;
}

int iac_path_covers(const char *a, const char *b)
{
  if(strcmp(a, "/") == 0)
    return 1;
  size_t l = strlen(a);
  return strncmp(a, b, l) == 0 && (b[l] == '\0' || b[l] == '/');
}

/* Runtime sockets by file name, wherever they live (k3s, rootless, ...). */
static const struct {
  const char *base;
  enum iac_rule rule;
} sock_names[] = {
  {"docker.sock", R_DOCKER_SOCKET}, {"docker.sock.raw", R_DOCKER_SOCKET},
  {"containerd.sock", R_RUNTIME_SOCKET}, {"crio.sock", R_RUNTIME_SOCKET},
  {"podman.sock", R_RUNTIME_SOCKET}, {"cri-dockerd.sock", R_RUNTIME_SOCKET},
  {"dockershim.sock", R_RUNTIME_SOCKET}, {"buildkitd.sock", R_RUNTIME_SOCKET},
};

/* Where those sockets live, so that a mount of the directory counts. */
static const struct {
  const char *path;
  enum iac_rule rule;
} sock_paths[] = {
  {"/var/run/docker.sock", R_DOCKER_SOCKET}, {"/run/docker.sock", R_DOCKER_SOCKET},
  {"/run/containerd/containerd.sock", R_RUNTIME_SOCKET},
  {"/var/run/containerd/containerd.sock", R_RUNTIME_SOCKET},
  {"/var/run/crio/crio.sock", R_RUNTIME_SOCKET}, {"/run/crio/crio.sock", R_RUNTIME_SOCKET},
  {"/run/podman/podman.sock", R_RUNTIME_SOCKET},
  {"/var/run/cri-dockerd.sock", R_RUNTIME_SOCKET},
  {"/run/k3s/containerd/containerd.sock", R_RUNTIME_SOCKET},
};

/* Sensitive host directories: severity writable / read-only. */
static const struct {
  const char *path;
  int rw, ro;
  const char *what;
} sens_dirs[] = {
  {"/proc", C, M, "host /proc: core_pattern, sysrq and every host process"},
  {"/sys", C, M, "host /sys: cgroup release_agent, uevent_helper, firmware"},
  {"/dev", H, M, "host /dev: raw disks and kernel memory devices"},
  {"/etc", C, M, "host /etc: shadow, sudoers, cron and kubelet configuration"},
  {"/root", H, M, "root's home: SSH keys and shell start-up files"},
  {"/home", H, M, "users' homes: SSH keys, cloud and kube credentials"},
  {"/var/lib/kubelet", C, H, "kubelet state: every pod's secrets and tokens"},
  {"/var/lib/docker", C, H, "Docker's state: every container's filesystem and secrets"},
  {"/var/lib/containerd", C, H, "containerd's state: every container's filesystem"},
  {"/var/lib/containers", C, H, "Podman/CRI-O state: every container's filesystem"},
  {"/var/log", H, L, "host logs: a symlink planted there reads any host file through the kubelet"},
  {"/boot", H, L, "kernel and boot loader"},
  {"/lib/modules", H, L, "kernel modules loaded by the host"},
  {"/usr", H, L, "host binaries run by host root"},
  {"/lib", H, L, "host libraries loaded by host root"},
  {"/lib64", H, L, "host libraries loaded by host root"},
  {"/bin", H, L, "host binaries run by host root"},
  {"/sbin", H, L, "host binaries run by host root"},
  {"/etc/kubernetes", C, H, "cluster PKI and kubelet credentials"},
};

/* Host files commonly shared read-only and harmless that way. */
static const char *const benign_ro[] = {
  "/etc/localtime", "/etc/timezone", "/etc/ssl/certs", "/etc/ca-certificates",
  "/etc/pki/ca-trust", "/etc/machine-id", "/etc/hostname", "/etc/hosts",
  "/etc/resolv.conf", "/usr/share/zoneinfo", "/dev/null", "/dev/zero",
  "/dev/random", "/dev/urandom", "/dev/shm", "/proc/cpuinfo", "/proc/meminfo",
};

void iac_hostpath_judge(const char *norm, int readonly, struct iac_hostpath *h)
{
  memset(h, 0, sizeof(*h));
  h->rule = R__COUNT;
  h->sev = -1;
  if(strcmp(norm, "/") == 0) {
    h->rule = R_HOST_ROOT;
    h->sev = readonly ? H : C;
    h->what = "the host's whole filesystem";
    return;
  }
  /* A socket, or a directory holding one: ro does not stop connect(). */
  const char *base = strrchr(norm, '/');
  base = base ? base + 1 : norm;
  for(size_t i = 0; i < sizeof(sock_names) / sizeof(sock_names[0]); i++)
    if(strcmp(base, sock_names[i].base) == 0) {
      h->rule = sock_names[i].rule;
      h->sev = C;
      h->what = "container runtime API socket";
      return;
    }
  /* A parent directory exposes the socket only from /run down: /var/run
   * is a symlink to /run, so a mount of /var does not carry it. */
  int rundir = iac_path_covers("/run", norm) || iac_path_covers("/var/run", norm);
  for(size_t i = 0; rundir && i < sizeof(sock_paths) / sizeof(sock_paths[0]); i++)
    if(iac_path_covers(norm, sock_paths[i].path)) {
      h->rule = sock_paths[i].rule;
      h->sev = C;
      h->what = "directory holding a container runtime socket";
      h->via = sock_paths[i].path;
      return;
    }
  for(size_t i = 0; i < sizeof(benign_ro) / sizeof(benign_ro[0]); i++)
    if(iac_path_covers(benign_ro[i], norm)) {
      h->rule = readonly ? R__COUNT : R_HOST_PATH;
      h->sev = readonly ? -1 : L;
      h->what = "host file";
      return;
    }
  /* The longest sensitive directory that holds the path, or the worst one
   * the path holds (a mount of /var exposes /var/lib/kubelet). */
  int best = -1;
  size_t bestlen = 0;
  for(size_t i = 0; i < sizeof(sens_dirs) / sizeof(sens_dirs[0]); i++) {
    if(iac_path_covers(sens_dirs[i].path, norm) && strlen(sens_dirs[i].path) > bestlen) {
      best = (int)i;
      bestlen = strlen(sens_dirs[i].path);
    }
  }
  if(best >= 0) {
    h->rule = R_HOST_SENSITIVE;
    h->sev = readonly ? sens_dirs[best].ro : sens_dirs[best].rw;
    h->what = sens_dirs[best].what;
    return;
  }
  for(size_t i = 0; i < sizeof(sens_dirs) / sizeof(sens_dirs[0]); i++) {
    if(!iac_path_covers(norm, sens_dirs[i].path))
      continue;
    int s = readonly ? sens_dirs[i].ro : sens_dirs[i].rw;
    if(s > h->sev) {
      h->rule = R_HOST_SENSITIVE;
      h->sev = s;
      h->what = sens_dirs[i].what;
      h->via = sens_dirs[i].path;
    }
  }
  if(h->rule == R__COUNT) {
    h->rule = R_HOST_PATH;
    h->sev = readonly ? WD_SEV_INFO : L;
    h->what = "host directory";
  }
}

int iac_device_sev(const char *norm)
{
  static const char *const harmless[] = {"/dev/null", "/dev/zero", "/dev/random",
    "/dev/urandom", "/dev/full", "/dev/tty", "/dev/console", "/dev/shm", "/dev/stdout",
    "/dev/stderr", "/dev/stdin"};
  static const char *const disks[] = {"/dev/sd", "/dev/hd", "/dev/vd", "/dev/xvd",
    "/dev/nvme", "/dev/dm-", "/dev/mapper", "/dev/loop", "/dev/mmcblk", "/dev/md",
    "/dev/disk"};
  static const char *const memdev[] = {"/dev/mem", "/dev/kmem", "/dev/port",
    "/dev/kmsg", "/dev/cpu"};
  for(size_t i = 0; i < sizeof(harmless) / sizeof(harmless[0]); i++)
    if(iac_path_covers(harmless[i], norm))
      return -1;
  for(size_t i = 0; i < sizeof(memdev) / sizeof(memdev[0]); i++)
    if(iac_path_covers(memdev[i], norm))
      return C;
  for(size_t i = 0; i < sizeof(disks) / sizeof(disks[0]); i++)
    if(strncmp(norm, disks[i], strlen(disks[i])) == 0)
      return C;
  if(strcmp(norm, "/dev") == 0)
    return C;
  return M;
}

/* ---- capabilities ------------------------------------------------------- */

enum iac_rule iac_cap_rule(const char *cap)
{
  static const struct {
    const char *name;
    enum iac_rule rule;
  } caps[] = {
    {"SYS_ADMIN", R_CAP_SYS_ADMIN}, {"SYS_MODULE", R_CAP_SYS_MODULE},
    {"SYS_PTRACE", R_CAP_SYS_PTRACE}, {"DAC_READ_SEARCH", R_CAP_DAC_READ_SEARCH},
    {"DAC_OVERRIDE", R_CAP_DAC_OVERRIDE}, {"NET_ADMIN", R_CAP_NET_ADMIN},
    {"NET_RAW", R_CAP_NET_RAW}, {"BPF", R_CAP_BPF}, {"PERFMON", R_CAP_PERFMON},
    {"SYS_RAWIO", R_CAP_SYS_RAWIO}, {"MAC_ADMIN", R_CAP_MAC_ADMIN},
    {"MAC_OVERRIDE", R_CAP_MAC_ADMIN}, {"ALL", R_CAP_ALL},
    {"NET_BIND_SERVICE", R__COUNT},
  };
  if(strncasecmp(cap, "CAP_", 4) == 0)
    cap += 4;
  for(size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
    if(strcasecmp(cap, caps[i].name) == 0)
      return caps[i].rule;
  return R_CAP_ADDED;
}

int iac_judge_cap_add(struct iac_ctx *c, struct ydoc *d, const struct ynode *add,
                      const char *file, const char *subj, const char *field)
{
  int ptrace_line = 0;
  for(size_t i = 0; i < y_len(d, add); i++) {
    const struct ynode *it = y_item(d, add, i);
    const char *cap = y_str(d, it);
    if(!cap)
      continue;
    enum iac_rule r = iac_cap_rule(cap);
    if(r == R__COUNT)
      continue;
    char subj2[400];
    snprintf(subj2, sizeof(subj2), "%s %s", subj, cap);
    iac_emit(c, r, -1, file, it->line, subj2, NULL, "%s: %s %s", subj, field, cap);
    if((r == R_CAP_SYS_PTRACE || r == R_CAP_SYS_ADMIN || r == R_CAP_ALL) && !ptrace_line)
      ptrace_line = it->line;
  }
  return ptrace_line;
}

void iac_caps_remaining(struct ydoc *d, const struct ynode *drop, char *out, size_t n)
{
  /* The default set of Docker, containerd and CRI-O, riskiest first. */
  static const char *const defaults[] = {"NET_RAW", "DAC_OVERRIDE", "SETUID", "SETGID",
    "FOWNER", "CHOWN", "FSETID", "KILL", "MKNOD", "SETFCAP", "SETPCAP",
    "NET_BIND_SERVICE", "SYS_CHROOT", "AUDIT_WRITE"};
  size_t o = 0, kept = 0;
  out[0] = '\0';
  for(size_t k = 0; k < sizeof(defaults) / sizeof(defaults[0]); k++) {
    int dropped = 0;
    for(size_t i = 0; i < y_len(d, drop) && !dropped; i++) {
      const char *cap = y_str(d, y_item(d, drop, i));
      if(cap && !strncasecmp(cap, "CAP_", 4))
        cap += 4;
      dropped = cap && !strcasecmp(cap, defaults[k]);
    }
    if(dropped)
      continue;
    /* Appended by hand (snprintf per name cost more than the rest). */
    const char *sep = kept++ ? ", " : "";
    size_t sl = strlen(sep), dl = strlen(defaults[k]);
    if(o + sl + dl >= n) {
      /* What snprintf left: the part that fits, then the end. */
      size_t room = n - o - 1;
      char tmp[64];
      memcpy(tmp, sep, sl);
      memcpy(tmp + sl, defaults[k], dl);
      memcpy(out + o, tmp, room < sl + dl ? room : sl + dl);
      out[o + (room < sl + dl ? room : sl + dl)] = '\0';
      break;
    }
    memcpy(out + o, sep, sl);
    memcpy(out + o + sl, defaults[k], dl + 1);
    o += sl + dl;
  }
  if(!kept)
    snprintf(out, n, "none of the defaults (all dropped one by one)");
}

int iac_drops_all(struct ydoc *d, const struct ynode *drop)
{
  for(size_t i = 0; i < y_len(d, drop); i++) {
    const char *cap = y_str(d, y_item(d, drop, i));
    if(cap && (!strcasecmp(cap, "ALL") || !strcasecmp(cap, "CAP_ALL")))
      return 1;
  }
  return 0;
}

/* ---- secrets ------------------------------------------------------------ */

int iac_secret_name(const char *name)
{
  static const char *const words[] = {"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET",
    "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL",
    "AUTH_KEY", "CLIENT_KEY", "_PWD", "DB_PASS", "ENCRYPTION_KEY", "SIGNING_KEY"};
  /* Names that point at a secret rather than hold one. */
  static const char *const refs[] = {"_FILE", "_PATH", "_DIR", "_NAME", "_URL_FILE",
    "_LENGTH", "_TTL", "_EXPIRY", "_TIMEOUT", "_ENDPOINT", "_HEADER"};
  char up[128];
  size_t l = strlen(name);
  if(l == 0 || l >= sizeof(up))
    return 0;
  for(size_t i = 0; i <= l; i++)
    up[i] = (char)toupper((unsigned char)name[i]);
  for(size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
    size_t rl = strlen(refs[i]);
    if(l > rl && strcmp(up + l - rl, refs[i]) == 0)
      return 0;
  }
  for(size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
    if(strstr(up, words[i]))
      return 1;
  return 0;
}

int iac_secret_value(const char *v)
{
  if(!v)
    return 0;
  while(*v == ' ' || *v == '"' || *v == '\'')
    v++;
  size_t l = strlen(v);
  while(l && (v[l - 1] == '"' || v[l - 1] == '\'' || v[l - 1] == ' '))
    l--;
  if(l < 4)
    return 0;
  /* References to the environment or to templating are not secrets. */
  if(v[0] == '$' || (v[0] == '{' && v[1] == '{') || v[0] == '<')
    return 0;
  static const char *const placeholders[] = {"changeme", "change-me", "xxxx",
    "example", "placeholder", "dummy", "replace", "your-", "your_", "none", "null",
    "false", "true"};
  for(size_t i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++)
    if(strncasecmp(v, placeholders[i], strlen(placeholders[i])) == 0)
      return 0;
  return 1;
}

void iac_env_secret(struct iac_ctx *c, const char *file, int line, const char *subj,
                    const char *what, const char *k, const char *v)
{
  if(!k || !v || !iac_secret_name(k) || !iac_secret_value(v))
    return;
  iac_secret_seen(c, v);
  char *m = str_mask_secret(v, strlen(v));
  char subj2[400];
  snprintf(subj2, sizeof(subj2), "%s %s", subj, k);
  iac_emit(c, R_SECRET_ENV, -1, file, line, subj2, NULL, "%s: %s %s=%s", subj, what, k, m);
  free(m);
}

int iac_sysctl_sev(const char *name)
{
  static const char *const safe[] = {"kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"};
  char n[256];
  size_t l = strlen(name);
  if(l >= sizeof(n))
    l = sizeof(n) - 1;
  /* "net/ipv4/..." is the same sysctl as "net.ipv4...". */
  for(size_t i = 0; i < l; i++)
    n[i] = name[i] == '/' ? '.' : name[i];
  n[l] = '\0';
  for(size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
    if(strcmp(n, safe[i]) == 0)
      return -1;
  if(strncmp(n, "kernel.", 7) == 0 || strncmp(n, "vm.", 3) == 0 ||
     strncmp(n, "fs.", 3) == 0 || strncmp(n, "dev.", 4) == 0)
    return H;
  return M;
}

int iac_image_has_docker_cli(const char *image)
{
  if(!image)
    return 0;
  /* The repository's last path component, without tag or digest. */
  const char *slash = strrchr(image, '/');
  const char *base = slash ? slash + 1 : image;
  size_t l = strcspn(base, ":@");
  return (l == 6 && strncmp(base, "docker", 6) == 0) ||
         (l == 10 && strncmp(base, "docker-cli", 10) == 0);
}

enum iac_rule iac_mount_emit(struct iac_ctx *c, const char *file, int line,
                             const char *subject, const char *raw, int readonly,
                             const char *how)
{
  char norm[4096];
  if(iac_path_norm(raw, norm, sizeof(norm)))
    return R__COUNT;
  struct iac_hostpath h;
  iac_hostpath_judge(norm, readonly, &h);
  if(h.rule == R__COUNT)
    return R__COUNT;
  char *ex = iac_excerpt(raw, 200);
  char via[300] = "";
  if(h.via)
    snprintf(via, sizeof(via), " (includes %s)", h.via);
  iac_emit(c, h.rule, h.sev, file, line, subject, NULL, "%s: %s %s%s, %s: %s", subject,
           how, ex, via, readonly ? "read-only" : "writable", h.what);
  free(ex);
  return h.rule;
}

char *iac_path_join(const char *dir, const char *rel)
{
  char *joined = rel[0] == '/' || !dir || !*dir ? xstrdup(rel)
                                                 : xasprintf("%s/%s", dir, rel);
  /* Components kept on a stack; ".." pops unless nothing is left to pop
   * in a relative path, where it stays. */
  size_t n = strlen(joined);
  char *out = xmalloc(n + 2);
  size_t o = 0;
  int abs = joined[0] == '/';
  if(abs)
    out[o++] = '/';
  size_t keep = o; /* out[0..keep) cannot be popped */
  const char *p = joined;
  while(*p) {
    while(*p == '/')
      p++;
    if(!*p)
      break;
    size_t l = strcspn(p, "/");
    if(l == 1 && p[0] == '.') {
      /* nothing */
    } else if(l == 2 && p[0] == '.' && p[1] == '.' && o > keep) {
      while(o > keep && out[o - 1] != '/')
        o--;
      if(o > keep)
        o--;
    } else {
      if(o > 0 && out[o - 1] != '/')
        out[o++] = '/';
      memcpy(out + o, p, l);
      o += l;
      if(l == 2 && p[0] == '.' && p[1] == '.')
        keep = o;
    }
    p += l;
  }
  if(o == 0)
    out[o++] = '.';
  out[o] = '\0';
  free(joined);
  return out;
}
