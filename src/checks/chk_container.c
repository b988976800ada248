/*
 * chk_container.c - container and host exposure in any response body:
 * runtime socket paths, Docker Engine API output, host file contents,
 * environment dumps and command output. These are what an attacker
 * reads to plan the way out of the container.
 */
#include <stdio.h>
#include <string.h>

#include "../scan/scan.h"
#include "../scan/scan_rx.h"
#include "check.h"

enum { R_SOCKET, R_DOCKERJSON, R_HOSTFILE, R_ENV, R_CMD };

static const struct wd_fix fix_env[] = {
  {"echo", "Delete the handler that returns os.Environ(); Echo's e.Debug must stay false in production so error messages do not carry configuration either."},
  {"chi", "Delete the route that writes os.Environ() and load secrets from files mounted read-only, not from the environment the app can echo."},
  {"fiber", "Delete the route that returns os.Environ() (c.JSON(os.Environ()))."},
  {"buffalo", "Delete the action that renders envy.Map() or os.Environ()."},
  {"flask", "Delete the view that returns os.environ or app.config."},
  {NULL, NULL},
};

static const struct wd_fix fix_cmd[] = {
  {"buffalo", "Remove the admin action that runs exec.Command(\"docker\", ...) or \"id\"; if host operations are needed, call a separate, authenticated service with an allowlist of operations instead of shelling out from the API process."},
  {"echo", "Remove handlers that run exec.Command and return its output; never run the API as root (USER 10001 in the Dockerfile)."},
  {"chi", "Remove handlers that run exec.Command and return its output; never run the API as root (USER 10001 in the Dockerfile)."},
  {NULL, NULL},
};

static const struct wd_rule ct_rules[] = {
  [R_SOCKET] = {
    .id = "container.socket-path",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 200,
    .title = "Container runtime socket path disclosed",
    .summary = "A response names the Docker, containerd, CRI-O or Podman socket: a sign it is mounted into the container",
    .remediation = "Do not mount the runtime socket into application containers, and do not echo configuration or mount tables in responses.",
  },
  [R_DOCKERJSON] = {
    .id = "container.docker-api-response",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 668,
    .title = "Docker Engine API output returned by the API",
    .summary = "A route relays Docker Engine API JSON (version, info, containers, images): the service can talk to the daemon",
    .remediation = "The application can reach the Docker daemon: remove the socket mount and the handler that relays the daemon's answers; whoever controls the daemon controls the host.",
    .fixes = NULL,
  },
  [R_HOSTFILE] = {
    .id = "container.host-file",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 538,
    .title = "Host or container system file contents returned",
    .summary = "/etc/passwd lines, /proc/self/environ, cgroup or mountinfo contents in a response",
    .remediation = "Find the handler that reads files from the filesystem and restrict it to an allowlisted directory with a resolved-path check; run with a read-only root filesystem.",
  },
  [R_ENV] = {
    .id = "container.env-dump",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 526,
    .title = "Process environment dumped in a response",
    .summary = "Environment variables (KUBERNETES_SERVICE_HOST, cloud credentials, secrets) returned by a route",
    .remediation = "Remove the route that dumps the environment and rotate every credential it showed.",
    .fixes = fix_env,
  },
  [R_CMD] = {
    .id = "container.command-output",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 78,
    .title = "System command output returned",
    .summary = "Output of id, ps or docker ps in a response: the API runs host commands",
    .remediation = "Do not run system commands from request handlers; if unavoidable, use a fixed command with no user input and never return its raw output.",
    .fixes = fix_cmd,
  },
};

struct ct_sig {
  int rule;
  int severity; /* -1 = the rule's */
  const char *what;
  struct rx rx;
  struct rx also; /* a second pattern that must match too, or {NULL} */
};

static const struct ct_sig ct_sigs[] = {
  {R_SOCKET, -1, "runtime socket path",
   RX("(?:/var)?/run/(?:docker|containerd/containerd|crio/crio|podman/podman|k3s/containerd/containerd)\\.sock\\b"), {NULL, 0}},
  {R_DOCKERJSON, -1, "Docker /version JSON",
   RX("\"ApiVersion\"\\s*:\\s*\"1\\.\\d+\""), RX("\"(?:MinAPIVersion|KernelVersion|GitCommit)\"")},
  {R_DOCKERJSON, -1, "Docker /info JSON",
   RX("\"DockerRootDir\"\\s*:"), RX("\"(?:ContainersRunning|Driver)\"")},
  {R_DOCKERJSON, -1, "Docker container list JSON",
   RX("\"Id\"\\s*:\\s*\"[0-9a-f]{64}\""), RX("\"Names\"\\s*:\\s*\\[")},
  {R_DOCKERJSON, -1, "Docker image list JSON",
   RX("\"RepoTags\"\\s*:"), RX("\"ParentId\"\\s*:")},
  {R_HOSTFILE, WD_SEV_HIGH, "/etc/passwd contents",
   RX("(?m)^root:[^:\\n]*:0:0:[^\\n]*:/[^\\n]*$"), RX("(?m)^[a-z_][a-z0-9_-]*:[^:\\n]*:\\d+:\\d+:")},
  {R_HOSTFILE, -1, "/proc/self/environ contents",
   RX("(?:^|\\x00)PATH=/[^\\x00\\n]*\\x00"), RX("\\x00HOSTNAME=")},
  {R_HOSTFILE, -1, "cgroup membership naming the container runtime",
   RX("(?m)^\\d+:[^:\\n]*:/(?:docker|kubepods|system\\.slice/(?:docker|containerd|crio)-|crio|containerd|libpod)[^\\n]*"), {NULL, 0}},
  {R_HOSTFILE, -1, "overlay mount table",
   RX("overlay\\s+/\\s+overlay\\s+\\S*(?:lowerdir|upperdir)="), {NULL, 0}},
  {R_HOSTFILE, -1, "Docker overlay2 storage path",
   RX("/var/lib/docker/overlay2/[A-Za-z0-9]+"), {NULL, 0}},
  {R_ENV, WD_SEV_CRITICAL, "cloud credentials in an environment dump",
   RX("(?m)(?:^|[\\s\"{,])(?:AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AZURE_CLIENT_SECRET|GOOGLE_APPLICATION_CREDENTIALS)\"?\\s*[=:]"), RX("(?m)(?:^|[\\s\"{,])(?:PATH|HOME|HOSTNAME|KUBERNETES_SERVICE_HOST|AWS_[A-Z_]+)\"?\\s*[=:]")},
  {R_ENV, -1, "Kubernetes service environment",
   RX("(?m)(?:^|[\\s\"{,])KUBERNETES_SERVICE_HOST\"?\\s*[=:]"), RX("(?m)(?:^|[\\s\"{,])(?:KUBERNETES_SERVICE_PORT|KUBERNETES_PORT|HOSTNAME|PATH)\"?\\s*[=:]")},
  {R_CMD, WD_SEV_CRITICAL, "id output: the API runs as root",
   RX("uid=0\\(root\\)\\s+gid=\\d+\\("), {NULL, 0}},
  {R_CMD, -1, "id output",
   RX("uid=\\d+\\([a-z_][a-z0-9_-]*\\)\\s+gid=\\d+\\("), {NULL, 0}},
  {R_CMD, -1, "docker ps table",
   RX("CONTAINER ID\\s+IMAGE\\s+COMMAND\\s+CREATED"), {NULL, 0}},
  {R_CMD, -1, "process table",
   RX("(?m)^\\s*(?:USER\\s+PID\\s+%CPU\\s+%MEM|PID\\s+TTY\\s+(?:STAT\\s+)?TIME\\s+CMD|PID\\s+USER\\s+TIME\\s+COMMAND)"), {NULL, 0}},
};

static void ct_judge(struct scan *s, void *st, struct probe *p)
{
  (void)st;
  if(p->claimed || !http_answered(&p->x) || !p->x.body.len)
    return;
  const char *b = buf_str(&p->x.body);
  size_t n = p->x.body.len;
  for(size_t i = 0; i < ARRAY_LEN(ct_rules); i++)
    scan_ran(s, &ct_rules[i]);
  int done[5] = {0};
  for(size_t i = 0; i < ARRAY_LEN(ct_sigs); i++) {
    const struct ct_sig *g = &ct_sigs[i];
    if(done[g->rule])
      continue;
    size_t mo, ml;
    if(!rx_search_both(s->rx, &g->rx, &g->also, b, n, &mo, &ml))
      continue;
    done[g->rule] = 1;
    char title[160];
    snprintf(title, sizeof(title), "%s: %s", ct_rules[g->rule].title, g->what);
    /* The same leak on many routes is one finding: dedupe on the rule and
     * what leaked, not where. */
    char key[200];
    snprintf(key, sizeof(key), "%s|%.*s", g->what, (int)(ml < 120 ? ml : 120), b + mo);
    scan_flag(s, p, &ct_rules[g->rule], g->severity, title, NULL, mo, ml, key);
  }
}

const struct wd_check check_container = {
  .name = "container",
  .summary = "Container and host exposure in responses: sockets, Docker API output, host files, environment, command output",
  .rules = ct_rules,
  .nrules = ARRAY_LEN(ct_rules),
  .judge = ct_judge,
};
