/*
 * insp_proc.c - where inspect runs, who it runs as, what it may do:
 * runtime detection, capabilities, user and groups, seccomp, LSMs,
 * namespaces, and the privileged-container verdict.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "insp_int.h"

static const char *const cap_names[] = {
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
  "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
  "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
  "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
  "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
  "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
  "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
  "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};
#define NCAPNAMES ((int)(sizeof(cap_names) / sizeof(cap_names[0])))

const char *insp_cap_name(int cap)
{
  return cap >= 0 && cap < NCAPNAMES ? cap_names[cap] : NULL;
}

/* The capabilities judged one by one. Those with their own rule are
 * the classic escapes; the rest share inspect.cap-dangerous with a
 * severity of their own. */
static const struct {
  int cap;
  enum insp_rule rule;
  int severity; /* -1 = the rule's */
  const char *why;
} proc_caps[] = {
  {21, R_CAP_SYS_ADMIN, -1, "mount a cgroup or the host disk, set release_agent"},
  {16, R_CAP_SYS_MODULE, -1, "insmod a module into the host kernel"},
  {19, R_CAP_SYS_PTRACE, -1, "ptrace visible processes"},
  {2, R_CAP_DAC_READ_SEARCH, -1, "open_by_handle_at reads host files"},
  {39, R_CAP_DANGEROUS, WD_SEV_HIGH, "load BPF programs into the host kernel"},
  {17, R_CAP_DANGEROUS, WD_SEV_HIGH, "raw I/O to devices and memory"},
  {12, R_CAP_DANGEROUS, WD_SEV_MEDIUM, "reconfigure the network namespace"},
  {38, R_CAP_DANGEROUS, WD_SEV_MEDIUM, "perf events on the host kernel"},
  {33, R_CAP_DANGEROUS, WD_SEV_MEDIUM, "change the MAC (AppArmor/SELinux) policy"},
  {32, R_CAP_DANGEROUS, WD_SEV_MEDIUM, "override the MAC policy"},
  {34, R_CAP_DANGEROUS, WD_SEV_LOW, "read kernel addresses from syslog (KASLR)"},
  {1, R_CAP_DANGEROUS, WD_SEV_LOW, "write any file on a host mount regardless of permissions"},
  {22, R_CAP_DANGEROUS, WD_SEV_LOW, "reboot or kexec"},
  {25, R_CAP_DANGEROUS, WD_SEV_LOW, "set the host clock"},
};

/* Writes the names of the bits set in caps into b ("SYS_ADMIN,..."). */
static void proc_cap_list(struct buf *b, unsigned long long caps, int last)
{
  int first = 1;
  for(int c = 0; c < 64; c++) {
    if(!(caps >> c & 1))
      continue;
    const char *n = insp_cap_name(c);
    if(n && (last < 0 || c <= last))
      buf_printf(b, "%s%s", first ? "" : ",", n);
    else
      buf_printf(b, "%s%d", first ? "" : ",", c);
    first = 0;
  }
  if(first)
    buf_appendz(b, "none");
}

static int proc_has(const char *hay, const char *needle)
{
  return hay && strstr(hay, needle) != NULL;
}

/* Names the runtime from a cgroup path or an overlay's options. */
static const char *proc_runtime_from(const char *s)
{
  static const struct {
    const char *needle, *runtime;
  } hints[] = {
    {"cri-containerd", "containerd"}, {"crio-", "cri-o"},
    {"/var/lib/containerd/", "containerd"}, {"io.containerd", "containerd"},
    {"libpod", "podman"}, {"/var/lib/containers/storage", "podman"},
    {"/docker/", "docker"}, {"docker-", "docker"}, {"/var/lib/docker/", "docker"},
    {"/lxc/", "lxc"}, {"lxc.payload", "lxc"}, {"/var/lib/lxc/", "lxc"},
    {"/garden/", "garden"}, {"/actions_job/", "docker"},
  };
  for(size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
    if(proc_has(s, hints[i].needle))
      return hints[i].runtime;
  return NULL;
}

static void proc_set_runtime(struct insp *in, const char *rt, struct buf *why,
                             const char *signal)
{
  if(!in->runtime[0])
    snprintf(in->runtime, sizeof(in->runtime), "%s", rt);
  buf_printf(why, "%s%s", why->len ? "," : "", signal);
}

/* 1 if what the process sees is a host's: the initial PID, mount, net,
 * UTS, IPC and user namespaces, and a disk filesystem at /. */
static int proc_host_evidence(struct insp *in)
{
  static const int all[] = {NS_PID, NS_MNT, NS_NET, NS_UTS, NS_IPC, NS_USER};
  for(size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
    if(insp_ns_initial(in, all[i]) != INSP_YES)
      return 0;
  static const char *const disk[] = {"ext2", "ext3", "ext4", "xfs", "btrfs", "zfs",
                                     "f2fs", "jfs", "reiserfs", "virtiofs", "9p", NULL};
  const struct insp_mount *root = in->mounts_ok ? insp_mount_of(in, "/") : NULL;
  for(size_t i = 0; root && disk[i]; i++)
    if(strcmp(root->fstype, disk[i]) == 0 && strcmp(root->root, "/") == 0)
      return 1;
  return 0;
}

void insp_where(struct insp *in)
{
  struct buf why, b;
  buf_init(&why, 1024);
  buf_init(&b, 64 * 1024);
  if(insp_exists(in, "/.dockerenv"))
    proc_set_runtime(in, "docker", &why, "/.dockerenv");
  if(insp_exists(in, "/run/.containerenv"))
    proc_set_runtime(in, "podman", &why, "/run/.containerenv");
  /* The cgroup paths name the runtime on cgroup v1 and on v2 hosts that
   * do not give the container its own cgroup namespace. */
  static const char *const cgfiles[] = {"/proc/1/cgroup", "/proc/self/cgroup"};
  for(size_t f = 0; f < 2; f++) {
    if(insp_read(in, cgfiles[f], &b, 64 * 1024))
      continue;
    const char *rt = proc_runtime_from(buf_str(&b));
    if(rt) {
      char sig[64];
      snprintf(sig, sizeof(sig), "%s:%s", cgfiles[f], rt);
      proc_set_runtime(in, rt, &why, sig);
    }
    if(proc_has(buf_str(&b), "kubepods"))
      in->kubernetes = 1;
  }
  for(size_t i = 0; in->mounts_ok && i < in->mounts.n; i++) {
    const struct insp_mount *m = &in->mounts.v[i];
    if(strcmp(m->mountpoint, "/"))
      continue;
    const char *rt = proc_runtime_from(m->superopts);
    if(rt) {
      char sig[64];
      snprintf(sig, sizeof(sig), "root-%s:%s", m->fstype, rt);
      proc_set_runtime(in, rt, &why, sig);
    }
  }
  const char *ce = insp_getenv(in, "container");
  if(ce && *ce) {
    char rt[32];
    snprintf(rt, sizeof(rt), "%s", ce);
    proc_set_runtime(in, rt, &why, "env:container");
  }
  if(insp_read(in, "/run/systemd/container", &b, 256) == 0 && b.len) {
    char rt[32];
    snprintf(rt, sizeof(rt), "%.*s", (int)strcspn(buf_str(&b), "\n"), buf_str(&b));
    if(rt[0])
      proc_set_runtime(in, rt, &why, "/run/systemd/container");
  }
  if(insp_exists(in, "/proc/vz") && !insp_exists(in, "/proc/bc"))
    proc_set_runtime(in, "openvz", &why, "/proc/vz");
  if(insp_getenv(in, "KUBERNETES_SERVICE_HOST")) {
    in->kubernetes = 1;
    buf_printf(&why, "%senv:KUBERNETES_SERVICE_HOST", why.len ? "," : "");
  }
  if(in->kubernetes && !in->runtime[0])
    snprintf(in->runtime, sizeof(in->runtime), "kubernetes");
  /* /.dockerenv is a file anyone can create (and images carry it): alone,
   * against every namespace being the initial one and / being a disk
   * filesystem, it says nothing. Then this is a host. */
  if(strcmp(why.len ? buf_str(&why) : "", "/.dockerenv") == 0 && proc_host_evidence(in)) {
    in->runtime[0] = '\0';
    buf_reset(&why);
    buf_appendz(&why, "/.dockerenv (contradicted: initial namespaces, disk filesystem at /)");
    report_note(in->rep, "/.dockerenv exists, but every namespace is the initial one and / is a disk filesystem: judged as a host");
  }
  if(in->runtime[0])
    in->in_container = INSP_YES;
  else if(!in->mounts_ok && !in->cgroups_ok)
    in->in_container = INSP_UNKNOWN;
  else
    in->in_container = INSP_NO;
  report_fact(in->rep, "runtime", in->in_container == INSP_YES ? in->runtime
                       : in->in_container == INSP_NO ? "host" : "unknown");
  if(in->kubernetes)
    report_fact(in->rep, "orchestrator", "kubernetes");
  report_fact(in->rep, "runtime_signals", why.len ? buf_str(&why) : "none");
  buf_cleanup(&why);
  buf_cleanup(&b);
}

/* Reads the group names of gids from ROOT/etc/group. */
static void proc_escape_groups(struct insp *in)
{
  static const char *const risky[] = {"docker", "lxd", "disk", "podman"};
  if(!(in->st.known & (INSP_ST_GROUPS | INSP_ST_GID)))
    return;
  struct buf b;
  buf_init(&b, 1024 * 1024);
  if(insp_read(in, "/etc/group", &b, 1024 * 1024)) {
    buf_cleanup(&b);
    return;
  }
  const char *s = buf_str(&b);
  while(*s) {
    const char *e = strchr(s, '\n');
    size_t l = e ? (size_t)(e - s) : strlen(s);
    char line[512];
    snprintf(line, sizeof(line), "%.*s", (int)(l < 511 ? l : 511), s);
    s += l + (e ? 1 : 0);
    char *c1 = strchr(line, ':');
    char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if(!c2)
      continue;
    *c1 = '\0';
    long gid = strtol(c2 + 1, NULL, 10);
    int member = (in->st.known & INSP_ST_GID) && in->st.gid[1] == gid;
    for(size_t g = 0; g < in->st.ngroups; g++)
      if(in->st.groups[g] == gid)
        member = 1;
    for(size_t r = 0; member && r < sizeof(risky) / sizeof(risky[0]); r++)
      if(strcmp(line, risky[r]) == 0) {
        char ev[160];
        snprintf(ev, sizeof(ev), "member of group %.32s (gid %ld)", line, gid);
        insp_add(in, R_ESCAPE_GROUP, -1, NULL, ev, "/proc/self/status", line);
      }
  }
  buf_cleanup(&b);
}

void insp_creds(struct insp *in)
{
  struct buf b;
  buf_init(&b, 0);
  char v[64];
  in->cap_last = -1;
  if(insp_read_or_note(in, "/proc/sys/kernel/cap_last_cap", &b, 64,
                       "the full capability set") == 0) {
    char *end;
    long cl = strtol(buf_str(&b), &end, 10);
    if(end != buf_str(&b) && *end == '\n' && cl >= 0 && cl < 64) {
      in->cap_last = (int)cl;
      in->cap_full = cl == 63 ? ~0ULL : (1ULL << (cl + 1)) - 1;
    } else {
      report_note(in->rep, "/proc/sys/kernel/cap_last_cap: not a number: the full capability set unknown");
      in->unknowns++;
    }
  }
  snprintf(v, sizeof(v), "%d", in->cap_last);
  report_fact(in->rep, "cap_last_cap", in->cap_last >= 0 ? v : "unknown");

  const struct insp_status *st = &in->st;
  buf_reset(&b);
  b.limit = 0;
  if(st->known & INSP_ST_CAPEFF) {
    if(in->cap_last >= 0 && (st->cap_eff & in->cap_full) == in->cap_full)
      buf_appendz(&b, "full");
    else
      proc_cap_list(&b, st->cap_eff, in->cap_last);
    report_fact(in->rep, "caps_effective", buf_str(&b));
    snprintf(v, sizeof(v), "%016llx", st->cap_eff);
    report_fact(in->rep, "cap_eff", v);
  } else {
    report_fact(in->rep, "caps_effective", "unknown");
    if(in->st_ok) {
      report_note(in->rep, "/proc/self/status: no well-formed CapEff line: capabilities unknown");
      in->unknowns++;
    }
  }
  if(st->known & INSP_ST_CAPBND) {
    snprintf(v, sizeof(v), "%016llx", st->cap_bnd);
    report_fact(in->rep, "cap_bnd", v);
  }
  /* On a host, root holding every capability is the design, not a way
   * out: only a container's capabilities are judged. */
  if((st->known & INSP_ST_CAPEFF) && in->in_container != INSP_NO) {
    for(size_t i = 0; i < sizeof(proc_caps) / sizeof(proc_caps[0]); i++) {
      /* SYS_ADMIN and SYS_MODULE are judged once the mounts, the LSMs
       * and the kernel are known (insp_privileged). */
      if(!(st->cap_eff >> proc_caps[i].cap & 1) || proc_caps[i].cap == 21 ||
         proc_caps[i].cap == 16)
        continue;
      char title[96], ev[192];
      snprintf(title, sizeof(title), "CAP_%s in the effective set",
               insp_cap_name(proc_caps[i].cap));
      snprintf(ev, sizeof(ev), "CapEff %016llx has CAP_%s: %s", st->cap_eff,
               insp_cap_name(proc_caps[i].cap), proc_caps[i].why);
      insp_add(in, proc_caps[i].rule, proc_caps[i].severity,
               proc_caps[i].rule == R_CAP_DANGEROUS ? title : NULL, ev,
               "/proc/self/status", insp_cap_name(proc_caps[i].cap));
    }
  }

  /* Seccomp and NoNewPrivs. */
  if(st->known & INSP_ST_SECCOMP) {
    static const char *const modes[] = {"disabled", "strict", "filter"};
    report_fact(in->rep, "seccomp", modes[st->seccomp]);
    if(st->seccomp == 0 && in->in_container != INSP_NO)
      insp_add(in, R_NO_SECCOMP, -1, NULL, "Seccomp: 0 (no filter installed)",
               "/proc/self/status", NULL);
  } else {
    report_fact(in->rep, "seccomp", "unknown");
  }
  if(st->known & INSP_ST_FILTERS) {
    snprintf(v, sizeof(v), "%ld", st->seccomp_filters);
    report_fact(in->rep, "seccomp_filters", v);
  }
  report_fact(in->rep, "no_new_privs", !(st->known & INSP_ST_NNP) ? "unknown"
                       : st->no_new_privs ? "1" : "0");

  /* The user, and whether root here is root on the host. */
  if(st->known & INSP_ST_UID) {
    snprintf(v, sizeof(v), "%ld", st->uid[1]);
    report_fact(in->rep, "uid", v);
  } else {
    report_fact(in->rep, "uid", "unknown");
  }
  if(st->known & INSP_ST_GID) {
    snprintf(v, sizeof(v), "%ld", st->gid[1]);
    report_fact(in->rep, "gid", v);
  }
  if(insp_read_or_note(in, "/proc/self/uid_map", &b, 64 * 1024,
                       "the user-namespace mapping") == 0) {
    insp_parse_idmap(b.data, b.len, &in->uidmap);
    in->uidmap_ok = in->uidmap.n > 0 && in->uidmap.bad == 0;
    if(!in->uidmap_ok) {
      report_note(in->rep, "/proc/self/uid_map: empty or malformed: the user-namespace mapping unknown");
      in->unknowns++;
    }
  }
  const char *userns = !in->uidmap_ok ? "unknown"
                       : insp_idmap_is_initial(&in->uidmap) ? "initial" : "private";
  report_fact(in->rep, "userns", userns);
  if((st->known & INSP_ST_UID) && st->uid[1] == 0 && in->in_container != INSP_NO) {
    long long outside = in->uidmap_ok ? insp_idmap_outside(&in->uidmap, 0) : -2;
    char ev[160];
    int sev = -1;
    const char *title = NULL;
    if(outside == 0) {
      sev = WD_SEV_HIGH;
      title = "Runs as root, and root here is root on the host";
      snprintf(ev, sizeof(ev), "uid 0; uid_map maps 0 to host uid 0 (%s user namespace)", userns);
    } else if(outside > 0) {
      snprintf(ev, sizeof(ev), "uid 0; uid_map maps it to host uid %lld", outside);
    } else {
      snprintf(ev, sizeof(ev), "uid 0; the user-namespace mapping could not be read");
    }
    insp_add(in, R_ROOT_USER, sev, title, ev, "/proc/self/status", NULL);
  }
  if((st->known & INSP_ST_UID) && st->uid[1] != 0 && (st->known & INSP_ST_NNP) &&
     st->no_new_privs == 0 && (st->known & INSP_ST_CAPBND) && st->cap_bnd &&
     in->in_container != INSP_NO) {
    struct buf c;
    buf_init(&c, 512);
    proc_cap_list(&c, st->cap_bnd, in->cap_last);
    char ev[640];
    snprintf(ev, sizeof(ev), "NoNewPrivs: 0, uid %ld, bounding set %s", st->uid[1], buf_str(&c));
    insp_add(in, R_NO_NEW_PRIVS, -1, NULL, ev, "/proc/self/status", NULL);
    buf_cleanup(&c);
  }
  if(in->in_container != INSP_NO)
    proc_escape_groups(in);
  buf_cleanup(&b);
}

/* Reads an LSM attribute file; 1 with the text, 0 absent (the LSM is not
 * there), -1 unreadable for another reason. */
static int proc_attr(struct insp *in, const char *path, char *out, size_t outsz)
{
  struct buf b;
  buf_init(&b, 0);
  int rc;
  if(insp_read(in, path, &b, 4096) == 0) {
    size_t l = b.len;
    while(l > 0 && (b.data[l - 1] == '\n' || b.data[l - 1] == '\0'))
      l--;
    snprintf(out, outsz, "%.*s", (int)l, buf_str(&b));
    rc = l > 0 ? 1 : 0;
  } else {
    /* EINVAL: no LSM answers; ENOENT: not captured or an old kernel. */
    rc = errno == EINVAL || errno == ENOENT ? 0 : -1;
  }
  buf_cleanup(&b);
  return rc;
}

void insp_lsm(struct insp *in)
{
  char aa[256] = "", cur[256] = "";
  int a = proc_attr(in, "/proc/self/attr/apparmor/current", aa, sizeof(aa));
  int c = proc_attr(in, "/proc/self/attr/current", cur, sizeof(cur));
  const char *apparmor = NULL, *selinux = NULL;
  if(a == 1)
    apparmor = aa;
  /* On older kernels attr/current is AppArmor's; SELinux contexts have
   * the user:role:type form. */
  if(c == 1 && strchr(cur, ':') && strstr(cur, "_t"))
    selinux = cur;
  else if(c == 1 && !apparmor)
    apparmor = cur;
  in->lsm_confined = INSP_UNKNOWN;
  if(a < 0 && c < 0) {
    report_note(in->rep, "/proc/self/attr: cannot read: AppArmor and SELinux state unknown");
    in->unknowns++;
    report_fact(in->rep, "lsm", "unknown");
    return;
  }
  report_fact(in->rep, "apparmor", apparmor ? apparmor : "none");
  report_fact(in->rep, "selinux", selinux ? selinux : "none");
  int aa_on = apparmor && strncmp(apparmor, "unconfined", 10) != 0;
  int se_on = selinux && !strstr(selinux, ":spc_t") && !strstr(selinux, ":unconfined_t");
  in->lsm_confined = aa_on || se_on ? INSP_YES : a < 0 || c < 0 ? INSP_UNKNOWN : INSP_NO;
  if(in->in_container == INSP_NO)
    return;
  if(apparmor && strncmp(apparmor, "unconfined", 10) == 0)
    insp_add(in, R_APPARMOR_UNCONFINED, -1, NULL, apparmor, "/proc/self/attr/current", NULL);
  if(selinux && (strstr(selinux, ":spc_t") || strstr(selinux, ":unconfined_t")))
    insp_add(in, R_SELINUX_UNCONFINED, -1, NULL, selinux, "/proc/self/attr/current", NULL);
}

/* The namespaces, and the initial ones' inodes (include/linux/proc_ns.h).
 * net and mnt got fixed inodes in 6.18; before that they were numbered
 * like any other namespace. */
static const struct {
  const char *name;
  unsigned long long init;
} proc_ns[INSP_NS_COUNT] = {
  [NS_PID] = {"pid", 0xEFFFFFFCULL}, [NS_IPC] = {"ipc", 0xEFFFFFFFULL},
  [NS_UTS] = {"uts", 0xEFFFFFFEULL}, [NS_USER] = {"user", 0xEFFFFFFDULL},
  [NS_CGROUP] = {"cgroup", 0xEFFFFFFBULL}, [NS_NET] = {"net", INSP_NET_INIT_INO},
  [NS_MNT] = {"mnt", INSP_MNT_INIT_INO},
};

void insp_ns_read(struct insp *in)
{
  char link[128];
  for(int i = 0; i < INSP_NS_COUNT; i++) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/ns/%s", proc_ns[i].name);
    long n = insp_readlink(in, path, link, sizeof(link));
    in->ns[i] = n > 0 ? insp_parse_nslink(link, (size_t)n) : 0;
  }
}

/* 1 if this kernel numbers the initial net and mnt namespaces with fixed
 * inodes: one of them has its fixed inode, or the kernel is 6.18 or later. */
static int proc_fixed_netmnt(const struct insp *in)
{
  if(in->ns[NS_NET] == INSP_NET_INIT_INO || in->ns[NS_MNT] == INSP_MNT_INIT_INO)
    return 1;
  struct buf b;
  buf_init(&b, 0);
  int v[3], fixed = 0;
  if(insp_read((struct insp *)in, "/proc/sys/kernel/osrelease", &b, 256) == 0 &&
     insp_parse_kver(b.data, b.len, v) == 0)
    fixed = v[0] > 6 || (v[0] == 6 && v[1] >= 18);
  buf_cleanup(&b);
  return fixed;
}

int insp_ns_initial(const struct insp *in, int ns)
{
  if(ns < 0 || ns >= INSP_NS_COUNT || !in->ns[ns])
    return INSP_UNKNOWN;
  if(in->ns[ns] == proc_ns[ns].init)
    return INSP_YES;
  if((ns == NS_NET || ns == NS_MNT) && !proc_fixed_netmnt(in))
    return INSP_UNKNOWN;
  return INSP_NO;
}

/* Host-only network interfaces: they exist in the host's network
 * namespace and never in a container's own. */
static const char *const host_ifaces[] = {"docker0", "cni0", "cbr0", "flannel",
  "cali", "veth", "virbr", "kube-bridge", "kube-ipvs0", "weave", "vxlan",
  "tunl0", "br-", "lxcbr0", "lxdbr0", "podman", "cilium_", NULL};

/* The listening unix sockets of /proc/net/unix (the network namespace's):
 * abstract ones (@name) are reachable from any mount namespace, path ones
 * where their path is visible. Writes the smallest distinct names (the
 * same whatever order the kernel lists them in: up to 8, as many as fit)
 * into ev, then how many more there are; returns how many listening
 * sockets there are. */
static size_t proc_unix_services(const char *u, struct buf *ev)
{
  struct {
    char name[120];
  } shown[8];
  int nshown = 0;
  size_t n = 0;
  while(*u) {
    const char *e = strchr(u, '\n');
    size_t l = e ? (size_t)(e - u) : strlen(u);
    /* Num RefCount Protocol Flags Type St Inode Path */
    char line[512];
    snprintf(line, sizeof(line), "%.*s", (int)(l < 511 ? l : 511), u);
    u += l + (e ? 1 : 0);
    char flags[16], path[400];
    unsigned st;
    if(sscanf(line, "%*s %*s %*s %15s %*s %x %*s %399s", flags, &st, path) != 3)
      continue;
    /* __SO_ACCEPTCON (0x10000): a listening socket. */
    if(strtoul(flags, NULL, 16) != 0x10000 || (path[0] != '/' && path[0] != '@'))
      continue;
    n++;
    /* A longer name is cut to the record (the names are only shown). */
    char key[sizeof(shown[0].name)];
    size_t kl = strnlen(path, sizeof(key) - 1);
    memcpy(key, path, kl);
    key[kl] = '\0';
    int found, at = str_sorted_keep(shown, sizeof(shown[0]), &nshown, 8, key, 1, &found);
    if(at >= 0 && !found)
      memcpy(shown[at].name, key, sizeof(key));
  }
  /* As many as fit in about 320 bytes (at least one), so the count after
   * them is never cut off the evidence. */
  size_t listed = 0;
  for(int i = 0; ev && i < nshown; i++) {
    if(listed && ev->len + strlen(shown[i].name) + 2 > 320)
      break;
    buf_printf(ev, "%s%s", listed ? ", " : "", shown[i].name);
    listed++;
  }
  if(ev && n > listed)
    buf_printf(ev, " and %zu more", n - listed);
  return n;
}

/* The network namespace: the inode is proof where the kernel fixes the
 * initial one; host interfaces and host unix sockets are the heuristic
 * otherwise. ev gets the evidence; *proof says which it was. */
static int proc_host_net(struct insp *in, struct buf *ev, int *proof)
{
  struct buf b;
  buf_init(&b, 0);
  int verdict = insp_ns_initial(in, NS_NET);
  *proof = verdict != INSP_UNKNOWN;
  if(verdict == INSP_YES)
    buf_printf(ev, "/proc/self/ns/net is net:[%llu], the initial network namespace",
               in->ns[NS_NET]);
  if(!*proof && insp_read(in, "/proc/net/dev", &b, 256 * 1024) == 0) {
    verdict = INSP_NO;
    const char *s = buf_str(&b);
    while(*s) {
      const char *e = strchr(s, '\n');
      size_t l = e ? (size_t)(e - s) : strlen(s);
      size_t i = 0;
      while(i < l && s[i] == ' ')
        i++;
      for(size_t h = 0; e && host_ifaces[h]; h++) {
        size_t hl = strlen(host_ifaces[h]);
        if(l - i > hl && memcmp(s + i, host_ifaces[h], hl) == 0) {
          const char *colon = memchr(s + i, ':', l - i);
          if(colon && verdict == INSP_NO) {
            buf_printf(ev, "interface %.*s in /proc/net/dev", (int)(colon - s - (long)i), s + i);
            verdict = INSP_YES;
          }
        }
      }
      s += l + (e ? 1 : 0);
    }
  }
  if(insp_read(in, "/proc/net/unix", &b, 4 * 1024 * 1024) == 0) {
    if(verdict == INSP_UNKNOWN)
      verdict = INSP_NO;
    const char *u = buf_str(&b);
    int uf = insp_parse_net_unix(u, b.len);
    if(!*proof && (uf & INSP_UNIX_HOST)) {
      buf_printf(ev, "%shost unix sockets (/run/systemd, /run/user) in /proc/net/unix",
                 ev->len ? "; " : "");
      verdict = INSP_YES;
    }
    if(verdict == INSP_YES) {
      struct buf svc;
      buf_init(&svc, 1024);
      size_t n = proc_unix_services(u, &svc);
      if(n)
        buf_printf(ev, "; %zu listening unix socket(s) of the host's network namespace: %s",
                   n, buf_str(&svc));
      buf_cleanup(&svc);
    }
    if((uf & INSP_UNIX_SHIM) && in->in_container != INSP_NO)
      insp_add(in, R_SHIM_SOCKET, -1, NULL,
               "abstract @/containerd-shim/*.sock listed in /proc/net/unix",
               "/proc/net/unix", NULL);
  }
  buf_cleanup(&b);
  return verdict;
}

void insp_namespaces(struct insp *in)
{
  char v[160];
  const unsigned long long *ino = in->ns;
  for(int i = 0; i < INSP_NS_COUNT; i++) {
    char key[32];
    snprintf(key, sizeof(key), "ns_%s", proc_ns[i].name);
    if(!ino[i]) {
      report_fact(in->rep, key, "unknown");
      continue;
    }
    int init = insp_ns_initial(in, i);
    snprintf(v, sizeof(v), "%llu%s", ino[i], init == INSP_YES ? " (initial)"
             : init == INSP_NO ? " (own)" : "");
    report_fact(in->rep, key, v);
  }
  int container = in->in_container != INSP_NO;

  /* PID: the inode is proof; PID 1 being a host init is a heuristic for
   * when the links are hidden. */
  in->pid_host = insp_ns_initial(in, NS_PID);
  char ev[256] = "";
  if(in->pid_host == INSP_YES)
    snprintf(ev, sizeof(ev), "/proc/self/ns/pid is pid:[%llu], the initial PID namespace", ino[NS_PID]);
  struct buf b;
  buf_init(&b, 0);
  if(in->pid_host == INSP_UNKNOWN && insp_read(in, "/proc/1/comm", &b, 256) == 0) {
    const char *c = buf_str(&b);
    if(strcmp(c, "systemd\n") == 0 || strcmp(c, "init\n") == 0) {
      in->pid_host = INSP_YES;
      snprintf(ev, sizeof(ev), "PID 1 is %.*s, a host init (namespace links unreadable)",
               (int)strcspn(c, "\n"), c);
    }
  }
  report_fact(in->rep, "pid_ns", in->pid_host == INSP_YES ? "host"
                       : in->pid_host == INSP_NO ? "own" : "unknown");
  if(in->pid_host == INSP_YES && container) {
    int ptrace = (in->st.known & INSP_ST_CAPEFF) && (in->st.cap_eff >> 19 & 1);
    if(ptrace)
      strncat(ev, "; with CAP_SYS_PTRACE host processes can be injected into",
              sizeof(ev) - strlen(ev) - 1);
    insp_add(in, R_HOST_PID, ptrace ? WD_SEV_CRITICAL : -1, NULL, ev,
             "/proc/self/ns/pid", NULL);
  }
  in->ipc_host = insp_ns_initial(in, NS_IPC);
  if(in->ipc_host == INSP_YES && container) {
    snprintf(ev, sizeof(ev), "/proc/self/ns/ipc is ipc:[%llu], the initial IPC namespace", ino[NS_IPC]);
    insp_add(in, R_HOST_IPC, -1, NULL, ev, "/proc/self/ns/ipc", NULL);
  }
  struct buf nev;
  buf_init(&nev, 1024);
  int proof = 0;
  in->net_host = proc_host_net(in, &nev, &proof);
  report_fact(in->rep, "net_ns", in->net_host == INSP_YES ? proof ? "host" : "host (heuristic)"
                       : in->net_host == INSP_NO ? proof ? "own" : "own (heuristic)" : "unknown");
  if(in->net_host == INSP_YES && container)
    insp_add(in, R_HOST_NET, -1,
             proof ? "Host network namespace" : NULL, buf_str(&nev),
             proof ? "/proc/self/ns/net" : "/proc/net/dev", NULL);
  int mnt = insp_ns_initial(in, NS_MNT);
  report_fact(in->rep, "mnt_ns", mnt == INSP_YES ? "host" : mnt == INSP_NO ? "own" : "unknown");
  buf_cleanup(&nev);
  buf_cleanup(&b);
}

/* 1 if word is one of the blank-separated words of s. */
static int proc_word(const char *s, const char *word)
{
  size_t wl = strlen(word);
  while(*s) {
    size_t l = strcspn(s, " \t\n");
    if(l == wl && memcmp(s, word, wl) == 0)
      return 1;
    s += l;
    s += strspn(s, " \t\n");
  }
  return 0;
}

/* Whether the kernel loads modules: no /proc/modules on a live system
 * (built without module support), modules_disabled set, or "nomodule" on
 * the command line. */
static void proc_modules(struct insp *in)
{
  struct buf b;
  buf_init(&b, 0);
  in->modules = INSP_UNKNOWN;
  if(insp_read(in, "/proc/sys/kernel/modules_disabled", &b, 64) == 0 &&
     buf_str(&b)[0] == '1') {
    in->modules = INSP_NO;
    snprintf(in->modules_why, sizeof(in->modules_why), "kernel.modules_disabled is 1");
  } else if(insp_read(in, "/proc/cmdline", &b, 64 * 1024) == 0 &&
            proc_word(buf_str(&b), "nomodule")) {
    in->modules = INSP_NO;
    snprintf(in->modules_why, sizeof(in->modules_why), "nomodule on the kernel command line");
  } else if(insp_exists(in, "/proc/modules")) {
    in->modules = INSP_YES;
  } else if(!in->root[0]) {
    in->modules = INSP_NO;
    snprintf(in->modules_why, sizeof(in->modules_why),
             "no /proc/modules: the kernel is built without module support");
  }
  report_fact(in->rep, "modules", in->modules == INSP_YES ? "loadable"
              : in->modules == INSP_NO ? "not loadable" : "unknown");
  buf_cleanup(&b);
}

/* CAP_SYS_ADMIN and CAP_SYS_MODULE, judged with what makes them an open
 * escape or a dead one. */
static void proc_admin_caps(struct insp *in)
{
  const struct insp_status *st = &in->st;
  proc_modules(in);
  if(in->in_container == INSP_NO || !(st->known & INSP_ST_CAPEFF))
    return;
  char ev[512];
  if(st->cap_eff >> 21 & 1) {
    /* With cgroup v1 in use, the initial user namespace and no LSM to
     * refuse mount, CAP_SYS_ADMIN mounts a v1 hierarchy and writes its
     * release_agent: the kernel runs that program as host root. */
    int open = in->cgroup_v1 && insp_ns_initial(in, NS_USER) == INSP_YES &&
               in->lsm_confined == INSP_NO;
    int n = snprintf(ev, sizeof(ev), "CapEff %016llx has CAP_SYS_ADMIN: %s", st->cap_eff,
                     open ? "cgroup v1 in use, the initial user namespace and no AppArmor or SELinux confinement: mount a v1 hierarchy, write its release_agent, and the host runs it as root"
                          : "mount a cgroup or the host disk, set release_agent");
    if(!open && n > 0 && (size_t)n < sizeof(ev))
      snprintf(ev + n, sizeof(ev) - (size_t)n, " (%s)",
               !in->cgroup_v1 ? "no cgroup v1 hierarchy seen"
               : insp_ns_initial(in, NS_USER) != INSP_YES ? "not the initial user namespace"
               : in->lsm_confined == INSP_YES ? "an LSM confines the process"
                                              : "LSM state unknown");
    insp_add(in, R_CAP_SYS_ADMIN, open ? WD_SEV_CRITICAL : -1,
             open ? "CAP_SYS_ADMIN with cgroup v1 and no LSM: release_agent escape" : NULL,
             ev, "/proc/self/status", "SYS_ADMIN");
  }
  if(st->cap_eff >> 16 & 1) {
    if(in->modules == INSP_NO)
      snprintf(ev, sizeof(ev), "CapEff %016llx has CAP_SYS_MODULE, but no module can be loaded: %s",
               st->cap_eff, in->modules_why);
    else
      snprintf(ev, sizeof(ev), "CapEff %016llx has CAP_SYS_MODULE: insmod a module into the host kernel",
               st->cap_eff);
    insp_add(in, R_CAP_SYS_MODULE, in->modules == INSP_NO ? WD_SEV_LOW : -1,
             in->modules == INSP_NO ? "CAP_SYS_MODULE in the effective set (the kernel loads no modules)"
                                    : NULL,
             ev, "/proc/self/status", "SYS_MODULE");
  }
}

/* Privileged is judged on what it means, not on "every capability up to
 * cap_last_cap" (a runtime older than the kernel, or a narrower bounding
 * set, never grants all): CAP_SYS_ADMIN, access to the host's devices,
 * no seccomp filter and a read-write /sys. */
void insp_privileged(struct insp *in)
{
  proc_admin_caps(in);
  if(in->in_container == INSP_NO || !(in->st.known & INSP_ST_CAPEFF))
    return;
  const struct insp_status *st = &in->st;
  if(!(st->cap_eff >> 21 & 1) || !(st->known & INSP_ST_SECCOMP) || st->seccomp != 0 ||
     !in->sys_rw)
    return;
  struct buf ev;
  buf_init(&ev, 1024);
  buf_printf(&ev, "CapEff %016llx has CAP_SYS_ADMIN", st->cap_eff);
  if(in->cap_last >= 0 && (st->cap_eff & in->cap_full) == in->cap_full)
    buf_printf(&ev, " (every capability up to %d)", in->cap_last);
  int dev = 0;
  if(in->devices_cgroup_all) {
    buf_appendz(&ev, "; devices cgroup allows a *:* rwm");
    dev = 1;
  }
  if(in->nblock) {
    buf_printf(&ev, "; %zu host block device(s) in /dev", in->nblock);
    dev = 1;
  }
  if(in->nchar > 50) {
    buf_printf(&ev, "; %zu character devices in /dev", in->nchar);
    dev = 1;
  }
  buf_appendz(&ev, "; Seccomp: 0; sysfs mounted read-write at /sys");
  if(dev)
    insp_add(in, R_PRIVILEGED, -1, NULL, buf_str(&ev), "/proc/self/status", NULL);
  buf_cleanup(&ev);
}
