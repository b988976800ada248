/*
 * iac_k8s.c - Kubernetes objects: every workload kind through its pod
 * template (containers, initContainers, ephemeralContainers), List kinds,
 * ServiceAccounts, Roles and bindings.
 *
 * Container settings override pod settings field by field (runAsUser,
 * runAsNonRoot, seccomp, AppArmor, SELinux, hostProcess), and the legacy
 * annotations count where the fields are absent, as in the kubelet. A
 * hostPath volume is judged once, at its path's line, as writable if any
 * container mounts it writable.
 */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "iac_int.h"

#define K8S_MAX_LIST_DEPTH 4
#define K8S_MAX_HOSTVOLS 64

struct hostvol {
  const char *name;
  const char *path;
  const char *type;
  int line;
  int mounted, rw;
  int root_mounter; /* a container running as root mounts it */
  char mounters[200];
};

struct pod_state {
  const char *file;
  const char *subject;
  struct hostvol hv[K8S_MAX_HOSTVOLS];
  size_t nhv;
  int priv_line, ptrace_line;
  const char *priv_file;
  int cli_line;
  char cli_what[200];
  char root_why[200];
};

/* Effective setting: the container's if present, else the pod's. */
static const struct ynode *eff(struct ydoc *d, const struct ynode *csc,
                               const struct ynode *psc, const char *path)
{
  const struct ynode *n = y_path(d, csc, path);
  return n ? n : y_path(d, psc, path);
}

static const struct ynode *annotation(struct ydoc *d, const struct ynode *ann,
                                      const char *prefix, const char *cname)
{
  char key[300];
  snprintf(key, sizeof(key), "%s%s", prefix, cname ? cname : "");
  return y_get(d, ann, key);
}

static void k8s_container(struct iac_ctx *c, struct ydoc *d, struct pod_state *ps,
                          const struct ynode *ctr, const struct ynode *psc,
                          const struct ynode *ann, const char *kind)
{
  const char *file = ps->file;
  const char *cname = y_str(d, y_get(d, ctr, "name"));
  char subj[300];
  snprintf(subj, sizeof(subj), "%s, %s %.80s", ps->subject, kind, cname ? cname : "?");
  const struct ynode *csc = y_get(d, ctr, "securityContext");
  int cline = ctr->line;
  int scline = csc ? y_deref(d, csc) ? y_deref(d, csc)->line : cline : cline;
  const struct ynode *n;

  int priv = 0;
  if((n = y_get(d, csc, "privileged")) && y_bool(d, n) == 1) {
    iac_emit(c, R_PRIVILEGED, -1, file, n->line, subj, NULL, "%s: privileged: true", subj);
    priv = 1;
    if(!ps->priv_line)
      ps->priv_line = n->line;
  }
  n = y_get(d, csc, "allowPrivilegeEscalation");
  if(y_bool(d, n) != 0)
    iac_emit(c, R_PRIV_ESC, -1, file, n ? n->line : scline, subj, NULL,
             "%s: allowPrivilegeEscalation %s", subj, n ? y_str(d, n) ? y_str(d, n) : "?" : "not set");

  const struct ynode *add = y_path(d, csc, "capabilities.add");
  int pl = iac_judge_cap_add(c, d, add, file, subj, "capabilities.add");
  if(pl && !ps->ptrace_line)
    ps->ptrace_line = pl;
  const struct ynode *drop = y_path(d, csc, "capabilities.drop");
  int dropall = iac_drops_all(d, drop);
  if(!dropall && !priv) {
    char left[300];
    iac_caps_remaining(d, drop, left, sizeof(left));
    iac_emit(c, R_CAP_DROP_ALL, -1, file, drop ? drop->line : scline, subj, NULL,
             "%s: capabilities.drop does not contain ALL; default capabilities that stay: %s",
             subj, left);
  }

  /* Root: the container's runAsUser/runAsNonRoot win over the pod's. */
  const struct ynode *uid = eff(d, csc, psc, "runAsUser");
  const struct ynode *nonroot = eff(d, csc, psc, "runAsNonRoot");
  long long u = -1;
  int root = 0;
  if(uid && y_int(d, uid, &u) == 0 && u == 0) {
    iac_emit(c, R_RUN_AS_ROOT, -1, file, uid->line, subj, NULL, "%s: runAsUser: 0", subj);
    root = 2;
    snprintf(ps->root_why, sizeof(ps->root_why), "runAsUser: 0 at %s:%d", file, uid->line);
  } else if(u <= 0 && y_bool(d, nonroot) != 1) {
    iac_emit(c, R_RUN_AS_ROOT_DEFAULT, -1, file, nonroot ? nonroot->line : scline, subj, NULL,
             "%s: runAsNonRoot %s and no runAsUser: the image's user, root by default", subj,
             nonroot ? "false" : "not set");
    root = 1;
    if(!ps->root_why[0])
      snprintf(ps->root_why, sizeof(ps->root_why), "runAsNonRoot not true at %s:%d", file,
               nonroot ? nonroot->line : scline);
  }

  n = y_get(d, csc, "readOnlyRootFilesystem");
  if(y_bool(d, n) != 1)
    iac_emit(c, R_ROOTFS_WRITABLE, -1, file, n ? n->line : scline, subj, NULL,
             "%s: readOnlyRootFilesystem %s", subj, n ? "false" : "not set");
  n = y_get(d, csc, "procMount");
  if(y_str(d, n) && !strcasecmp(y_str(d, n), "Unmasked"))
    iac_emit(c, R_PROC_UNMASKED, -1, file, n->line, subj, NULL, "%s: procMount: Unmasked", subj);

  /* Seccomp: container field, container annotation, pod field, pod
   * annotation, in that order. */
  const struct ynode *sp = y_path(d, csc, "seccompProfile.type");
  if(!sp)
    sp = annotation(d, ann, "container.seccomp.security.alpha.kubernetes.io/", cname);
  if(!sp)
    sp = y_path(d, psc, "seccompProfile.type");
  if(!sp)
    sp = annotation(d, ann, "seccomp.security.alpha.kubernetes.io/pod", NULL);
  if(y_str(d, sp) && !strcasecmp(y_str(d, sp), "unconfined"))
    iac_emit(c, R_SECCOMP, -1, file, sp->line, subj, NULL, "%s: seccomp %s", subj, y_str(d, sp));
  else if(!y_str(d, sp) && !priv)
    /* Kubernetes, unlike Docker, runs a container without seccomp unless
     * a profile is asked for (a privileged one has none anyway). */
    iac_emit(c, R_SECCOMP_UNSET, -1, file, scline, subj, NULL,
             "%s: no seccompProfile at container or pod level (nor annotation): runs Unconfined", subj);
  const struct ynode *aa = y_path(d, csc, "appArmorProfile.type");
  if(!aa)
    aa = annotation(d, ann, "container.apparmor.security.beta.kubernetes.io/", cname);
  if(!aa)
    aa = y_path(d, psc, "appArmorProfile.type");
  const char *aav = y_str(d, aa);
  if(aav && !strcasecmp(aav, "unconfined"))
    iac_emit(c, R_APPARMOR, -1, file, aa->line, subj, NULL, "%s: AppArmor %s", subj, aav);
  else if(aav && strcasecmp(aav, "RuntimeDefault") && strcasecmp(aav, "Localhost") &&
          strcmp(aav, "runtime/default") && strncmp(aav, "localhost/", 10))
    iac_emit(c, R_APPARMOR_CUSTOM, -1, file, aa->line, subj, NULL,
             "%s: AppArmor profile %s (baseline allows RuntimeDefault/runtime/default and Localhost/localhost/*)",
             subj, aav);
  const struct ynode *se = eff(d, csc, psc, "seLinuxOptions.type");
  const char *sev = y_str(d, se);
  if(sev && (strstr(sev, "spc_t") || strstr(sev, "unconfined_t")))
    iac_emit(c, R_SELINUX, -1, file, se->line, subj, NULL, "%s: seLinuxOptions.type %s", subj, sev);
  else if(sev && *sev && strcmp(sev, "container_t") && strcmp(sev, "container_init_t") &&
          strcmp(sev, "container_kvm_t"))
    iac_emit(c, R_SELINUX_CUSTOM, -1, file, se->line, subj, NULL,
             "%s: seLinuxOptions.type %s (baseline allows container_t, container_init_t, container_kvm_t)",
             subj, sev);
  static const char *const se_ur[] = {"seLinuxOptions.user", "seLinuxOptions.role"};
  for(size_t k = 0; k < 2; k++) {
    const struct ynode *u = eff(d, csc, psc, se_ur[k]);
    if(y_str(d, u) && *y_str(d, u))
      iac_emit(c, R_SELINUX_CUSTOM, -1, file, u->line, subj, NULL,
               "%s: %s %s (baseline forbids setting it)", subj, se_ur[k], y_str(d, u));
  }
  const struct ynode *hp = eff(d, csc, psc, "windowsOptions.hostProcess");
  if(y_bool(d, hp) == 1)
    iac_emit(c, R_HOST_PROCESS, -1, file, hp->line, subj, NULL, "%s: hostProcess: true", subj);

  /* Literal secrets in env. */
  const struct ynode *env = y_get(d, ctr, "env");
  for(size_t i = 0; i < y_len(d, env); i++) {
    const struct ynode *e = y_item(d, env, i);
    const char *k = y_str(d, y_get(d, e, "name"));
    const struct ynode *vn = y_get(d, e, "value");
    const char *v = y_str(d, vn);
    if(v)
      iac_env_secret(c, file, vn->line, subj, "env", k, v);
  }

  /* Mounts of the pod's hostPath volumes. */
  const struct ynode *vm = y_get(d, ctr, "volumeMounts");
  for(size_t i = 0; i < y_len(d, vm); i++) {
    const struct ynode *m = y_item(d, vm, i);
    const char *vname = y_str(d, y_get(d, m, "name"));
    const struct ynode *prop = y_get(d, m, "mountPropagation");
    if(y_str(d, prop) && !strcmp(y_str(d, prop), "Bidirectional"))
      iac_emit(c, R_MOUNT_PROPAGATION, -1, file, prop->line, subj, NULL,
               "%s: mountPropagation: Bidirectional", subj);
    for(size_t h = 0; vname && h < ps->nhv; h++) {
      struct hostvol *hv = &ps->hv[h];
      if(strcmp(hv->name, vname))
        continue;
      hv->mounted = 1;
      if(y_bool(d, y_get(d, m, "readOnly")) != 1)
        hv->rw = 1;
      if(root)
        hv->root_mounter = 1;
      size_t l = strlen(hv->mounters);
      if(l + 4 < sizeof(hv->mounters))
        snprintf(hv->mounters + l, sizeof(hv->mounters) - l, "%s%s", l ? ", " : "",
                 cname ? cname : "?");
    }
  }
  const char *image = y_str(d, y_get(d, ctr, "image"));
  if(!ps->cli_line && iac_image_has_docker_cli(image)) {
    ps->cli_line = y_get(d, ctr, "image")->line;
    snprintf(ps->cli_what, sizeof(ps->cli_what), "Docker client in image %.100s at %s:%d",
             image, file, ps->cli_line);
  }
}

static void k8s_pod(struct iac_ctx *c, const char *file, struct ydoc *d,
                    const struct ynode *spec, const struct ynode *ann,
                    const char *ns, const char *subject)
{
  /* Zeroed but for the host volumes (64 of them, 15 KiB), each zeroed
   * when it is taken. */
  struct pod_state ps;
  memset(&ps, 0, offsetof(struct pod_state, hv));
  memset((char *)&ps + offsetof(struct pod_state, nhv), 0,
         sizeof(ps) - offsetof(struct pod_state, nhv));
  ps.file = file;
  ps.subject = subject;
  const struct ynode *psc = y_get(d, spec, "securityContext");
  const struct ynode *n;

  const struct ynode *vols = y_get(d, spec, "volumes");
  for(size_t i = 0; i < y_len(d, vols) && ps.nhv < K8S_MAX_HOSTVOLS; i++) {
    const struct ynode *v = y_item(d, vols, i);
    const struct ynode *p = y_path(d, v, "hostPath.path");
    if(!y_str(d, p))
      continue;
    struct hostvol *hv = &ps.hv[ps.nhv++];
    memset(hv, 0, sizeof(*hv));
    hv->name = y_str(d, y_get(d, v, "name"));
    if(!hv->name)
      hv->name = "?";
    hv->path = y_str(d, p);
    hv->type = y_str(d, y_path(d, v, "hostPath.type"));
    hv->line = p->line;
  }

  int pid_line = 0;
  static const struct {
    const char *key;
    enum iac_rule rule;
  } hostns[] = {{"hostPID", R_HOST_PID}, {"hostIPC", R_HOST_IPC}, {"hostNetwork", R_HOST_NETWORK}};
  for(size_t i = 0; i < 3; i++) {
    n = y_get(d, spec, hostns[i].key);
    if(y_bool(d, n) == 1) {
      iac_emit(c, hostns[i].rule, -1, file, n->line, subject, NULL, "%s: %s: true", subject,
               hostns[i].key);
      if(hostns[i].rule == R_HOST_PID)
        pid_line = n->line;
    }
  }

  static const char *const lists[] = {"containers", "initContainers", "ephemeralContainers"};
  static const char *const kinds[] = {"container", "initContainer", "ephemeralContainer"};
  for(size_t l = 0; l < 3; l++) {
    const struct ynode *cs = y_get(d, spec, lists[l]);
    for(size_t i = 0; i < y_len(d, cs); i++) {
      const struct ynode *ctr = y_item(d, cs, i);
      if(y_is_map(d, ctr))
        k8s_container(c, d, &ps, ctr, psc, ann, kinds[l]);
    }
  }

  /* Sysctls are pod-wide. */
  const struct ynode *sys = y_get(d, psc, "sysctls");
  for(size_t i = 0; i < y_len(d, sys); i++) {
    const struct ynode *s = y_item(d, sys, i);
    const struct ynode *nm = y_get(d, s, "name");
    const char *name = y_str(d, nm);
    int sev = name ? iac_sysctl_sev(name) : -1;
    if(sev >= 0) {
      char subj2[400];
      snprintf(subj2, sizeof(subj2), "%s %s", subject, name);
      iac_emit(c, R_SYSCTL, sev, file, nm->line, subj2, NULL, "%s: sysctl %s", subject, name);
    }
  }

  /* hostPath volumes, judged by how they are mounted. */
  int socket_line = 0, socket_root = 0;
  const char *socket_path = NULL;
  for(size_t h = 0; h < ps.nhv; h++) {
    struct hostvol *hv = &ps.hv[h];
    /* The pod spec is the policy: a declared hostPath is a finding
     * whether or not a container mounts it (an ephemeral container added
     * later may, writable), so an unmounted one counts as writable. */
    int ro = hv->mounted && !hv->rw;
    char subj2[400];
    snprintf(subj2, sizeof(subj2), "%s volume %s", subject, hv->name);
    char norm[4096];
    int isdev = hv->type && (!strcmp(hv->type, "CharDevice") || !strcmp(hv->type, "BlockDevice"));
    if(!iac_path_norm(hv->path, norm, sizeof(norm)) &&
       (isdev || (strncmp(norm, "/dev/", 5) == 0))) {
      int sev = iac_device_sev(norm);
      if(sev >= 0 || isdev)
        iac_emit(c, R_HOST_DEVICE, sev >= 0 ? sev : WD_SEV_MEDIUM, file, hv->line, subj2, NULL,
                 "%s: hostPath %s%s%s (mounted by %s)", subject, hv->path,
                 hv->type ? " type " : "", hv->type ? hv->type : "",
                 hv->mounted ? hv->mounters : "no container");
      continue;
    }
    char how[300];
    snprintf(how, sizeof(how), "hostPath (%s%.200s)", hv->mounted ? "mounted by " : "declared, ",
             hv->mounted ? hv->mounters : "mounted by no container yet");
    enum iac_rule r = iac_mount_emit(c, file, hv->line, subj2, hv->path, ro, how);
    if((r == R_DOCKER_SOCKET || r == R_RUNTIME_SOCKET) && hv->mounted && !socket_line) {
      socket_line = hv->line;
      socket_path = hv->path;
      socket_root = hv->root_mounter;
    }
  }

  /* Service-account token: the pod's field wins, else its account's. */
  n = y_get(d, spec, "automountServiceAccountToken");
  int am = y_bool(d, n);
  if(am == 1) {
    iac_emit(c, R_SA_AUTOMOUNT, -1, file, n->line, subject, NULL,
             "%s: automountServiceAccountToken: true", subject);
  } else if(am != 0) {
    const char *sa = y_str(d, y_get(d, spec, "serviceAccountName"));
    if(!sa)
      sa = y_str(d, y_get(d, spec, "serviceAccount"));
    c->pend = xgrow(c->pend, &c->cappend, c->npend + 1, sizeof(*c->pend));
    struct iac_pending_sa *p = &c->pend[c->npend++];
    p->ns = xstrdup(ns);
    p->name = xstrdup(sa ? sa : "default");
    p->file = xstrdup(file);
    p->subject = xstrdup(subject);
    p->line = spec->line;
  }

  /* Chains inside the pod. */
  if(socket_line && socket_root)
    iac_emit(c, R_CHAIN_SOCKET_ROOT, -1, file, socket_line, subject,
             ps.cli_line ? "Chain: runtime socket + root + Docker client" : NULL,
             "%s: hostPath %s at %s:%d + %s + %s", subject, socket_path, file, socket_line,
             ps.root_why, ps.cli_line ? ps.cli_what
                                      : "no Docker client seen (curl --unix-socket suffices)");
  if(ps.priv_line && pid_line)
    iac_emit(c, R_CHAIN_PRIV_HOSTPID, -1, file, pid_line, subject, NULL,
             "%s: privileged at %s:%d + hostPID at %s:%d", subject, file, ps.priv_line, file,
             pid_line);
  else if(ps.ptrace_line && pid_line)
    iac_emit(c, R_CHAIN_PTRACE_HOSTPID, -1, file, pid_line, subject, NULL,
             "%s: capability at %s:%d + hostPID at %s:%d", subject, file, ps.ptrace_line, file,
             pid_line);
}

/* ---- RBAC ------------------------------------------------------------- */

struct strset {
  const char *v[64];
  const struct ynode *node[64];
  size_t n;
};

static void set_load(struct ydoc *d, const struct ynode *seq, struct strset *s)
{
  s->n = 0;
  for(size_t i = 0; i < y_len(d, seq) && s->n < 64; i++) {
    const struct ynode *it = y_item(d, seq, i);
    const char *v = y_str(d, it);
    if(v) {
      s->node[s->n] = it;
      s->v[s->n++] = v;
    }
  }
}

static const struct ynode *set_has(const struct strset *s, const char *x)
{
  for(size_t i = 0; i < s->n; i++)
    if(!strcasecmp(s->v[i], x))
      return s->node[i];
  return NULL;
}

static int verb(const struct strset *v, const char *x)
{
  return set_has(v, x) || set_has(v, "*");
}

/* Resource matches exactly, by a star, or by pods/star for a subresource. */
static int res(const struct strset *r, const char *x)
{
  if(set_has(r, x) || set_has(r, "*"))
    return 1;
  const char *slash = strchr(x, '/');
  if(slash) {
    char w[64];
    snprintf(w, sizeof(w), "%.*s/*", (int)(slash - x), x);
    return set_has(r, w) != NULL;
  }
  return 0;
}

static void k8s_role(struct iac_ctx *c, const char *file, struct ydoc *d,
                     const struct ynode *obj, const char *subject)
{
  const struct ynode *rules = y_get(d, obj, "rules");
  for(size_t i = 0; i < y_len(d, rules); i++) {
    const struct ynode *r = y_item(d, rules, i);
    if(!r)
      continue;
    struct strset g, rs, v;
    set_load(d, y_get(d, r, "apiGroups"), &g);
    set_load(d, y_get(d, r, "resources"), &rs);
    set_load(d, y_get(d, r, "verbs"), &v);
    char subj[300];
    snprintf(subj, sizeof(subj), "%.270s rule %zu", subject, i + 1);
    const struct ynode *w = set_has(&v, "*");
    if(!w)
      w = set_has(&rs, "*");
    if(!w)
      w = set_has(&g, "*");
    int all = set_has(&v, "*") && set_has(&rs, "*");
    if(w)
      iac_emit(c, R_RBAC_WILDCARD, all ? WD_SEV_CRITICAL : -1, file, w->line, subj, NULL,
               "%s: wildcard in%s%s%s", subj, set_has(&g, "*") ? " apiGroups" : "",
               set_has(&rs, "*") ? " resources" : "", set_has(&v, "*") ? " verbs" : "");
    if(all)
      continue; /* everything below is implied and already critical */
    int line = r->line;
    /* Resources count only in their API group: "*" in apps is not pods/exec. */
    int core = set_has(&g, "") || set_has(&g, "*");
    int rbac = set_has(&g, "rbac.authorization.k8s.io") || set_has(&g, "*");
    int apps = set_has(&g, "apps") || set_has(&g, "*");
    int batch = set_has(&g, "batch") || set_has(&g, "*");
    if(core && (res(&rs, "pods/exec") || res(&rs, "pods/attach")) &&
       (verb(&v, "create") || verb(&v, "get")))
      iac_emit(c, R_RBAC_EXEC, -1, file, line, subj, NULL, "%s: pods/exec or pods/attach", subj);
    if(core && res(&rs, "nodes/proxy") && (verb(&v, "get") || verb(&v, "create")))
      iac_emit(c, R_RBAC_NODES_PROXY, -1, file, line, subj, NULL, "%s: nodes/proxy", subj);
    if(set_has(&v, "escalate") || set_has(&v, "bind") ||
       (rbac && set_has(&v, "*") && (res(&rs, "roles") || res(&rs, "clusterroles"))))
      iac_emit(c, R_RBAC_ESCALATE, -1, file, line, subj, NULL, "%s: escalate/bind on roles", subj);
    if(set_has(&v, "impersonate") ||
       (core && set_has(&v, "*") && (res(&rs, "users") || res(&rs, "groups") ||
                                     res(&rs, "serviceaccounts"))))
      iac_emit(c, R_RBAC_IMPERSONATE, -1, file, line, subj, NULL, "%s: impersonate", subj);
    if(core && res(&rs, "secrets") && (verb(&v, "get") || verb(&v, "list") || verb(&v, "watch")))
      iac_emit(c, R_RBAC_SECRETS, -1, file, line, subj, NULL, "%s: reads secrets", subj);
    else if(core && res(&rs, "serviceaccounts/token") && verb(&v, "create"))
      iac_emit(c, R_RBAC_SECRETS, -1, file, line, subj, NULL,
               "%s: create serviceaccounts/token (mints tokens)", subj);
    static const struct {
      const char *res;
      int group; /* 0 core, 1 apps, 2 batch */
    } wl[] = {{"deployments", 1}, {"daemonsets", 1}, {"statefulsets", 1},
      {"replicasets", 1}, {"jobs", 2}, {"cronjobs", 2}, {"replicationcontrollers", 0}};
    int cp = core && res(&rs, "pods") && verb(&v, "create");
    for(size_t k = 0; !cp && k < sizeof(wl) / sizeof(wl[0]); k++) {
      int ing = wl[k].group == 0 ? core : wl[k].group == 1 ? apps : batch;
      cp = ing && res(&rs, wl[k].res) &&
           (verb(&v, "create") || verb(&v, "update") || verb(&v, "patch"));
    }
    if(cp)
      iac_emit(c, R_RBAC_CREATE_PODS, -1, file, line, subj, NULL,
               "%s: creates or changes pods or workloads", subj);
  }
}

static void k8s_binding(struct iac_ctx *c, const char *file, struct ydoc *d,
                        const struct ynode *obj, const char *subject, int cluster)
{
  const struct ynode *rn = y_path(d, obj, "roleRef.name");
  const char *role = y_str(d, rn);
  char who[300] = "";
  const struct ynode *subs = y_get(d, obj, "subjects");
  for(size_t i = 0; i < y_len(d, subs); i++) {
    const struct ynode *s = y_item(d, subs, i);
    const char *kind = y_str(d, y_get(d, s, "kind"));
    const struct ynode *nn = y_get(d, s, "name");
    const char *name = y_str(d, nn);
    if(!name)
      continue;
    size_t l = strlen(who);
    if(l + 4 < sizeof(who))
      snprintf(who + l, sizeof(who) - l, "%s%s %s", l ? ", " : "", kind ? kind : "?", name);
    if(!strcmp(name, "system:anonymous") || !strcmp(name, "system:unauthenticated") ||
       !strcmp(name, "system:authenticated") || !strcmp(name, "system:serviceaccounts")) {
      int sev = !strcmp(name, "system:anonymous") || !strcmp(name, "system:unauthenticated")
                ? -1 : WD_SEV_HIGH;
      char subj[400];
      snprintf(subj, sizeof(subj), "%s %s", subject, name);
      iac_emit(c, R_RBAC_ANONYMOUS, sev, file, nn->line, subj, NULL, "%s binds %s to %s",
               subject, role ? role : "?", name);
    }
  }
  if(role && !strcmp(role, "cluster-admin"))
    iac_emit(c, R_RBAC_CLUSTER_ADMIN, cluster ? -1 : WD_SEV_HIGH, file, rn->line, subject, NULL,
             "%s: roleRef cluster-admin for %s", subject, who[0] ? who : "no subjects");
}

/* ---- objects ------------------------------------------------------------ */

/* A field whose YAML type is not what Kubernetes requires: a note naming
 * file:line:col (the report becomes partial). */
static void k8s_bad(struct iac_ctx *c, const char *file, const struct ynode *n,
                    const char *subject, const char *field, const char *want)
{
  const char *is = n->kind == Y_SEQ ? "a sequence" : n->kind == Y_MAP ? "a mapping" : "a scalar";
  iac_problem(c, "%s:%d:%d: %s: %s is %s, not %s: not analysed", file, n->line, n->col,
              subject, field, is, want);
}

int iac_k8s_doc(struct iac_ctx *c, const char *file, struct ydoc *d,
                const struct ynode *obj, int depth)
{
  const char *kind = y_str(d, y_get(d, obj, "kind"));
  if(!kind)
    return 0;
  const struct ynode *meta = y_get(d, obj, "metadata");
  const char *name = y_str(d, y_get(d, meta, "name"));
  const char *ns = y_str(d, y_get(d, meta, "namespace"));
  if(!ns)
    ns = "default";
  char subject[300];
  snprintf(subject, sizeof(subject), "%.40s %.120s", kind, name ? name : "?");
  size_t kl = strlen(kind);

  if(kl >= 4 && !strcmp(kind + kl - 4, "List")) {
    const struct ynode *items = y_get(d, obj, "items");
    if(depth >= K8S_MAX_LIST_DEPTH)
      return 1;
    for(size_t i = 0; i < y_len(d, items); i++) {
      const struct ynode *it = y_item(d, items, i);
      if(y_is_map(d, it))
        iac_k8s_doc(c, file, d, it, depth + 1);
    }
    return 1;
  }
  if(!strcmp(kind, "ServiceAccount")) {
    c->sas = xgrow(c->sas, &c->capsas, c->nsas + 1, sizeof(*c->sas));
    c->sas[c->nsas].ns = xstrdup(ns);
    c->sas[c->nsas].name = xstrdup(name ? name : "?");
    c->sas[c->nsas].automount = y_bool(d, y_get(d, obj, "automountServiceAccountToken"));
    c->nsas++;
    return 1;
  }
  if(!strcmp(kind, "Role") || !strcmp(kind, "ClusterRole")) {
    iac_tested(c, WD_CAT_BIT(WD_CAT_BFLA));
    k8s_role(c, file, d, obj, subject);
    return 1;
  }
  if(!strcmp(kind, "RoleBinding") || !strcmp(kind, "ClusterRoleBinding")) {
    iac_tested(c, WD_CAT_BIT(WD_CAT_BFLA) | WD_CAT_BIT(WD_CAT_AUTH));
    k8s_binding(c, file, d, obj, subject, kind[0] == 'C');
    return 1;
  }
  const struct ynode *spec = y_get(d, obj, "spec");
  const struct ynode *pod = NULL, *ann = NULL;
  if(!strcmp(kind, "Pod")) {
    pod = spec;
    ann = y_get(d, meta, "annotations");
  } else if(!strcmp(kind, "CronJob")) {
    pod = y_path(d, spec, "jobTemplate.spec.template.spec");
    ann = y_path(d, spec, "jobTemplate.spec.template.metadata.annotations");
  } else if(!strcmp(kind, "PodTemplate")) {
    pod = y_path(d, obj, "template.spec");
    ann = y_path(d, obj, "template.metadata.annotations");
  } else {
    /* Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
     * Job, and any custom kind with a pod template (Argo Rollout, ...). */
    pod = y_path(d, spec, "template.spec");
    ann = y_path(d, spec, "template.metadata.annotations");
  }
  /* A structure Kubernetes would refuse is said, never skipped quietly. */
  const struct ynode *spec_d = y_deref(d, spec);
  if(spec_d && !y_is_map(d, spec_d)) {
    k8s_bad(c, file, spec_d, subject, "spec", "a mapping");
    return 1;
  }
  const struct ynode *pod_d = y_deref(d, pod);
  if(pod_d && !y_is_map(d, pod_d)) {
    k8s_bad(c, file, pod_d, subject, "the pod template's spec", "a mapping");
    return 1;
  }
  if(!y_is_map(d, pod))
    return 1;
  static const char *const lists[] = {"containers", "initContainers", "ephemeralContainers"};
  for(size_t l = 0; l < 3; l++) {
    const struct ynode *cs = y_deref(d, y_get(d, pod, lists[l]));
    if(cs && !y_is_seq(d, cs)) {
      k8s_bad(c, file, cs, subject, lists[l], "a sequence");
      continue;
    }
    for(size_t i = 0; i < y_len(d, cs); i++) {
      const struct ynode *ctr = y_deref(d, y_item(d, cs, i));
      if(ctr && !y_is_map(d, ctr)) {
        char what[64];
        snprintf(what, sizeof(what), "item %zu of %s", i + 1, lists[l]);
        k8s_bad(c, file, ctr, subject, what, "a mapping");
      }
    }
  }
  if(!y_get(d, pod, "containers") && !y_get(d, pod, "initContainers"))
    return 1;
  iac_tested(c, WD_CAT_BIT(WD_CAT_CONTAINER) | WD_CAT_BIT(WD_CAT_DATA));
  k8s_pod(c, file, d, y_deref(d, pod), ann, ns, subject);
  return 1;
}

/* Service accounts ordered by namespace, name, then the order they were
 * read (the last one read wins, as before the index). */
static int sa_cmp(const void *a, const void *b, void *arg)
{
  const struct iac_sa *v = arg;
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  int r = strcmp(v[x].ns, v[y].ns);
  if(!r)
    r = strcmp(v[x].name, v[y].name);
  return r ? r : x < y ? -1 : x > y;
}

/* The automount setting of the last ServiceAccount ns/name read, or -2
 * when none was: a binary search over the sorted index. */
static int sa_find(const struct iac_ctx *c, const size_t *ix, const char *ns, const char *name)
{
  size_t lo = 0, hi = c->nsas;
  while(lo < hi) { /* the first entry > (ns, name) */
    size_t mid = lo + (hi - lo) / 2;
    const struct iac_sa *s = &c->sas[ix[mid]];
    int r = strcmp(s->ns, ns);
    if(!r)
      r = strcmp(s->name, name);
    if(r <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if(lo == 0)
    return -2;
  const struct iac_sa *s = &c->sas[ix[lo - 1]];
  return !strcmp(s->ns, ns) && !strcmp(s->name, name) ? s->automount : -2;
}

void iac_k8s_finish(struct iac_ctx *c)
{
  /* A pod that says nothing about its token inherits its service
   * account's setting, which may sit in any file of the run. Indexed:
   * workloads x service accounts would be quadratic. */
  size_t *ix = c->nsas ? xmalloc(c->nsas * sizeof(*ix)) : NULL;
  for(size_t j = 0; j < c->nsas; j++)
    ix[j] = j;
  if(c->nsas > 1)
    qsort_r(ix, c->nsas, sizeof(*ix), sa_cmp, c->sas);
  for(size_t i = 0; i < c->npend; i++) {
    const struct iac_pending_sa *p = &c->pend[i];
    int seen = sa_find(c, ix, p->ns, p->name);
    if(seen == 0)
      continue;
    iac_emit(c, R_SA_AUTOMOUNT, -1, p->file, p->line, p->subject, NULL,
             "%s: automountServiceAccountToken not set; ServiceAccount %s/%s %s",
             p->subject, p->ns, p->name,
             seen == -2 ? "not among the files (default: token mounted)"
                        : seen == 1 ? "sets it true" : "does not set it false");
  }
  free(ix);
}
