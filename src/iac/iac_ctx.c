/*
 * iac_ctx.c - what the iac analysers share: the rule table, the context
 * of a run (findings, notes, secrets seen, Dockerfile facts, service
 * accounts) and how findings are raised. The bottom of the folder: it
 * calls no analyser (a Dockerfile that was not an input is read through
 * the run's load_df).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "iac_int.h"

#define OW "API8:2023"
#define CT WD_CAT_CONTAINER
#define C WD_SEV_CRITICAL
#define H WD_SEV_HIGH
#define M WD_SEV_MEDIUM
#define L WD_SEV_LOW

const struct wd_rule iac_rules[R__COUNT] = {
  [R_PRIVILEGED] = {"iac.privileged", C, CT, OW, 250, "Privileged container",
    "privileged: true gives every capability and every host device: root on the host",
    "Remove privileged: true; grant the single capability or device the workload needs.", NULL},
  [R_PRIV_ESC] = {"iac.privilege-escalation", M, CT, OW, 269,
    "Privilege escalation not disabled",
    "allowPrivilegeEscalation not false / no no-new-privileges: setuid binaries can gain privileges",
    "Set securityContext.allowPrivilegeEscalation: false (compose: security_opt: [\"no-new-privileges:true\"]).", NULL},
  [R_CAP_SYS_ADMIN] = {"iac.cap-sys-admin", H, CT, OW, 250, "CAP_SYS_ADMIN added",
    "SYS_ADMIN allows mount and the cgroup release_agent escape",
    "Remove SYS_ADMIN from capabilities.add / cap_add.", NULL},
  [R_CAP_SYS_MODULE] = {"iac.cap-sys-module", C, CT, OW, 250, "CAP_SYS_MODULE added",
    "SYS_MODULE loads kernel modules: code in the host kernel",
    "Remove SYS_MODULE; load modules on the host, never from a container.", NULL},
  [R_CAP_SYS_PTRACE] = {"iac.cap-sys-ptrace", M, CT, OW, 250, "CAP_SYS_PTRACE added",
    "SYS_PTRACE injects code into visible processes (host processes with hostPID)",
    "Remove SYS_PTRACE; debug with an ephemeral container instead.", NULL},
  [R_CAP_DAC_READ_SEARCH] = {"iac.cap-dac-read-search", H, CT, OW, 250,
    "CAP_DAC_READ_SEARCH added",
    "DAC_READ_SEARCH allows open_by_handle_at: any host file (\"shocker\")",
    "Remove DAC_READ_SEARCH.", NULL},
  [R_CAP_DAC_OVERRIDE] = {"iac.cap-dac-override", M, CT, OW, 250,
    "CAP_DAC_OVERRIDE added",
    "DAC_OVERRIDE ignores file permissions on every mounted host path",
    "Remove DAC_OVERRIDE and drop ALL capabilities.", NULL},
  [R_CAP_NET_ADMIN] = {"iac.cap-net-admin", M, CT, OW, 250, "CAP_NET_ADMIN added",
    "NET_ADMIN reconfigures interfaces, routes and firewall (the host's with hostNetwork)",
    "Remove NET_ADMIN.", NULL},
  [R_CAP_NET_RAW] = {"iac.cap-net-raw", M, CT, OW, 250, "CAP_NET_RAW added",
    "NET_RAW crafts packets: ARP and DNS spoofing of neighbours",
    "Remove NET_RAW and drop ALL capabilities.", NULL},
  [R_CAP_BPF] = {"iac.cap-bpf", H, CT, OW, 250, "CAP_BPF added",
    "BPF loads eBPF programs that read kernel memory and other processes",
    "Remove BPF.", NULL},
  [R_CAP_PERFMON] = {"iac.cap-perfmon", M, CT, OW, 250, "CAP_PERFMON added",
    "PERFMON observes every process and kernel events",
    "Remove PERFMON.", NULL},
  [R_CAP_SYS_RAWIO] = {"iac.cap-sys-rawio", H, CT, OW, 250, "CAP_SYS_RAWIO added",
    "SYS_RAWIO gives raw I/O ports and /dev/mem access",
    "Remove SYS_RAWIO.", NULL},
  [R_CAP_MAC_ADMIN] = {"iac.cap-mac-admin", H, CT, OW, 250,
    "CAP_MAC_ADMIN or CAP_MAC_OVERRIDE added",
    "MAC_ADMIN/MAC_OVERRIDE change or bypass AppArmor and SELinux policy",
    "Remove MAC_ADMIN and MAC_OVERRIDE.", NULL},
  [R_CAP_ALL] = {"iac.cap-all", C, CT, OW, 250, "All capabilities added",
    "capabilities.add: [ALL] is privileged in all but name",
    "Never add ALL; add the single capability needed.", NULL},
  [R_CAP_ADDED] = {"iac.cap-added", L, CT, OW, 250, "Capability added",
    "a capability beyond the runtime's default set",
    "Drop ALL capabilities and add back only the ones the workload needs.", NULL},
  [R_CAP_DROP_ALL] = {"iac.cap-drop-all-missing", L, CT, OW, 250,
    "Capabilities not dropped",
    "ALL is not dropped: the runtime's default set (NET_RAW, DAC_OVERRIDE, ...) stays",
    "Set capabilities.drop: [ALL] (compose: cap_drop: [ALL]) and add back what is needed.", NULL},
  [R_HOST_PID] = {"iac.host-pid", H, CT, OW, 653, "Host PID namespace",
    "hostPID / pid: host shows every host process: signals, /proc/PID/root, ptrace",
    "Remove hostPID: true / pid: host.", NULL},
  [R_HOST_IPC] = {"iac.host-ipc", H, CT, OW, 653, "Host IPC namespace",
    "hostIPC / ipc: host shares the host's shared memory and semaphores",
    "Remove hostIPC: true / ipc: host.", NULL},
  [R_HOST_NETWORK] = {"iac.host-network", H, CT, OW, 653, "Host network namespace",
    "hostNetwork / network_mode: host: host interfaces, localhost services, node metadata",
    "Remove hostNetwork: true / network_mode: host; publish ports instead.", NULL},
  [R_HOST_USERNS] = {"iac.host-userns", M, CT, OW, 653, "Host user namespace",
    "userns_mode: host: root in the container is root on the host",
    "Remove userns_mode: host.", NULL},
  [R_HOST_UTS] = {"iac.host-uts", L, CT, OW, 653, "Host UTS namespace",
    "uts: host lets the container change the host's hostname",
    "Remove uts: host.", NULL},
  [R_HOST_CGROUPNS] = {"iac.host-cgroupns", M, CT, OW, 653, "Host cgroup namespace",
    "cgroup: host shows the host's cgroup tree (release_agent paths)",
    "Remove cgroup: host (the default is private).", NULL},
  [R_HOST_PROCESS] = {"iac.host-process", C, CT, OW, 250, "Windows HostProcess container",
    "windowsOptions.hostProcess: true runs the container as a process on the node",
    "Remove hostProcess: true.", NULL},
  [R_DOCKER_SOCKET] = {"iac.docker-socket-mount", C, CT, OW, 250, "Docker socket mounted",
    "the Docker API socket is root on the host, read-only mount or not",
    "Do not mount /var/run/docker.sock (or its directory); use a socket proxy that allows only the calls needed, or rootless builders.", NULL},
  [R_RUNTIME_SOCKET] = {"iac.runtime-socket-mount", C, CT, OW, 250,
    "Container runtime socket mounted",
    "the containerd, CRI-O or Podman socket starts privileged containers",
    "Do not mount the runtime socket or its directory.", NULL},
  [R_HOST_ROOT] = {"iac.host-root-mount", C, CT, OW, 22, "Host root filesystem mounted",
    "the host's / is mounted: every host file, writable unless read-only",
    "Do not mount the host's /; mount the one directory needed, read-only.", NULL},
  [R_HOST_SENSITIVE] = {"iac.host-sensitive-mount", H, CT, OW, 22,
    "Sensitive host path mounted",
    "/proc, /sys, /dev, /etc, /root, /home, /var/lib/kubelet, /var/lib/docker, /var/log, ... mounted",
    "Do not mount host system directories; if one is needed, mount the narrowest path read-only.", NULL},
  [R_HOST_PATH] = {"iac.host-path", L, CT, OW, 22, "Host path mounted",
    "a hostPath volume or absolute bind mount ties the pod to the node's filesystem",
    "Prefer emptyDir, configMap or persistent volumes to hostPath; mount read-only.", NULL},
  [R_MOUNT_PROPAGATION] = {"iac.mount-propagation", M, CT, OW, 22,
    "Shared mount propagation",
    "Bidirectional / rshared propagation lets container mounts reach the host",
    "Use the default (private / None) mount propagation.", NULL},
  [R_HOST_DEVICE] = {"iac.host-device", H, CT, OW, 250, "Host device passed in",
    "a host device (disk, memory, or a device-cgroup wildcard) is reachable from the container",
    "Pass no host devices; if one is needed, pass that device only, never disks or /dev/mem.", NULL},
  [R_RUN_AS_ROOT] = {"iac.run-as-root", H, CT, OW, 250, "Runs as root",
    "USER root / runAsUser: 0 / user: root: uid 0, the host's root without a user namespace",
    "Run as a non-root user: USER 10001 in the final stage, runAsUser > 0 and runAsNonRoot: true, or user: \"10001:10001\".", NULL},
  [R_RUN_AS_ROOT_DEFAULT] = {"iac.run-as-root-default", M, CT, OW, 250,
    "Root not ruled out",
    "no USER in the final stage / runAsNonRoot not true: runs as the image's user, root by default",
    "Add USER with a non-root uid to the final stage; set runAsNonRoot: true (and runAsUser) or user: in compose.", NULL},
  [R_SECCOMP] = {"iac.seccomp-unconfined", H, CT, OW, 693, "Seccomp unconfined",
    "seccomp is off: mount, unshare, keyctl, bpf and every other syscall are reachable",
    "Use seccompProfile: {type: RuntimeDefault}; drop seccomp:unconfined and the unconfined annotations.", NULL},
  [R_SECCOMP_UNSET] = {"iac.seccomp-unset", M, CT, OW, 693, "Seccomp not set (Kubernetes runs it unconfined)",
    "no seccompProfile at pod or container level: unlike Docker, Kubernetes runs the container without seccomp (Pod Security Standards \"restricted\")",
    "Set securityContext.seccompProfile: {type: RuntimeDefault} on the pod (or Localhost with a profile).", NULL},
  [R_APPARMOR_CUSTOM] = {"iac.apparmor-profile", M, CT, OW, 693, "AppArmor profile outside the baseline",
    "an AppArmor profile that is neither runtime/default nor localhost/* (Pod Security Standards \"baseline\")",
    "Use appArmorProfile: {type: RuntimeDefault} (annotation runtime/default) or a Localhost profile.", NULL},
  [R_SELINUX_CUSTOM] = {"iac.selinux-options", M, CT, OW, 693, "SELinux options outside the baseline",
    "seLinuxOptions with a type other than container_t, container_init_t, container_kvm_t, or a user or role (Pod Security Standards \"baseline\")",
    "Leave seLinuxOptions unset, or set only level and a container_t type.", NULL},
  [R_APPARMOR] = {"iac.apparmor-unconfined", H, CT, OW, 693, "AppArmor unconfined",
    "AppArmor is off: mount and /proc/sys writes are no longer blocked",
    "Use the runtime/default AppArmor profile; drop apparmor:unconfined.", NULL},
  [R_SELINUX] = {"iac.selinux-disabled", H, CT, OW, 693, "SELinux disabled or spc_t",
    "label:disable, spc_t or unconfined_t: SELinux does not confine the container",
    "Run with the container_t type; drop label:disable and spc_t.", NULL},
  [R_PROC_UNMASKED] = {"iac.proc-unmasked", H, CT, OW, 250, "/proc unmasked",
    "procMount: Unmasked exposes /proc/sys, /proc/kcore and the other masked paths",
    "Use procMount: Default.", NULL},
  [R_ROOTFS_WRITABLE] = {"iac.rootfs-writable", L, CT, OW, 732, "Writable root filesystem",
    "readOnlyRootFilesystem not true: an intruder can drop tools into the image",
    "Set readOnlyRootFilesystem: true and mount emptyDir where writes are needed.", NULL},
  [R_SYSCTL] = {"iac.unsafe-sysctl", M, CT, OW, 250, "Unsafe sysctl",
    "a sysctl outside the Kubernetes safe set changes kernel behaviour beyond the container",
    "Set only the safe, namespaced sysctls; tune the others on the node.", NULL},
  [R_CGROUP_PARENT] = {"iac.cgroup-parent", M, CT, OW, 250, "Custom cgroup parent",
    "cgroup_parent puts the container into a host cgroup of the author's choice",
    "Remove cgroup_parent.", NULL},
  [R_SA_AUTOMOUNT] = {"iac.sa-token-automount", M, CT, OW, 522,
    "Service-account token mounted",
    "automountServiceAccountToken not false: an intruder gets a Kubernetes API credential",
    "Set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless it calls the API.", NULL},
  [R_RBAC_WILDCARD] = {"iac.rbac-wildcard", H, WD_CAT_BFLA, "API5:2023", 269,
    "RBAC wildcard",
    "a '*' in apiGroups, resources or verbs of any rule grants future powers too",
    "List the exact apiGroups, resources and verbs needed.", NULL},
  [R_RBAC_EXEC] = {"iac.rbac-pods-exec", H, WD_CAT_BFLA, "API5:2023", 269,
    "RBAC allows pods/exec or pods/attach",
    "exec/attach into pods (get suffices over WebSocket): every secret and token they hold",
    "Grant pods/exec and pods/attach to no service account; use break-glass roles.", NULL},
  [R_RBAC_NODES_PROXY] = {"iac.rbac-nodes-proxy", H, WD_CAT_BFLA, "API5:2023", 269,
    "RBAC allows nodes/proxy",
    "nodes/proxy reaches the kubelet API: exec in any pod on the node",
    "Remove nodes/proxy from the role.", NULL},
  [R_RBAC_ESCALATE] = {"iac.rbac-escalate-bind", H, WD_CAT_BFLA, "API5:2023", 269,
    "RBAC allows escalate or bind",
    "escalate/bind create roles or bindings beyond the holder's own permissions",
    "Remove the escalate and bind verbs.", NULL},
  [R_RBAC_IMPERSONATE] = {"iac.rbac-impersonate", H, WD_CAT_BFLA, "API5:2023", 269,
    "RBAC allows impersonate",
    "impersonate acts as any user, group or service account, cluster-admin included",
    "Remove the impersonate verb.", NULL},
  [R_RBAC_SECRETS] = {"iac.rbac-secrets", H, WD_CAT_BFLA, "API5:2023", 522,
    "RBAC reads secrets or mints tokens",
    "get/list/watch on secrets, or create on serviceaccounts/token: other workloads' credentials",
    "Grant get on the named secrets only (resourceNames), never list or watch.", NULL},
  [R_RBAC_CREATE_PODS] = {"iac.rbac-create-pods", M, WD_CAT_BFLA, "API5:2023", 269,
    "RBAC creates pods or workloads",
    "whoever creates pods can run a privileged pod with the node's / mounted, unless admission stops it",
    "Remove create on pods and workload kinds, or enforce Pod Security admission (restricted).", NULL},
  [R_RBAC_CLUSTER_ADMIN] = {"iac.rbac-cluster-admin-binding", C, WD_CAT_BFLA, "API5:2023", 269,
    "cluster-admin bound",
    "a binding to cluster-admin gives its subjects every power in the cluster",
    "Bind a role with the exact permissions needed, never cluster-admin.", NULL},
  [R_RBAC_ANONYMOUS] = {"iac.rbac-anonymous-binding", C, WD_CAT_AUTH, "API2:2023", 306,
    "Role bound to anonymous or all users",
    "a binding to system:anonymous, system:unauthenticated or system:authenticated",
    "Bind roles to named users, groups or service accounts only.", NULL},
  [R_SECRET_ENV] = {"iac.secret-in-env", H, WD_CAT_DATA, NULL, 798,
    "Secret in ENV, ARG or environment",
    "a credential in the image or manifest: readable with docker history or kubectl get",
    "Use build secrets (RUN --mount=type=secret), Kubernetes Secrets (valueFrom) or compose secrets.", NULL},
  [R_ADD_URL] = {"iac.add-from-url", M, CT, OW, 494, "ADD from a URL",
    "ADD downloads into the image without integrity checks",
    "Download with curl and verify a checksum, or use ADD --checksum=sha256:...", NULL},
  [R_CURL_PIPE_SH] = {"iac.curl-pipe-shell", H, CT, OW, 494, "Download piped into a shell",
    "curl | sh runs whatever the server (or anyone in the path) sends, as root",
    "Download, verify a checksum or signature, then run.", NULL},
  [R_SUDO] = {"iac.sudo", M, CT, OW, 250, "sudo in the image",
    "sudo in a RUN line or installed into the image: a way back to root",
    "Run the build steps as root directly and drop to USER afterwards; do not install sudo.", NULL},
  [R_DOCKER_CLI] = {"iac.docker-cli-in-image", L, CT, OW, 250,
    "Docker client in the image",
    "a Docker client in the image turns any mounted socket into a host root shell",
    "Do not ship a Docker client in runtime images; build with rootless tools (BuildKit, kaniko).", NULL},
  [R_BUILD_INSECURE] = {"iac.build-insecure", H, CT, OW, 250, "RUN --security=insecure",
    "a privileged build step: the builder host is reachable while building",
    "Remove --security=insecure.", NULL},
  [R_CHAIN_SOCKET_ROOT] = {"iac.chain-docker-socket-root", C, CT, OW, 250,
    "Chain: socket mount + root (+ Docker client)",
    "one deployment mounts a runtime socket into a root container: a host root shell in one command",
    "Remove the socket mount; if unavoidable, run as non-root and keep the Docker client out of the image.", NULL},
  [R_CHAIN_PRIV_HOSTPID] = {"iac.chain-privileged-host-pid", C, CT, OW, 250,
    "Chain: privileged + hostPID",
    "privileged with the host PID namespace: nsenter -t 1 gives a host root shell",
    "Remove privileged and hostPID.", NULL},
  [R_CHAIN_PTRACE_HOSTPID] = {"iac.chain-ptrace-host-pid", C, CT, OW, 250,
    "Chain: SYS_PTRACE or SYS_ADMIN + hostPID",
    "ptrace or setns into host processes (PID 1) from a container with hostPID",
    "Remove hostPID, and SYS_PTRACE / SYS_ADMIN.", NULL},
};
const size_t iac_nrules = R__COUNT;

/* ---- context ------------------------------------------------------------ */

void iac_ctx_init(struct iac_ctx *c, struct wd_findings *out, struct report *rep)
{
  memset(c, 0, sizeof(*c));
  findings_init(&c->batch);
  c->out = &c->batch;
  c->dest = out;
  c->rep = rep;
  mask_init(&c->mask);
  mask_cache_init(&c->mcache);
  c->batch.mask = &c->mask;
  c->batch.mcache = &c->mcache;
}

char *iac_excerpt(const char *s, size_t max)
{
  return str_excerpt(s, strlen(s), 0, max);
}

char *iac_excerpt_masked(struct iac_ctx *c, const char *s, size_t n, size_t off,
                         size_t max)
{
  struct mask_map map;
  size_t ml;
  char *m = mask_text(&c->mask, s, n, &ml, &map);
  char *ex = str_excerpt(m, ml, mask_map_off(&map, off), max);
  mask_map_free(&map);
  free(m);
  return ex;
}

void iac_secret_seen(struct iac_ctx *c, const char *value)
{
  if(c->mask.n < MASK_MAX_LEARNED)
    mask_add(&c->mask, value);
}

void iac_tested(struct iac_ctx *c, unsigned cats)
{
  if(c->rep)
    c->rep->tested |= cats;
}

void iac_ctx_flush(struct iac_ctx *c)
{
  /* A file's findings carry its name in their keys: no merging needed. */
  findings_take(c->dest, &c->batch);
}

void iac_ctx_cleanup(struct iac_ctx *c)
{
  iac_ctx_flush(c);
  /* A value seen in a later file or line may be quoted by an earlier
   * finding (a RUN line, a command): mask the whole run once more. */
  if(c->mask.n)
    findings_remask(c->dest, &c->mask);
  mask_cleanup(&c->mask);
  mask_cache_cleanup(&c->mcache);
  for(size_t i = 0; i < c->ndfs; i++)
    free(c->dfs[i].path);
  free(c->dfs);
  free(c->dfhash);
  for(size_t i = 0; i < c->nsas; i++) {
    free(c->sas[i].ns);
    free(c->sas[i].name);
  }
  free(c->sas);
  for(size_t i = 0; i < c->npend; i++) {
    free(c->pend[i].ns);
    free(c->pend[i].name);
    free(c->pend[i].file);
    free(c->pend[i].subject);
  }
  free(c->pend);
  free(c->rbuf);
  yl_free(c->yl);
  memset(c, 0, sizeof(*c));
}

void iac_problem(struct iac_ctx *c, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if(c->rep)
    report_note(c->rep, "%s", msg);
}

void iac_emit(struct iac_ctx *c, enum iac_rule r, int sev, const char *file,
              int line, const char *subject, const char *title,
              const char *evfmt, ...)
{
  /* Formatted once into the stack when it fits (most evidence does). */
  char tmp[512], *ev = tmp;
  va_list ap;
  va_start(ap, evfmt);
  int n = vsnprintf(tmp, sizeof(tmp), evfmt, ap);
  va_end(ap);
  if(n < 0) {
    tmp[0] = '\0';
  } else if((size_t)n >= sizeof(tmp)) {
    ev = xmalloc((size_t)n + 1);
    va_start(ap, evfmt);
    vsnprintf(ev, (size_t)n + 1, evfmt, ap);
    va_end(ap);
  }
  /* Masked whole, before the excerpt is cut (a token cut in half would
   * no longer be recognised). */
  char *masked = mask_str_cached(&c->mask, &c->mcache, ev);
  if(ev != tmp)
    free(ev);
  char *ex = iac_excerpt(masked, 400);
  free(masked);
  /* "file:line|subject", joined without a format. */
  char num[24], *d = num + sizeof(num);
  *--d = '\0';
  unsigned long u = line < 0 ? 0UL - (unsigned long)line : (unsigned long)line;
  do {
    *--d = (char)('0' + u % 10);
    u /= 10;
  } while(u);
  if(line < 0)
    *--d = '-';
  char *key = xconcat(file, ":", d, "|", subject ? subject : "", (char *)NULL);
  struct wd_finding_spec fs = {
    .rule = &iac_rules[r], .severity = sev, .title = title, .evidence = ex,
    .file = file, .line = line, .dedupe = key,
  };
  findings_add(c->out, &fs);
  free(key);
  free(ex);
}

static size_t df_hash(const char *s)
{
  size_t h = 14695981039346656037ULL & (size_t)-1; /* FNV-1a */
  for(; *s; s++)
    h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
  return h;
}

static void df_index(struct iac_ctx *c, size_t i)
{
  size_t m = c->dfhcap - 1, h = df_hash(c->dfs[i].path) & m;
  while(c->dfhash[h])
    h = (h + 1) & m;
  c->dfhash[h] = i + 1;
}

const struct iac_dfinfo *iac_df_lookup(struct iac_ctx *c, const char *path)
{
  if(!c->dfhcap)
    return NULL;
  size_t m = c->dfhcap - 1;
  for(size_t h = df_hash(path) & m; c->dfhash[h]; h = (h + 1) & m)
    if(strcmp(c->dfs[c->dfhash[h] - 1].path, path) == 0)
      return &c->dfs[c->dfhash[h] - 1];
  return NULL;
}

void iac_df_add(struct iac_ctx *c, const char *path, struct iac_dfinfo *info)
{
  c->dfs = xgrow(c->dfs, &c->capdfs, c->ndfs + 1, sizeof(*c->dfs));
  info->path = xstrdup(path);
  c->dfs[c->ndfs++] = *info;
  /* Kept at most half full; grown by rehashing everything. */
  if(c->ndfs * 2 > c->dfhcap) {
    free(c->dfhash);
    c->dfhcap = c->dfhcap ? c->dfhcap * 2 : 64;
    c->dfhash = xcalloc(c->dfhcap, sizeof(*c->dfhash));
    for(size_t i = 0; i < c->ndfs; i++)
      df_index(c, i);
  } else {
    df_index(c, c->ndfs - 1);
  }
}

/* ---- reading ------------------------------------------------------------ */
const struct iac_dfinfo *iac_df_load(struct iac_ctx *c, const char *path)
{
  const struct iac_dfinfo *d = iac_df_lookup(c, path);
  return d ? d : c->load_df ? c->load_df(c, path) : NULL;
}
