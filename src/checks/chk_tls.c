/*
 * chk_tls.c - handshake-level TLS and mutual-TLS probes (rules mtls.*
 * and tls.*), once, from plan_late, when the target is https, through
 * the scan's TLS service (scan_tls_probe: OpenSSL handshakes to the
 * target's host and port only, never around --proxy, within --max-time
 * and SCAN_TLS_BUDGET_S).
 *
 * Why plan_late: phase 2 has drained, so the routes that the user's own
 * identity opens are known, and the mTLS probes can ask for the most
 * telling one (one that returned host data, else the root, else any
 * 2xx route). The probes run synchronously, to the target's host and
 * port only (the scope), one connection at a time, each step bounded by
 * TLS_STEP_MS, all of them by SCAN_TLS_BUDGET_S (and --max-time): at most ten
 * handshakes per scan. With --proxy they are skipped (they would go
 * around it).
 *
 * The probes, in order:
 *   1. no client certificate, GET route: did the server send a
 *      CertificateRequest; refused in the handshake, 4xx, or data?
 *      Also gives the server certificate (tls.cert-*).
 *   2-4. whenever the server asked for a certificate (whether or not it
 *      answers without one): a certificate forged on the fly, self-signed
 *      (the subject copied from the user's --cert, if any, so a
 *      verifier that reads only the subject is fooled as well), then an
 *      expired one, then one whose extendedKeyUsage is serverAuth only.
 *      Each with GET route; 2xx means accepted. What probes 1-2 saw names
 *      the Go crypto/tls client-auth mode in evidence and remediation:
 *      RequestClientCert, RequireAnyClientCert (or a VerifyPeerCertificate
 *      returning nil), VerifyClientCertIfGiven, RequireAndVerifyClientCert.
 *   5. TLS 1.1 and below (security level 0); 6. NULL, anonymous, 3DES,
 *      RC4, EXPORT and single-DES suites in TLS <= 1.2, as far as this
 *      OpenSSL can offer them (Debian's 3.0 has no 3DES, RC4 or EXPORT
 *      suites, so in practice NULL and anonymous); 7. only when TLS 1.3
 *      is absent: AEAD suites refused but CBC with SHA-1 accepted.
 * Probes 5-7 present the user's certificate if the server asks.
 *
 * Findings that are about the connection, not a route, have method
 * "TLS" and the target URL as location; they are raised with
 * scan_flag_at() since scan_flag() wants a probe.
 *
 * mtls.identity-not-mapped reuses the other checks: with --cert/--key
 * the whole scan runs as that identity, so a route that returns host
 * data (any container.* finding) was opened by the certificate. When
 * the server asked for a client certificate, that is an identity that
 * reaches host operations: flagged once, on the first such route by URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h>

#include "../core/core_str.h"
#include "../net/net_tls.h"
#include "../scan/scan.h"
#include "check.h"

#define TLS_STEP_MS 3000

enum {
  R_OPTIONAL, R_ANY, R_EXPIRED, R_NOEKU, R_IDMAP,
  R_OLDPROTO, R_WEAK, R_CEXPIRED, R_CSELF, R_CNAME,
};

static const struct wd_fix fix_verify[] = {
  {"chi", "Serve with tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool} and never a VerifyPeerCertificate that returns nil; if you add one, check verifiedChains[0][0] against an allowlist of subjects."},
  {NULL, NULL},
};

static const struct wd_fix fix_map[] = {
  {"chi", "Map r.TLS.VerifiedChains[0][0].Subject to the operations it may call (a per-route allowlist middleware) and keep Docker or exec handlers off the identity that every client shares."},
  {NULL, NULL},
};

static const struct wd_fix fix_proto[] = {
  {"chi", "tls.Config{MinVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ...}}."},
  {NULL, NULL},
};

static const struct wd_rule tls_rules[] = {
  [R_OPTIONAL] = {
    .id = "mtls.optional-client-cert",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 306,
    .title = "Client certificate requested but not required",
    .summary = "The server asks for a client certificate in the handshake, then answers data to a client that sends none",
    .remediation = "Require a verified client certificate (nginx: ssl_verify_client on with ssl_client_certificate; Go: tls.RequireAndVerifyClientCert), or refuse requests whose certificate did not verify.",
    .fixes = fix_verify,
  },
  [R_ANY] = {
    .id = "mtls.any-cert-accepted",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 295,
    .title = "Any client certificate accepted: a self-signed one from an unknown CA opens the API",
    .summary = "A client certificate that warden signed itself is accepted and answered with data",
    .remediation = "Verify client certificates against your own CA only (ClientCAs / ssl_client_certificate), and never override verification with a callback that accepts everything.",
    .fixes = fix_verify,
  },
  [R_EXPIRED] = {
    .id = "mtls.expired-cert-accepted",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 298,
    .title = "Expired client certificate accepted",
    .summary = "A client certificate whose notAfter is in the past is accepted and answered with data",
    .remediation = "Let the TLS library verify the client chain, validity dates included; a custom verifier must not skip them.",
    .fixes = fix_verify,
  },
  [R_NOEKU] = {
    .id = "mtls.no-eku-accepted",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 295,
    .title = "Client certificate without the clientAuth key usage accepted",
    .summary = "A certificate whose extendedKeyUsage allows only serverAuth is accepted as a client certificate",
    .remediation = "Check that client certificates carry extendedKeyUsage clientAuth (Go's verification does this with ExtKeyUsageClientAuth; OpenSSL's purpose sslclient).",
    .fixes = fix_verify,
  },
  [R_IDMAP] = {
    .id = "mtls.identity-not-mapped",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_BFLA,
    .owasp = "API5:2023",
    .cwe = 285,
    .title = "mTLS identity not mapped to allowed operations: a client certificate reaches host operations",
    .summary = "With the client certificate given, routes return Docker API, command or host output: the certificate authenticates but nothing limits what it may do",
    .remediation = "Authorize per certificate subject: map each client identity to the routes it may call, and keep host-facing operations (Docker socket, exec) off the API.",
    .fixes = fix_map,
  },
  [R_OLDPROTO] = {
    .id = "tls.old-protocol",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 327,
    .title = "TLS 1.0 or 1.1 accepted",
    .summary = "The server completes a handshake with a protocol version below TLS 1.2",
    .remediation = "Accept TLS 1.2 and 1.3 only (nginx: ssl_protocols TLSv1.2 TLSv1.3; Go: MinVersion: tls.VersionTLS12).",
    .fixes = fix_proto,
  },
  [R_WEAK] = {
    .id = "tls.weak-cipher",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 327,
    .title = "Weak TLS cipher suite accepted",
    .summary = "NULL, anonymous, 3DES, RC4 or EXPORT suites accepted, or only CBC suites with SHA-1 and no AEAD",
    .remediation = "Offer AEAD suites (AES-GCM, ChaCha20-Poly1305) with ECDHE; drop NULL, anonymous, 3DES, RC4 and EXPORT suites.",
    .fixes = fix_proto,
  },
  [R_CEXPIRED] = {
    .id = "tls.cert-expired",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 298,
    .title = "Server certificate expired",
    .summary = "The server's certificate is past its notAfter date",
    .remediation = "Renew the certificate and automate renewal (ACME, cert-manager).",
  },
  [R_CSELF] = {
    .id = "tls.cert-self-signed",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 295,
    .title = "Self-signed server certificate",
    .summary = "The server's certificate is self-signed and not trusted (pass it with --cacert if it is pinned on purpose)",
    .remediation = "Use a certificate issued by a CA that clients trust (a public CA, or your internal CA distributed to clients).",
  },
  [R_CNAME] = {
    .id = "tls.cert-name-mismatch",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 297,
    .title = "Server certificate issued for another name",
    .summary = "The server's certificate does not cover the host name or IP address of the target",
    .remediation = "Issue the certificate with a subjectAltName for every name and address clients use.",
  },
};

static int prefix_is(const char *s, const char *p)
{
  return s && strncmp(s, p, strlen(p)) == 0;
}

/* The route the mTLS probes ask for, as a path: one where the user's
 * identity got host data, else the root if it answered, else any 2xx
 * route. Also returns its URL (borrowed) in *url. */
static const char *tls_pick_route(struct scan *s, const char **url)
{
  size_t ol = strlen(s->origin);
  for(size_t i = 0; i < s->findings.n; i++) {
    const struct wd_finding *f = &s->findings.v[i];
    if(f->rule->category == WD_CAT_CONTAINER && f->method &&
       strcmp(f->method, "GET") == 0 && prefix_is(f->url, s->origin) &&
       f->url[ol] == '/' && !strchr(f->url, '*')) {
      *url = f->url;
      return f->url + ol;
    }
  }
  if(s->root && scan_is_hit(s, s->root) && prefix_is(s->root->x.url, s->origin) &&
     s->root->x.url[ol] == '/') {
    *url = s->root->x.url;
    return s->root->x.url + ol;
  }
  for(size_t i = 0; i < s->nprobes; i++) {
    struct probe *p = s->probes[i];
    if(p->ident == ID_MAIN && strcmp(p->x.method, "GET") == 0 && scan_is_hit(s, p) &&
       prefix_is(p->x.url, s->origin) && p->x.url[ol] == '/') {
      *url = p->x.url;
      return p->x.url + ol;
    }
  }
  *url = s->target_url;
  return s->target.path && s->target.path[0] ? s->target.path : "/";
}

static void tls_opts(struct scan *s, struct tls_probe_opts *o)
{
  memset(o, 0, sizeof(*o)); /* host and port: the scan sets the target's */
  o->timeout_ms = TLS_STEP_MS;
  if(s->opts->http.connect_timeout_ms > 0 && s->opts->http.connect_timeout_ms < o->timeout_ms)
    o->timeout_ms = s->opts->http.connect_timeout_ms;
  o->cacert = s->opts->http.cacert;
}

/* "HTTP 200: {\"id\":..." or the refusal, for evidence. */
static void tls_outcome(const struct tls_result *r, char *out, size_t outlen)
{
  if(!r->handshake || r->refused) {
    snprintf(out, outlen, "refused (%.150s)", r->error[0] ? r->error : "handshake failed");
    return;
  }
  if(!r->status) {
    snprintf(out, outlen, "no HTTP answer%s%.150s", r->error[0] ? ": " : "", r->error);
    return;
  }
  char *ex = str_excerpt(r->resp + r->body_off, r->resp_len - r->body_off, 0, 80);
  snprintf(out, outlen, "HTTP %ld%s%s", r->status, ex && ex[0] ? ": " : "", ex ? ex : "");
  free(ex);
}

static int tls_data(const struct tls_result *r)
{
  return r->handshake && !r->refused && r->status >= 200 && r->status <= 299;
}

static void tls_server_cert(struct scan *s, const struct tls_result *r)
{
  X509 *c = r->server_cert;
  if(!c)
    return;
  scan_ran(s, &tls_rules[R_CEXPIRED]);
  scan_ran(s, &tls_rules[R_CSELF]);
  scan_ran(s, &tls_rules[R_CNAME]);
  char subj[256], na[64], ev[512];
  tls_name_oneline(X509_get_subject_name(c), subj, sizeof(subj));
  tls_cert_not_after(c, na, sizeof(na));
  if(tls_cert_expired(c)) {
    snprintf(ev, sizeof(ev), "server certificate %s expired on %s", subj, na);
    scan_flag_at(s, &tls_rules[R_CEXPIRED], -1, NULL, "TLS", s->target_url, ev, NULL);
  }
  if(tls_cert_self_signed(c, r->verify)) {
    snprintf(ev, sizeof(ev), "server certificate %s is its own issuer and is not trusted%s",
             subj, s->opts->http.cacert ? " by --cacert" : " by the system store");
    scan_flag_at(s, &tls_rules[R_CSELF], -1, NULL, "TLS", s->target_url, ev, NULL);
  }
  if(!tls_cert_matches_host(c, s->target.host)) {
    snprintf(ev, sizeof(ev), "server certificate %s does not cover '%s' (subjectAltName/CN)",
             subj, s->target.host);
    scan_flag_at(s, &tls_rules[R_CNAME], -1, NULL, "TLS", s->target_url, ev, NULL);
  }
}

/* What the server did with a client: refused in the TLS layer (alert,
 * reset), or completed the handshake (and then answered HTTP). */
static int tls_layer_ok(const struct tls_result *r)
{
  return r->handshake && !r->refused;
}

/* The Go crypto/tls client-auth mode (or its equivalent elsewhere) that
 * explains what the server did without a certificate and with a forged
 * self-signed one, and what to do about it. */
struct tls_mode {
  const char *name;
  const char *fix;
};

static struct tls_mode tls_client_mode(const struct tls_result *none, int forged_tls_ok)
{
  struct tls_mode m;
  if(!tls_layer_ok(none) && forged_tls_ok) {
    m.name = "tls.RequireAnyClientCert, or a VerifyPeerCertificate callback that returns nil "
             "(a certificate is required, none is verified)";
    m.fix = "use tls.RequireAndVerifyClientCert with ClientCAs set to your CA; a "
            "VerifyPeerCertificate callback must check verifiedChains, not return nil";
  } else if(tls_layer_ok(none) && forged_tls_ok) {
    m.name = "tls.RequestClientCert (a certificate is asked for, neither required nor verified; "
             "nginx: ssl_verify_client optional_no_ca)";
    m.fix = "use tls.RequireAndVerifyClientCert with ClientCAs (nginx: ssl_verify_client on "
            "with ssl_client_certificate)";
  } else if(tls_layer_ok(none)) {
    m.name = "tls.VerifyClientCertIfGiven (a certificate is verified when one is sent, but none "
             "is required; nginx: ssl_verify_client optional)";
    m.fix = "use tls.RequireAndVerifyClientCert, or refuse requests whose "
            "r.TLS.VerifiedChains is empty";
  } else {
    m.name = "tls.RequireAndVerifyClientCert (a certificate from a trusted CA is required)";
    m.fix = NULL;
  }
  return m;
}

/* Probes 2-4: forged certificates, whenever the server asked for one
 * (whether or not it answers without one: a server that takes no
 * certificate may still take any certificate, and then anyone can claim
 * any subject). Then the findings, each naming the client-auth mode. */
static void tls_client_auth(struct scan *s, const struct tls_result *none,
                            const struct tls_identity *user, const char *path,
                            const char *url)
{
  static const struct { enum tls_forge kind; int rule; const char *what; } f[] = {
    {TLS_FORGE_SELF_SIGNED, R_ANY, "self-signed certificate from an unknown CA"},
    {TLS_FORGE_EXPIRED, R_EXPIRED, "expired self-signed certificate"},
    {TLS_FORGE_NO_EKU, R_NOEKU, "certificate with extendedKeyUsage serverAuth only"},
  };
  char before[200];
  tls_outcome(none, before, sizeof(before));
  int got[3] = {0, 0, 0}, tls_ok[3] = {0, 0, 0};
  char after[3][200], subj[3][200];
  for(size_t i = 0; i < ARRAY_LEN(f); i++) {
    after[i][0] = subj[i][0] = '\0';
    struct tls_identity id;
    if(tls_identity_forge(&id, f[i].kind, user ? user->cert : NULL)) {
      report_note(&s->rep, "TLS probes: could not forge a test certificate");
      break;
    }
    struct tls_probe_opts o;
    tls_opts(s, &o);
    o.id = &id;
    o.path = path;
    struct tls_result r;
    char err[200];
    int ran = scan_tls_probe(s, &o, &r, err, sizeof(err)) == 0;
    if(ran && r.connected)
      scan_ran(s, &tls_rules[f[i].rule]);
    if(ran && r.cert_sent) {
      tls_ok[i] = tls_layer_ok(&r);
      got[i] = tls_data(&r);
      tls_name_oneline(X509_get_subject_name(id.cert), subj[i], sizeof(subj[i]));
      tls_outcome(&r, after[i], sizeof(after[i]));
    }
    tls_result_cleanup(&r);
    tls_identity_cleanup(&id);
  }
  struct tls_mode m = tls_client_mode(none, tls_ok[0]);
  scan_debug(s, "TLS client authentication: no certificate -> %s; forged self-signed -> %s; "
             "behaves like Go %s", before, after[0][0] ? after[0] : "not sent", m.name);
  char ev[900];
  if(none->handshake)
    scan_ran(s, &tls_rules[R_OPTIONAL]);
  if(tls_data(none)) {
    snprintf(ev, sizeof(ev), "CertificateRequest in the handshake, no certificate sent, GET %s -> %s; "
             "behaves like Go %s; fix: %s", path, before, m.name, m.fix ? m.fix : "-");
    scan_flag_at(s, &tls_rules[R_OPTIONAL], -1, NULL, "GET", url, ev, NULL);
  }
  for(size_t i = 0; i < ARRAY_LEN(f); i++) {
    if(!got[i])
      continue;
    snprintf(ev, sizeof(ev), "no client certificate -> %s; %s (%s, made by warden) -> %s; "
             "behaves like Go %s; fix: %s", before, f[i].what, subj[i], after[i], m.name,
             m.fix ? m.fix : "-");
    scan_flag_at(s, &tls_rules[f[i].rule], -1, NULL, "GET", url, ev, NULL);
  }
}

/* One handshake with the legacy settings of probes 5-7 (security level 0,
 * the versions and suites given; min_version 0: the library's lowest) as
 * the user's identity. 1 when the probe ran (r is then filled). */
static int tls_legacy_probe(struct scan *s, const struct tls_identity *user, int min_version,
                            int max_version, const char *ciphers, struct tls_result *r)
{
  struct tls_probe_opts o;
  char err[200];
  tls_opts(s, &o);
  o.id = user;
  o.min_version = min_version;
  o.max_version = max_version;
  o.ciphers = ciphers;
  o.seclevel0 = 1;
  return scan_tls_probe(s, &o, r, err, sizeof(err)) == 0;
}

/* Probes 5-7. */
static void tls_protocols(struct scan *s, const struct tls_identity *user, int has13)
{
  struct tls_result r;
  char ev[300];
  const char *old[2] = {NULL, NULL};
  char oldc[2][64] = {"", ""};
  int maxv[2] = {TLS1_1_VERSION, TLS1_VERSION};
  for(int i = 0; i < 2; i++) {
    int ran = tls_legacy_probe(s, user, TLS1_VERSION, maxv[i], "DEFAULT:@SECLEVEL=0", &r);
    if(ran && r.connected)
      scan_ran(s, &tls_rules[R_OLDPROTO]);
    if(ran && r.handshake && !r.refused && r.version_num <= TLS1_1_VERSION) {
      old[i] = r.version_num == TLS1_VERSION ? "TLS 1.0" : "TLS 1.1";
      snprintf(oldc[i], sizeof(oldc[i]), "%s", r.cipher);
    }
    tls_result_cleanup(&r);
    if(i == 0 && (!old[0] || strcmp(old[0], "TLS 1.0") == 0))
      break; /* nothing below, or 1.0 was already the answer */
  }
  if(old[0] || old[1]) {
    if(old[0] && old[1])
      snprintf(ev, sizeof(ev), "handshakes completed with TLS 1.1 (%s) and TLS 1.0 (%s)",
               oldc[0], oldc[1]);
    else {
      int k = old[0] ? 0 : 1; /* the one probe that got through */
      snprintf(ev, sizeof(ev), "handshake completed with %s (%s)",
               old[k] ? old[k] : "TLS 1.0", oldc[k]);
    }
    char title[80];
    snprintf(title, sizeof(title), "%s accepted",
             old[0] && old[1] ? "TLS 1.0 and 1.1" : old[0] ? old[0] : "TLS 1.0");
    scan_flag_at(s, &tls_rules[R_OLDPROTO], -1, title, "TLS", s->target_url, ev, NULL);
  }

  /* Broken suites: what this library can still offer of them. */
  int wran = tls_legacy_probe(s, user, TLS1_VERSION, TLS1_2_VERSION,
                              "eNULL:aNULL:3DES:RC4:EXP:DES:!PSK:!SRP:@SECLEVEL=0", &r);
  if(wran && r.connected)
    scan_ran(s, &tls_rules[R_WEAK]);
  if(wran && r.handshake && !r.refused) {
    snprintf(ev, sizeof(ev), "%s handshake completed with %s", r.version, r.cipher);
    char title[120];
    snprintf(title, sizeof(title), "Weak TLS cipher suite accepted: %s", r.cipher);
    scan_flag_at(s, &tls_rules[R_WEAK], WD_SEV_HIGH, title, "TLS", s->target_url, ev, "broken");
  }
  tls_result_cleanup(&r);
  if(has13)
    return;
  /* Without TLS 1.3: does TLS 1.2 offer any AEAD suite at all? */
  int aead = tls_legacy_probe(s, user, 0, TLS1_2_VERSION,
                              "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:RSA+AESGCM:@SECLEVEL=0",
                              &r) && r.handshake && !r.refused;
  int tried = r.connected;
  tls_result_cleanup(&r);
  if(aead || !tried)
    return;
  if(tls_legacy_probe(s, user, TLS1_VERSION, TLS1_2_VERSION,
                      "SHA1:!eNULL:!aNULL:!PSK:!SRP:@SECLEVEL=0", &r) &&
     r.handshake && !r.refused) {
    snprintf(ev, sizeof(ev), "no AEAD suite accepted in TLS 1.2 and no TLS 1.3; %s handshake completed with %s",
             r.version, r.cipher);
    scan_flag_at(s, &tls_rules[R_WEAK], WD_SEV_LOW, "Only CBC cipher suites with SHA-1 accepted (no AEAD)",
             "TLS", s->target_url, ev, "cbc-sha1");
  }
  tls_result_cleanup(&r);
}

/* The user's certificate opened routes that return host data. */
static void tls_identity_map(struct scan *s)
{
  const struct wd_finding *first = NULL;
  size_t n = 0;
  for(size_t i = 0; i < s->findings.n; i++) {
    const struct wd_finding *f = &s->findings.v[i];
    if(f->rule->category != WD_CAT_CONTAINER || !f->method || !f->url)
      continue;
    /* The smallest URL, method and rule id, not the finding made first
     * (the findings are in the order their answers came in). */
    int c = !first ? -1 : strcmp(f->url, first->url);
    if(!c)
      c = strcmp(f->method, first->method);
    if(!c)
      c = strcmp(f->rule->id, first->rule->id);
    if(c < 0)
      first = f;
    n++;
  }
  if(!first)
    return;
  char ev[400];
  snprintf(ev, sizeof(ev), "with the --cert identity, %s %s -> %s%s", first->method,
           first->url, first->rule->id,
           n > 1 ? " (and other host-data findings)" : "");
  scan_flag_at(s, &tls_rules[R_IDMAP], -1, NULL, first->method, first->url, ev, NULL);
}

static void tls_plan_late(struct scan *s, void *st)
{
  (void)st;
  if(strcmp(s->target.scheme, "https") || scan_out_of_budget(s))
    return;
  const struct scan_opts *so = s->opts;
  if(so->http.proxy) {
    /* The raw probes cannot go through the proxy; do not go around it. */
    report_note(&s->rep, "TLS probes skipped: --proxy is set and they connect directly");
    return;
  }
  struct tls_identity user, *up = NULL;
  char err[300];
  memset(&user, 0, sizeof(user));
  if(so->http.cert && so->http.key) {
    if(tls_identity_load(&user, so->http.cert, so->http.key, err, sizeof(err)) == 0)
      up = &user;
    else
      report_note(&s->rep, "TLS probes: %s", err);
  }
  const char *url;
  const char *path = tls_pick_route(s, &url);

  /* 1: no client certificate. */
  struct tls_probe_opts o;
  struct tls_result none;
  tls_opts(s, &o);
  o.path = path;
  scan_tls_probe(s, &o, &none, err, sizeof(err));
  if(!none.connected) {
    report_note(&s->rep, "TLS probes skipped: %s", none.error);
    goto out;
  }
  /* The server certificate: from this handshake, or with the user's
   * certificate if a handshake without one is refused outright. */
  if(none.server_cert) {
    tls_server_cert(s, &none);
  } else if(up) {
    struct tls_result r;
    o.id = up;
    o.path = NULL;
    if(scan_tls_probe(s, &o, &r, err, sizeof(err)) == 0)
      tls_server_cert(s, &r);
    tls_result_cleanup(&r);
  }
  if(none.cert_requested) {
    tls_client_auth(s, &none, up, path, url);
    if(up) {
      scan_ran(s, &tls_rules[R_IDMAP]);
      tls_identity_map(s);
    }
  } else if(up) {
    report_note(&s->rep, "TLS probes: the server never asked for a client certificate, so --cert was not sent in the handshake");
  }
  tls_protocols(s, up, none.handshake ? none.version_num >= TLS1_3_VERSION : 1);
out:
  tls_result_cleanup(&none);
  tls_identity_cleanup(&user);
}

const struct wd_check check_tls = {
  .name = "tls",
  .summary = "Mutual TLS (client certificate required, verified, mapped) and TLS (versions, suites, server certificate), probed with OpenSSL",
  .rules = tls_rules,
  .nrules = ARRAY_LEN(tls_rules),
  .plan_late = tls_plan_late,
};
