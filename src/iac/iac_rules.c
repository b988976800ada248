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
    int w = snprintf(out + o, n - o, "%s%s", kept++ ? ", " : "", defaults[k]);
    if(w < 0 || (size_t)w >= n - o)
      break;
    o += (size_t)w;
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

char *iac_excerpt(const char *s, size_t max)
{
  return str_excerpt(s, strlen(s), 0, max);
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
