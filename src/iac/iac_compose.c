/*
 * iac_compose.c - docker-compose files (compose spec, v2 and v3): the
 * services' privileges, namespaces, mounts (short and long syntax, and
 * named volumes that are host binds in disguise), devices, security
 * options, users and environment; and the chains inside one service.
 *
 * Anchors and merge keys (x- extensions with <<: *defaults) are followed
 * by the YAML accessors, within the document's budget; a finding that
 * comes from a merged block is reported at the block's line, once per
 * service that uses it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "iac_int.h"

/* What one service combines, for the chains. */
struct svc_state {
  int socket_line;
  char socket_path[256];
  int root;          /* 2 explicit, 1 not ruled out, 0 non-root */
  int root_line;
  const char *root_file;
  char root_why[200];
  int cli_line;
  const char *cli_file;
  char cli_what[200];
  int priv_line, pid_line, ptrace_line;
};

/* "${VAR:-default}" at the start of a path becomes the default; other
 * interpolations make the path unknown (NULL). Heap string. */
static char *cp_interp(const char *s)
{
  if(strncmp(s, "${", 2))
    return xstrdup(s);
  const char *close = strchr(s, '}');
  if(!close)
    return NULL;
  if(!strncmp(s, "${HOME}", 7))
    return xstrdup(s);
  const char *def = strstr(s, ":-");
  if(!def || def > close) {
    def = strchr(s, '-');
    if(!def || def > close)
      return NULL;
    def -= 1;
  }
  return xasprintf("%.*s%s", (int)(close - def - 2), def + 2, close + 1);
}

static void cp_mount(struct iac_ctx *c, const char *file, int line, const char *subj,
                     const char *src, int ro, struct svc_state *ss, const char *how)
{
  char *p = cp_interp(src);
  if(!p)
    return;
  enum iac_rule r = iac_mount_emit(c, file, line, subj, p, ro, how);
  if((r == R_DOCKER_SOCKET || r == R_RUNTIME_SOCKET) && !ss->socket_line) {
    ss->socket_line = line;
    snprintf(ss->socket_path, sizeof(ss->socket_path), "%s", src);
  }
  free(p);
}

/* A named volume whose local driver binds a host directory. */
static const char *cp_named_volume(struct ydoc *d, const struct ynode *vols,
                                   const char *name, int *line)
{
  const struct ynode *v = y_get(d, vols, name);
  const struct ynode *dev = y_path(d, v, "driver_opts.device");
  const char *o = y_str(d, y_path(d, v, "driver_opts.o"));
  const char *s = y_str(d, dev);
  if(!s || !o || !strstr(o, "bind"))
    return NULL;
  *line = dev->line;
  return s;
}

/* A named volume src of a service (written at line at) that the top-level
 * volumes bind to a host path: judged as that bind mount. */
static void cp_named_mount(struct iac_ctx *c, const char *file, struct ydoc *d,
                           const struct ynode *topvols, const char *subj, const char *src,
                           int at, int ro, struct svc_state *ss)
{
  int line = 0;
  const char *dev = cp_named_volume(d, topvols, src, &line);
  if(!dev)
    return;
  char how[200];
  snprintf(how, sizeof(how), "named volume %.60s (line %d) binds", src, at);
  cp_mount(c, file, line, subj, dev, ro, ss, how);
}

static void cp_volumes(struct iac_ctx *c, const char *file, struct ydoc *d,
                       const struct ynode *svc, const struct ynode *topvols,
                       const char *subj, struct svc_state *ss)
{
  const struct ynode *vols = y_get(d, svc, "volumes");
  size_t n = y_len(d, vols);
  for(size_t i = 0; i < n; i++) {
    const struct ynode *v = y_item(d, vols, i);
    if(!v)
      continue;
    const char *s = y_str(d, v);
    if(s) {
      /* src:dst[:mode]; a lone path is an anonymous volume. */
      const char *colon = s;
      if(s[0] == '$' && s[1] == '{' && strchr(s, '}'))
        colon = strchr(s, '}'); /* ${VAR:-/path} holds a colon itself */
      colon = strchr(colon, ':');
      if(!colon)
        continue;
      char *src = xstrndup(s, (size_t)(colon - s));
      const char *mode = strchr(colon + 1, ':');
      int ro = mode && (strstr(mode, "ro") == mode + 1 || strstr(mode, ",ro"));
      if(mode && (strstr(mode, "rshared") || strstr(mode, ":shared") || strstr(mode, ",shared")))
        iac_emit(c, R_MOUNT_PROPAGATION, -1, file, v->line, subj, NULL,
                 "%s: volume %s with shared propagation", subj, s);
      if(src[0] == '/' || src[0] == '~' || src[0] == '$') {
        cp_mount(c, file, v->line, subj, src, ro, ss, "bind mount");
      } else if(src[0] != '.') {
        cp_named_mount(c, file, d, topvols, subj, src, v->line, ro, ss);
      }
      free(src);
      continue;
    }
    if(!y_is_map(d, v))
      continue;
    const char *type = y_str(d, y_get(d, v, "type"));
    const struct ynode *srcn = y_get(d, v, "source");
    const char *src = y_str(d, srcn);
    int ro = y_bool(d, y_get(d, v, "read_only")) == 1;
    const char *prop = y_str(d, y_path(d, v, "bind.propagation"));
    if(prop && (!strcmp(prop, "shared") || !strcmp(prop, "rshared")))
      iac_emit(c, R_MOUNT_PROPAGATION, -1, file, v->line, subj, NULL,
               "%s: bind.propagation: %s", subj, prop);
    if(!src)
      continue;
    if((!type || !strcmp(type, "bind")) && (src[0] == '/' || src[0] == '~' || src[0] == '$')) {
      cp_mount(c, file, srcn->line, subj, src, ro, ss, "bind mount");
    } else if(type && !strcmp(type, "volume")) {
      cp_named_mount(c, file, d, topvols, subj, src, srcn->line, ro, ss);
    }
  }
}

static void cp_devices(struct iac_ctx *c, const char *file, struct ydoc *d,
                       const struct ynode *svc, const char *subj)
{
  const struct ynode *devs = y_get(d, svc, "devices");
  size_t n = y_len(d, devs);
  for(size_t i = 0; i < n; i++) {
    const struct ynode *v = y_item(d, devs, i);
    const char *s = y_str(d, v);
    char *src = NULL;
    if(s)
      src = xstrndup(s, strcspn(s, ":"));
    else if(y_str(d, y_get(d, v, "source")))
      src = xstrdup(y_str(d, y_get(d, v, "source")));
    if(!src)
      continue;
    char norm[4096];
    int sev = iac_path_norm(src, norm, sizeof(norm)) ? WD_SEV_MEDIUM : iac_device_sev(norm);
    if(sev >= 0)
      iac_emit(c, R_HOST_DEVICE, sev, file, v->line, subj, NULL,
               "%s: devices: %s", subj, s ? s : src);
    free(src);
  }
  const struct ynode *rules = y_get(d, svc, "device_cgroup_rules");
  n = y_len(d, rules);
  for(size_t i = 0; i < n; i++) {
    const struct ynode *v = y_item(d, rules, i);
    const char *s = y_str(d, v);
    if(s && (strchr(s, '*') || s[0] == 'a'))
      iac_emit(c, R_HOST_DEVICE, WD_SEV_HIGH, file, v->line, subj, NULL,
               "%s: device_cgroup_rules: %s (any device)", subj, s);
  }
}

/* Compose spells a set of KEY=VALUE pairs (environment, sysctls) two
 * ways: a mapping, or a list of "KEY=VALUE" strings. Calls f for each
 * pair: its key, its value (NULL when there is none), the pair as
 * written (the key alone for a mapping) and its line. */
struct cp_kv {
  struct iac_ctx *c;
  const char *file, *subj;
};
static void cp_each_kv(struct ydoc *d, const struct ynode *set, const struct cp_kv *kv,
                       void (*f)(const struct cp_kv *kv, const char *k, const char *v,
                                 const char *raw, int line))
{
  if(y_is_map(d, set)) {
    struct ypair *pv;
    size_t n = y_pairs(d, set, &pv);
    for(size_t i = 0; i < n; i++) {
      const char *k = y_str(d, pv[i].k);
      if(k)
        f(kv, k, y_str(d, pv[i].v), k, pv[i].k->line);
    }
    free(pv);
    return;
  }
  size_t n = y_len(d, set);
  for(size_t i = 0; i < n; i++) {
    const struct ynode *it = y_item(d, set, i);
    const char *s = y_str(d, it);
    if(!s)
      continue;
    const char *eq = strchr(s, '=');
    char *k = xstrndup(s, eq ? (size_t)(eq - s) : strlen(s));
    f(kv, k, eq ? eq + 1 : NULL, s, it->line);
    free(k);
  }
}

static void cp_env_one(const struct cp_kv *kv, const char *k, const char *v, const char *raw,
                       int line)
{
  (void)raw;
  iac_env_secret(kv->c, kv->file, line, kv->subj, "environment", k, v);
}

static void cp_sysctl_one(const struct cp_kv *kv, const char *k, const char *v,
                          const char *raw, int line)
{
  (void)v;
  int sev = iac_sysctl_sev(k);
  if(sev < 0)
    return;
  char subj2[300];
  snprintf(subj2, sizeof(subj2), "%s %s", kv->subj, k);
  iac_emit(kv->c, R_SYSCTL, sev, kv->file, line, subj2, NULL, "%s: sysctls %s", kv->subj, raw);
}

static int is_root_spec(const char *u)
{
  size_t l = strcspn(u, ":");
  return (l == 4 && !strncmp(u, "root", 4)) || (l > 0 && strspn(u, "0") == l);
}

static void cp_service(struct iac_ctx *c, const char *file, struct ydoc *d,
                       const char *name, const struct ynode *key,
                       const struct ynode *svc, const struct ynode *topvols)
{
  char subj[200];
  snprintf(subj, sizeof(subj), "service %.150s", name);
  struct svc_state ss;
  memset(&ss, 0, sizeof(ss));
  const struct ynode *n;
  int sline = key->line;

  if((n = y_get(d, svc, "privileged")) && y_bool(d, n) == 1) {
    iac_emit(c, R_PRIVILEGED, -1, file, n->line, subj, NULL, "%s: privileged: true", subj);
    ss.priv_line = n->line;
  }
  /* Capabilities. */
  const struct ynode *add = y_get(d, svc, "cap_add");
  int pl = iac_judge_cap_add(c, d, add, file, subj, "cap_add");
  if(pl && !ss.ptrace_line)
    ss.ptrace_line = pl;
  const struct ynode *drop = y_get(d, svc, "cap_drop");
  int dropall = iac_drops_all(d, drop);
  if(!dropall && !ss.priv_line) {
    char left[300];
    iac_caps_remaining(d, drop, left, sizeof(left));
    iac_emit(c, R_CAP_DROP_ALL, -1, file, drop ? drop->line : sline, subj, NULL,
             "%s: no cap_drop: [ALL]; default capabilities that stay: %s", subj, left);
  }

  /* Host namespaces. */
  static const struct {
    const char *key;
    enum iac_rule rule;
  } ns[] = {
    {"pid", R_HOST_PID}, {"ipc", R_HOST_IPC}, {"network_mode", R_HOST_NETWORK},
    {"userns_mode", R_HOST_USERNS}, {"uts", R_HOST_UTS}, {"cgroup", R_HOST_CGROUPNS},
  };
  for(size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
    n = y_get(d, svc, ns[i].key);
    const char *v = y_str(d, n);
    if(v && !strcmp(v, "host")) {
      iac_emit(c, ns[i].rule, -1, file, n->line, subj, NULL, "%s: %s: host", subj, ns[i].key);
      if(ns[i].rule == R_HOST_PID)
        ss.pid_line = n->line;
    }
  }

  /* security_opt: seccomp, apparmor, label, no-new-privileges. */
  const struct ynode *so = y_get(d, svc, "security_opt");
  int nnp = 0;
  for(size_t i = 0; i < y_len(d, so); i++) {
    const struct ynode *it = y_item(d, so, i);
    const char *s = y_str(d, it);
    if(!s)
      continue;
    size_t kl = strcspn(s, ":=");
    const char *v = s[kl] ? s + kl + 1 : "";
    if(kl == 7 && !strncmp(s, "seccomp", 7) && !strcmp(v, "unconfined"))
      iac_emit(c, R_SECCOMP, -1, file, it->line, subj, NULL, "%s: security_opt %s", subj, s);
    else if(kl == 8 && !strncmp(s, "apparmor", 8) && !strcmp(v, "unconfined"))
      iac_emit(c, R_APPARMOR, -1, file, it->line, subj, NULL, "%s: security_opt %s", subj, s);
    else if(kl == 5 && !strncmp(s, "label", 5) &&
            (!strcmp(v, "disable") || strstr(v, "spc_t") || strstr(v, "unconfined_t")))
      iac_emit(c, R_SELINUX, -1, file, it->line, subj, NULL, "%s: security_opt %s", subj, s);
    else if(kl == 17 && !strncmp(s, "no-new-privileges", 17) &&
            (!*v || !strcasecmp(v, "true")))
      nnp = 1;
  }
  if(!nnp)
    iac_emit(c, R_PRIV_ESC, WD_SEV_LOW, file, so ? so->line : sline, subj, NULL,
             "%s: no security_opt no-new-privileges:true", subj);

  if((n = y_get(d, svc, "cgroup_parent")) && y_str(d, n))
    iac_emit(c, R_CGROUP_PARENT, -1, file, n->line, subj, NULL, "%s: cgroup_parent: %s",
             subj, y_str(d, n));

  cp_volumes(c, file, d, svc, topvols, subj, &ss);
  cp_devices(c, file, d, svc, subj);
  const struct cp_kv kv = {c, file, subj};
  cp_each_kv(d, y_get(d, svc, "sysctls"), &kv, cp_sysctl_one);
  cp_each_kv(d, y_get(d, svc, "environment"), &kv, cp_env_one);

  /* The image: built here (its Dockerfile decides user and client), or
   * pulled (a docker:* image carries the client). */
  const struct iac_dfinfo *df = NULL;
  const struct ynode *build = y_get(d, svc, "build");
  const char *ctx = y_str(d, build);
  const char *dfname = "Dockerfile";
  if(!ctx && y_is_map(d, build)) {
    ctx = y_str(d, y_get(d, build, "context"));
    if(y_str(d, y_get(d, build, "dockerfile")))
      dfname = y_str(d, y_get(d, build, "dockerfile"));
    if(!ctx)
      ctx = ".";
  }
  char *dfpath = NULL;
  if(ctx && !strstr(ctx, "://") && strncmp(ctx, "git@", 4) && strcmp(file, "<stdin>")) {
    const char *slash = strrchr(file, '/');
    char *dir = slash ? xstrndup(file, (size_t)(slash - file)) : xstrdup("");
    char *rel = xasprintf("%s/%s", ctx, dfname);
    dfpath = iac_path_join(dir, rel);
    df = iac_df_lookup(c, dfpath);
    if(!df)
      df = iac_df_load(c, dfpath);
    free(dir);
    free(rel);
  }
  const char *image = y_str(d, y_get(d, svc, "image"));
  if(df && df->cli_line) {
    ss.cli_line = df->cli_line;
    ss.cli_file = df->path;
    snprintf(ss.cli_what, sizeof(ss.cli_what), "Docker client installed at %s:%d",
             df->path, df->cli_line);
  } else if(!df && iac_image_has_docker_cli(image)) {
    n = y_get(d, svc, "image");
    ss.cli_line = n->line;
    ss.cli_file = file;
    snprintf(ss.cli_what, sizeof(ss.cli_what), "Docker client in image %.120s at %s:%d",
             image, file, n->line);
  }

  /* The user: compose's user: wins over the image's USER. */
  n = y_get(d, svc, "user");
  const char *user = y_str(d, n);
  if(user && is_root_spec(user)) {
    iac_emit(c, R_RUN_AS_ROOT, -1, file, n->line, subj, NULL, "%s: user: %s", subj, user);
    ss.root = 2;
    ss.root_line = n->line;
    ss.root_file = file;
    snprintf(ss.root_why, sizeof(ss.root_why), "user: %s at %s:%d", user, file, n->line);
  } else if(!user) {
    if(df) {
      if(df->root) {
        ss.root = 1;
        ss.root_line = df->user_line;
        ss.root_file = df->path;
        snprintf(ss.root_why, sizeof(ss.root_why), "image runs as root (%s:%d)", df->path,
                 df->user_line);
      }
    } else {
      iac_emit(c, R_RUN_AS_ROOT_DEFAULT, WD_SEV_LOW, file, sline, subj, NULL,
               "%s: no user:, the image's default user (root for most images)", subj);
      ss.root = 1;
      ss.root_line = sline;
      ss.root_file = file;
      snprintf(ss.root_why, sizeof(ss.root_why), "no user: (image default, usually root) at %s:%d",
               file, sline);
    }
  }

  /* Chains, once per service. */
  if(ss.socket_line && ss.root) {
    iac_emit(c, R_CHAIN_SOCKET_ROOT, -1, file, ss.socket_line, subj,
             ss.cli_line ? "Chain: runtime socket + root + Docker client" : NULL,
             "%s: socket %s at %s:%d + %s + %s", subj, ss.socket_path, file, ss.socket_line,
             ss.root_why, ss.cli_line ? ss.cli_what : "no Docker client seen (curl --unix-socket suffices)");
  }
  if(ss.priv_line && ss.pid_line)
    iac_emit(c, R_CHAIN_PRIV_HOSTPID, -1, file, ss.pid_line, subj, NULL,
             "%s: privileged at %s:%d + pid: host at %s:%d", subj, file, ss.priv_line, file,
             ss.pid_line);
  else if(ss.ptrace_line && ss.pid_line)
    iac_emit(c, R_CHAIN_PTRACE_HOSTPID, -1, file, ss.pid_line, subj, NULL,
             "%s: cap_add at %s:%d + pid: host at %s:%d", subj, file, ss.ptrace_line, file,
             ss.pid_line);
  free(dfpath);
}

int iac_compose_doc(struct iac_ctx *c, const char *file, struct ydoc *d)
{
  const struct ynode *services = y_get(d, d->root, "services");
  if(!y_is_map(d, services))
    return 0;
  const struct ynode *topvols = y_get(d, d->root, "volumes");
  iac_tested(c, WD_CAT_BIT(WD_CAT_CONTAINER) | WD_CAT_BIT(WD_CAT_DATA));
  struct ypair *pv;
  size_t n = y_pairs(d, services, &pv);
  for(size_t i = 0; i < n; i++) {
    const char *name = y_str(d, pv[i].k);
    const struct ynode *svc = y_deref(d, pv[i].v);
    if(!name || !y_is_map(d, svc) || !strncmp(name, "x-", 2))
      continue;
    cp_service(c, file, d, name, pv[i].k, svc, topvols);
  }
  free(pv);
  return 1;
}
