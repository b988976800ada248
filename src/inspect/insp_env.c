/*
 * insp_env.c - credentials the container holds: a Kubernetes
 * service-account token, cloud keys and secret-looking variables in the
 * environment. Secrets are never printed: at most 4 leading characters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "insp_int.h"

static const char *const sa_dirs[] = {
  "/var/run/secrets/kubernetes.io/serviceaccount",
  "/run/secrets/kubernetes.io/serviceaccount",
  "/secrets/kubernetes.io/serviceaccount", NULL};

void insp_k8s(struct insp *in)
{
  const char *h = insp_getenv(in, "KUBERNETES_SERVICE_HOST");
  if(h) {
    const char *p = insp_getenv(in, "KUBERNETES_SERVICE_PORT");
    char v[160];
    snprintf(v, sizeof(v), "%.100s:%.16s", h, p ? p : "443");
    report_fact(in->rep, "k8s_api", v);
  }
  struct buf b;
  buf_init(&b, 0);
  for(size_t i = 0; sa_dirs[i]; i++) {
    char path[256];
    snprintf(path, sizeof(path), "%s/token", sa_dirs[i]);
    if(insp_read(in, path, &b, 64 * 1024))
      continue;
    if(b.len == 0)
      continue;
    struct insp_jwt j;
    char ev[768], exp[40] = "none";
    int jr = insp_jwt_claims(b.data, b.len, &j);
    char *mask = str_mask_secret(b.data, b.len);
    int sev = -1;
    if(jr == 0) {
      if(j.exp > 0) {
        time_t t = (time_t)j.exp;
        struct tm tm;
        if(gmtime_r(&t, &tm))
          strftime(exp, sizeof(exp), "%Y-%m-%dT%H:%M:%SZ", &tm);
      } else {
        /* A secret-based (legacy) token never expires. */
        sev = WD_SEV_HIGH;
        snprintf(exp, sizeof(exp), "never (legacy token)");
      }
      snprintf(ev, sizeof(ev), "token %s: namespace=%s serviceaccount=%s issuer=%s expires=%s",
               mask, j.ns[0] ? j.ns : "?", j.sa[0] ? j.sa : "?",
               j.iss[0] ? j.iss : "?", exp);
      report_fact(in->rep, "k8s_namespace", j.ns[0] ? j.ns : "unknown");
      report_fact(in->rep, "k8s_serviceaccount", j.sa[0] ? j.sa : "unknown");
      report_fact(in->rep, "k8s_token_expires", exp);
    } else {
      snprintf(ev, sizeof(ev), "token %s: not a decodable JWT (claims unknown)", mask);
      report_note(in->rep, "%s: not a decodable JWT: its claims are unknown", path);
    }
    free(mask);
    insp_add(in, R_SA_TOKEN, sev, NULL, ev, path, NULL);
    break;
  }
  buf_cleanup(&b);
}

/* Cloud provider credentials by variable name. A path (GOOGLE_...) is
 * shown as is: it is where the key is, not the key. */
static const struct {
  const char *name;
  const char *cloud;
  int is_path;
} env_cloud[] = {
  {"AWS_ACCESS_KEY_ID", "AWS", 0},
  {"AWS_SECRET_ACCESS_KEY", "AWS", 0},
  {"AWS_SESSION_TOKEN", "AWS", 0},
  {"GOOGLE_APPLICATION_CREDENTIALS", "GCP", 1},
  {"GOOGLE_API_KEY", "GCP", 0},
  {"CLOUDSDK_AUTH_ACCESS_TOKEN", "GCP", 0},
  {"AZURE_CLIENT_SECRET", "Azure", 0},
  {"AZURE_STORAGE_KEY", "Azure", 0},
  {"AZURE_STORAGE_CONNECTION_STRING", "Azure", 0},
  {"ARM_CLIENT_SECRET", "Azure", 0},
  {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "Alibaba Cloud", 0},
  {"ALICLOUD_SECRET_KEY", "Alibaba Cloud", 0},
  {"DIGITALOCEAN_ACCESS_TOKEN", "DigitalOcean", 0},
  {"HCLOUD_TOKEN", "Hetzner Cloud", 0},
  {"LINODE_TOKEN", "Linode", 0},
  {"SCW_SECRET_KEY", "Scaleway", 0},
  {"OS_PASSWORD", "OpenStack", 0},
  {"CLOUDFLARE_API_TOKEN", "Cloudflare", 0},
};

/* Words that make a variable name look like it holds a secret. */
static const char *const env_secret_words[] = {"PASSWORD", "PASSWD", "SECRET",
  "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", NULL};

/* Variables named like secrets that hold none. */
static const char *const env_not_secret[] = {"KUBERNETES_SERVICE_HOST",
  "TOKEN_URL", "SECRET_NAME", NULL};

void insp_env(struct insp *in)
{
  if(!in->env_ok)
    return;
  const char *s = in->env.data, *end = s + in->env.len;
  while(s < end) {
    const char *e = memchr(s, '\0', (size_t)(end - s));
    size_t l = e ? (size_t)(e - s) : (size_t)(end - s);
    const char *eq = memchr(s, '=', l);
    const char *entry = s;
    s += l + 1;
    if(!eq || eq == entry || (size_t)(eq - entry) >= 128)
      continue;
    char name[128];
    snprintf(name, sizeof(name), "%.*s", (int)(eq - entry), entry);
    const char *val = eq + 1;
    size_t vl = l - (size_t)(eq - entry) - 1;
    if(vl == 0)
      continue;
    char ev[512];
    int cloud = -1;
    for(size_t i = 0; i < sizeof(env_cloud) / sizeof(env_cloud[0]); i++)
      if(strcmp(name, env_cloud[i].name) == 0)
        cloud = (int)i;
    if(cloud >= 0) {
      char title[128];
      snprintf(title, sizeof(title), "%s credentials in the environment", env_cloud[cloud].cloud);
      if(env_cloud[cloud].is_path) {
        snprintf(ev, sizeof(ev), "%s=%.200s (key file path)", name, val);
      } else {
        char *m = str_mask_secret(val, vl);
        snprintf(ev, sizeof(ev), "%s=%s", name, m);
        free(m);
      }
      insp_add(in, R_CLOUD_CREDS, -1, title, ev, "/proc/self/environ", name);
      continue;
    }
    int secret = 0;
    char upper[128];
    size_t k;
    for(k = 0; name[k] && k < sizeof(upper) - 1; k++)
      upper[k] = (char)(name[k] >= 'a' && name[k] <= 'z' ? name[k] - 32 : name[k]);
    upper[k] = '\0';
    for(size_t w = 0; env_secret_words[w]; w++)
      if(strstr(upper, env_secret_words[w]))
        secret = 1;
    for(size_t w = 0; env_not_secret[w]; w++)
      if(strcmp(upper, env_not_secret[w]) == 0)
        secret = 0;
    if(!secret)
      continue;
    char *m = str_mask_secret(val, vl);
    snprintf(ev, sizeof(ev), "%s=%s", name, m);
    free(m);
    insp_add(in, R_ENV_SECRET, -1, NULL, ev, "/proc/self/environ", name);
  }
}
