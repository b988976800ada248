/*
 * chk_endpoints.c - runtime and debug endpoints answering on the target:
 * the Docker Engine API, kubelet, etcd, the Kubernetes API, Go pprof and
 * expvar, Prometheus metrics, Spring actuator, .env files.
 *
 * Each signature is a path plus a pattern that only the real thing
 * produces; a hit must also differ from the random-path baseline, so a
 * server that answers 200 to everything is never flagged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_str.h"
#include "../scan/scan.h"
#include "../scan/scan_rx.h"
#include "check.h"

enum {
  R_DOCKER, R_KUBELET, R_ETCD, R_K8S, R_PPROF, R_EXPVAR, R_METRICS,
  R_ACTUATOR, R_DOTENV,
};

static const struct wd_fix fix_pprof[] = {
  {"echo", "Do not mount net/http/pprof on the public Echo instance: serve it from a second echo.New() bound to 127.0.0.1, or drop the echo.WrapHandler(pprof...) routes in production builds."},
  {"chi", "Remove r.Mount(\"/debug\", middleware.Profiler()) from the public router, or mount it on a separate http.Server listening on 127.0.0.1 only."},
  {"fiber", "Remove app.Use(pprof.New()) from production, or guard it with a Next function that only allows requests from loopback."},
  {"buffalo", "Do not register net/http/pprof handlers on the Buffalo app; expose profiling on a loopback-only listener."},
  {NULL, NULL},
};

static const struct wd_fix fix_expvar[] = {
  {"echo", "Remove the e.GET(\"/debug/vars\", echo.WrapHandler(expvar.Handler())) route, or serve it from a loopback-only Echo instance."},
  {"chi", "Do not mount expvar.Handler() (or middleware.Profiler, which includes /debug/vars) on the public chi router."},
  {NULL, NULL},
};

static const struct wd_fix fix_docker[] = {
  {"fiber", "Do not proxy the Docker socket through Fiber (no proxy.Forward to unix:///var/run/docker.sock); remove the socket mount from the container and use a narrow, authenticated service for the few operations you need."},
  {"echo", "Remove the handlers that talk to the Docker daemon, or put them behind authentication that maps each caller to the operations it may run; never mount /var/run/docker.sock into an internet-facing container."},
  {NULL, NULL},
};

static const struct wd_rule ep_rules[] = {
  [R_DOCKER] = {
    .id = "endpoint.docker-api",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 306,
    .title = "Docker Engine API exposed without authentication",
    .summary = "The Docker Engine API (/_ping, /version, /containers/json ...) answers on the target: root on the host",
    .remediation = "Never expose the Docker socket or the Engine API: remove -v /var/run/docker.sock mounts and tcp://0.0.0.0:2375 listeners; if remote access is required use TLS client authentication (tlsverify) on a private network.",
    .fixes = fix_docker,
  },
  [R_KUBELET] = {
    .id = "endpoint.kubelet",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 306,
    .title = "Kubelet API answers without authentication",
    .summary = "Kubelet /pods or /runningpods/ readable: pod specs, secrets in env, and often exec on the node",
    .remediation = "Set the kubelet to --anonymous-auth=false and --authorization-mode=Webhook, and firewall ports 10250/10255 from everything but the control plane.",
  },
  [R_ETCD] = {
    .id = "endpoint.etcd",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 306,
    .title = "etcd answers without client authentication",
    .summary = "etcd /version or /v2/keys readable: the cluster's whole state, including Secrets",
    .remediation = "Run etcd with --client-cert-auth=true and --trusted-ca-file, listen on private addresses only, and enable encryption at rest for Secrets.",
  },
  [R_K8S] = {
    .id = "endpoint.k8s-api",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 306,
    .title = "Kubernetes API readable anonymously",
    .summary = "The Kubernetes API server answers resource lists to anonymous requests",
    .remediation = "Start the API server with --anonymous-auth=false (or bind system:anonymous to nothing) and review ClusterRoleBindings that name system:unauthenticated.",
  },
  [R_PPROF] = {
    .id = "endpoint.pprof",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 215,
    .title = "Go pprof profiler exposed",
    .summary = "/debug/pprof/ answers: heap, goroutine stacks, command line; CPU profiles are a denial of service",
    .remediation = "Serve net/http/pprof only on a loopback or admin-only listener, never on the public router.",
    .fixes = fix_pprof,
  },
  [R_EXPVAR] = {
    .id = "endpoint.expvar",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 215,
    .title = "Go expvar variables exposed",
    .summary = "/debug/vars answers: command line (often with flags and secrets) and memory statistics",
    .remediation = "Do not register expvar's handler on the public mux (importing expvar registers /debug/vars on http.DefaultServeMux).",
    .fixes = fix_expvar,
  },
  [R_METRICS] = {
    .id = "endpoint.metrics",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API9:2023",
    .cwe = 200,
    .title = "Prometheus metrics exposed",
    .summary = "/metrics answers publicly: versions, routes, internal names and load",
    .remediation = "Expose /metrics on a separate port reachable by the scraper only, or require authentication for it.",
  },
  [R_ACTUATOR] = {
    .id = "endpoint.actuator",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 215,
    .title = "Spring Boot actuator exposed",
    .summary = "/actuator/env or /actuator/heapdump answers: configuration, credentials, memory",
    .remediation = "Set management.endpoints.web.exposure.include=health,info and move the management port behind authentication (management.server.port on a private interface).",
  },
  [R_DOTENV] = {
    .id = "endpoint.dotenv",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_DATA,
    .owasp = "API8:2023",
    .cwe = 538,
    .title = "Environment file served over HTTP",
    .summary = "A .env file is downloadable: database passwords, signing keys, cloud credentials",
    .remediation = "Keep .env files out of the web root and the image (add them to .dockerignore), and rotate every secret it held.",
  },
};

struct ep_sig {
  const char *path;
  int rule;
  const char *what;  /* evidence label */
  struct rx rx;      /* must match the body */
  const char *header; /* or: this header must be present */
};

/* (?s) lookaheads: both tokens anywhere, in any order. */
static const struct ep_sig ep_sigs[] = {
  {"/_ping", R_DOCKER, "Docker /_ping with Api-Version header", RX("^OK"), "Api-Version"},
  {"/version", R_DOCKER, "Docker Engine /version", RX("(?s)^(?=.*\"ApiVersion\")(?=.*\"(?:MinAPIVersion|KernelVersion)\")"), NULL},
  {"/info", R_DOCKER, "Docker Engine /info", RX("(?s)^(?=.*\"DockerRootDir\")(?=.*\"Containers\")"), NULL},
  {"/containers/json", R_DOCKER, "Docker container list", RX("(?s)^\\s*\\[(?=.*\"Id\")(?=.*\"Names\")(?=.*\"Image\")"), NULL},
  {"/images/json", R_DOCKER, "Docker image list", RX("(?s)^\\s*\\[(?=.*\"RepoTags\")(?=.*\"(?:ParentId|Containers)\")"), NULL},
  {"/pods", R_KUBELET, "kubelet pod list", RX("(?s)^(?=.*\"PodList\")(?=.*\"items\")"), NULL},
  {"/runningpods/", R_KUBELET, "kubelet running pods", RX("(?s)^(?=.*\"PodList\")(?=.*\"items\")"), NULL},
  {"/v2/keys/", R_ETCD, "etcd v2 keys", RX("(?s)^(?=.*\"action\")(?=.*\"node\")"), NULL},
  {"/version", R_ETCD, "etcd /version", RX("(?s)^(?=.*\"etcdserver\")(?=.*\"etcdcluster\")"), NULL},
  {"/api", R_K8S, "Kubernetes APIVersions", RX("(?s)^(?=.*\"APIVersions\")(?=.*\"versions\")"), NULL},
  {"/api/v1/namespaces", R_K8S, "Kubernetes namespace list", RX("(?s)^(?=.*\"NamespaceList\")(?=.*\"items\")"), NULL},
  {"/api/v1/pods", R_K8S, "Kubernetes pod list", RX("(?s)^(?=.*\"PodList\")(?=.*\"items\")"), NULL},
  {"/api/v1/secrets", R_K8S, "Kubernetes secret list", RX("(?s)^(?=.*\"SecretList\")(?=.*\"items\")"), NULL},
  {"/version", R_K8S, "Kubernetes /version", RX("(?s)^(?=.*\"gitVersion\")(?=.*\"platform\")"), NULL},
  {"/debug/pprof/", R_PPROF, "pprof index", RX("(?:Types of profiles available|Profile Descriptions)"), NULL},
  {"/debug/pprof/goroutine?debug=1", R_PPROF, "pprof goroutine dump", RX("goroutine profile: total \\d+"), NULL},
  {"/debug/vars", R_EXPVAR, "expvar", RX("(?s)^\\s*\\{(?=.*\"cmdline\")(?=.*\"memstats\")"), NULL},
  {"/metrics", R_METRICS, "Prometheus exposition", RX("(?m)^# (?:HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* "), NULL},
  {"/actuator/env", R_ACTUATOR, "actuator env", RX("(?s)^(?=.*(?:activeProfiles|applicationConfig))(?=.*(?:propertySources|server\\.port))"), NULL},
  {"/env", R_ACTUATOR, "actuator env (Boot 1.x)", RX("(?s)^(?=.*(?:activeProfiles|applicationConfig))(?=.*(?:propertySources|server\\.port))"), NULL},
  {"/actuator/heapdump", R_ACTUATOR, "Java heap dump", RX("^JAVA PROFILE"), NULL},
  {"/.env", R_DOTENV, ".env file", RX("(?m)^(?:export )?[A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|KEY|DATABASE_URL|DB_[A-Z]+)[A-Z0-9_]*=\\S"), NULL},
  {"/.env.production", R_DOTENV, ".env file", RX("(?m)^(?:export )?[A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|KEY|DATABASE_URL|DB_[A-Z]+)[A-Z0-9_]*=\\S"), NULL},
  {"/.env.local", R_DOTENV, ".env file", RX("(?m)^(?:export )?[A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|KEY|DATABASE_URL|DB_[A-Z]+)[A-Z0-9_]*=\\S"), NULL},
  {"/api/.env", R_DOTENV, ".env file", RX("(?m)^(?:export )?[A-Z][A-Z0-9_]*(?:SECRET|PASSWORD|PASSWD|TOKEN|KEY|DATABASE_URL|DB_[A-Z]+)[A-Z0-9_]*=\\S"), NULL},
};

extern const struct wd_check check_endpoints;

static void ep_plan(struct scan *s, void *st)
{
  (void)st;
  if(s->opts->no_discovery)
    return;
  for(size_t i = 0; i < ARRAY_LEN(ep_sigs); i++)
    scan_queue(s, "GET", ep_sigs[i].path, PROBE_WELLKNOWN, &check_endpoints, (int)i);
}

static void ep_judge(struct scan *s, void *st, struct probe *p)
{
  (void)st;
  /* An answer to one of the signature paths judges that signature's rule. */
  if(p->origin == &check_endpoints && p->tag >= 0 && (size_t)p->tag < ARRAY_LEN(ep_sigs))
    scan_ran(s, &ep_rules[ep_sigs[p->tag].rule]);
  if(!(p->flags & PROBE_WELLKNOWN) || !scan_is_hit(s, p))
    return;
  const struct probe *first = p;
  while(first->parent)
    first = first->parent;
  const char *path = first->path;
  char hv[64];
  for(size_t i = 0; i < ARRAY_LEN(ep_sigs); i++) {
    const struct ep_sig *g = &ep_sigs[i];
    if(strcmp(g->path, path))
      continue;
    size_t mo, ml;
    if(!rx_search(s->rx, &g->rx, buf_str(&p->x.body), p->x.body.len, 0, &mo, &ml))
      continue;
    if(g->header && !http_header(&p->x, g->header, 0, hv, sizeof(hv)))
      continue;
    char ev[320];
    char *ex = str_excerpt(buf_str(&p->x.body), p->x.body.len, 0, 160);
    snprintf(ev, sizeof(ev), "%s: %s", g->what, ex);
    free(ex);
    /* One finding per exposed service, however many of its paths
     * answered; the count says how many. */
    scan_flag(s, p, &ep_rules[g->rule], -1, NULL, ev, 0, 0, ep_rules[g->rule].id);
    p->claimed = 1;
    return;
  }
}

const struct wd_check check_endpoints = {
  .name = "endpoints",
  .summary = "Runtime and debug endpoints on the target: Docker API, kubelet, etcd, Kubernetes API, pprof, expvar, metrics, actuator, .env",
  .rules = ep_rules,
  .nrules = ARRAY_LEN(ep_rules),
  .plan = ep_plan,
  .judge = ep_judge,
};
