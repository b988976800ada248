/*
 * test_iac.c - unit tests of the iac parts: path normalisation and the
 * host-path judgement, capabilities, secrets, the YAML loader (aliases,
 * merge keys, limits) and the Dockerfile parser through its findings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/core/core_alloc.h"
#include "../../src/iac/iac_int.h"

static void test_path_norm(void **state)
{
  (void)state;
  char out[256];
  assert_int_equal(iac_path_norm("/var/run/../run//docker.sock/", out, sizeof(out)), 0);
  assert_string_equal(out, "/var/run/docker.sock");
  assert_int_equal(iac_path_norm("/a/./b/../../..", out, sizeof(out)), 0);
  assert_string_equal(out, "/");
  assert_int_equal(iac_path_norm("~/.ssh", out, sizeof(out)), 0);
  assert_string_equal(out, "/home/~/.ssh");
  assert_int_equal(iac_path_norm("./data", out, sizeof(out)), -1);
  assert_int_equal(iac_path_norm("relative", out, sizeof(out)), -1);
}

static void test_path_covers(void **state)
{
  (void)state;
  assert_true(iac_path_covers("/var", "/var/log"));
  assert_true(iac_path_covers("/var", "/var"));
  assert_false(iac_path_covers("/var", "/variable"));
  assert_false(iac_path_covers("/var/log", "/var"));
  assert_true(iac_path_covers("/", "/anything"));
}

static void test_path_join(void **state)
{
  (void)state;
  char *p = iac_path_join("a/b", "./app/../srv/Dockerfile");
  assert_string_equal(p, "a/b/srv/Dockerfile");
  free(p);
  p = iac_path_join("", "../x/Dockerfile");
  assert_string_equal(p, "../x/Dockerfile");
  free(p);
  p = iac_path_join("dir", "/abs/Dockerfile");
  assert_string_equal(p, "/abs/Dockerfile");
  free(p);
}

static void test_hostpath(void **state)
{
  (void)state;
  struct iac_hostpath h;
  iac_hostpath_judge("/variable", 0, &h);
  assert_int_equal(h.rule, R_HOST_PATH);
  iac_hostpath_judge("/var", 0, &h);
  assert_int_equal(h.rule, R_HOST_SENSITIVE); /* holds /var/lib/kubelet */
  assert_int_equal(h.sev, WD_SEV_CRITICAL);
  iac_hostpath_judge("/var/run", 1, &h);
  assert_int_equal(h.rule, R_DOCKER_SOCKET);
  assert_int_equal(h.sev, WD_SEV_CRITICAL); /* ro does not stop connect() */
  iac_hostpath_judge("/run/k3s/containerd/containerd.sock", 1, &h);
  assert_int_equal(h.rule, R_RUNTIME_SOCKET);
  iac_hostpath_judge("/", 1, &h);
  assert_int_equal(h.rule, R_HOST_ROOT);
  assert_int_equal(h.sev, WD_SEV_HIGH);
  iac_hostpath_judge("/", 0, &h);
  assert_int_equal(h.sev, WD_SEV_CRITICAL);
  iac_hostpath_judge("/etc/localtime", 1, &h);
  assert_int_equal(h.rule, R__COUNT);
  iac_hostpath_judge("/etc/shadow", 1, &h);
  assert_int_equal(h.rule, R_HOST_SENSITIVE);
  assert_int_equal(h.sev, WD_SEV_MEDIUM);
  iac_hostpath_judge("/etc/kubernetes/pki", 1, &h);
  assert_int_equal(h.sev, WD_SEV_HIGH);
  assert_int_equal(iac_device_sev("/dev/null"), -1);
  assert_int_equal(iac_device_sev("/dev/nvme0n1"), WD_SEV_CRITICAL);
  assert_int_equal(iac_device_sev("/dev/fuse"), WD_SEV_MEDIUM);
}

static void test_caps_secrets(void **state)
{
  (void)state;
  assert_int_equal(iac_cap_rule("CAP_SYS_ADMIN"), R_CAP_SYS_ADMIN);
  assert_int_equal(iac_cap_rule("sys_module"), R_CAP_SYS_MODULE);
  assert_int_equal(iac_cap_rule("NET_BIND_SERVICE"), R__COUNT);
  assert_int_equal(iac_cap_rule("CHOWN"), R_CAP_ADDED);
  assert_true(iac_secret_name("DB_PASSWORD"));
  assert_true(iac_secret_name("github_token"));
  assert_false(iac_secret_name("DB_PASSWORD_FILE"));
  assert_false(iac_secret_name("LOG_LEVEL"));
  assert_true(iac_secret_value("hunter2-prod"));
  assert_false(iac_secret_value("${DB_PASSWORD}"));
  assert_false(iac_secret_value("changeme"));
  assert_false(iac_secret_value(""));
  assert_int_equal(iac_sysctl_sev("net.ipv4.tcp_syncookies"), -1);
  assert_int_equal(iac_sysctl_sev("kernel.core_pattern"), WD_SEV_HIGH);
  assert_true(iac_image_has_docker_cli("docker:24-cli"));
  assert_true(iac_image_has_docker_cli("registry.example.com/library/docker@sha256:ab"));
  assert_false(iac_image_has_docker_cli("dockerhub-mirror/nginx:1"));
}

static void test_yaml_merge_and_alias(void **state)
{
  (void)state;
  const char *y = "base: &b {a: 1, b: 2}\n"
                  "m:\n  <<: *b\n  b: 3\n  c: *b\n";
  struct yloader *l = yl_new(y, strlen(y));
  struct ydoc d;
  char err[200];
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), 1);
  const struct ynode *m = y_get(&d, d.root, "m");
  assert_string_equal(y_str(&d, y_get(&d, m, "a")), "1");
  assert_string_equal(y_str(&d, y_get(&d, m, "b")), "3"); /* own key wins */
  assert_string_equal(y_str(&d, y_path(&d, m, "c.b")), "2");
  struct ypair *pv;
  size_t n = y_pairs(&d, m, &pv);
  assert_int_equal(n, 3); /* b, c, then a from the merge */
  free(pv);
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), 0);
  yl_free(l);
}

static void test_yaml_limits(void **state)
{
  (void)state;
  char err[200];
  struct ydoc d;
  /* Deep nesting stops with a position. */
  size_t depth = 10000;
  char *deep = xmalloc(2 * depth + 1);
  memset(deep, '[', depth);
  memset(deep + depth, ']', depth);
  deep[2 * depth] = '\0';
  struct yloader *l = yl_new(deep, 2 * depth);
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "nesting deeper"));
  assert_non_null(strstr(err, "1:201:"));
  yl_free(l);
  free(deep);
  /* An alias bomb costs its size to load and its budget to walk. */
  char bomb[4096];
  size_t o = (size_t)snprintf(bomb, sizeof(bomb), "a0: &a0 {k: v}\n");
  for(int i = 1; i < 12; i++) {
    o += (size_t)snprintf(bomb + o, sizeof(bomb) - o, "a%d: &a%d {<<: [", i, i);
    for(int j = 0; j < 10; j++)
      o += (size_t)snprintf(bomb + o, sizeof(bomb) - o, "%s*a%d", j ? ", " : "", i - 1);
    o += (size_t)snprintf(bomb + o, sizeof(bomb) - o, "]}\n");
  }
  clock_t t0 = clock();
  l = yl_new(bomb, o);
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), 1);
  assert_null(y_get(&d, y_get(&d, d.root, "a11"), "missing"));
  assert_true(d.exhausted);
  assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
  yl_free(l);
  /* A syntax error names line and column. */
  const char *bad = "a: 1\nb: [x\n";
  l = yl_new(bad, strlen(bad));
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "3:1:"));
  yl_free(l);
}

/* One loader restarted on text after text (what an iac run does) reads
 * each as a fresh loader would: after an error, after a text left
 * unread, after a deep one; anchors of an earlier text are not seen. */
static void test_yaml_restart(void **state)
{
  (void)state;
  char err[200];
  struct ydoc d;
  const char *a = "x: &anc {k: v}\ny: *anc\n---\nz: 1\n";
  struct yloader *l = yl_new(a, strlen(a));
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), 1); /* the second doc left unread */
  assert_string_equal(y_str(&d, y_path(&d, d.root, "y.k")), "v");
  const char *b = "w: *anc\n"; /* anc belonged to the text before */
  assert_int_equal(yl_restart(l, b, strlen(b)), 0);
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "1:4:"));
  assert_non_null(strstr(err, "no anchor"));
  const char *c = "a: 1\nb: [x\n";
  assert_int_equal(yl_restart(l, c, strlen(c)), 0);
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "3:1:"));
  size_t depth = 150, nkeys = 3000; /* deep, and more nodes than one chunk holds */
  char *big = xmalloc(2 * depth + nkeys * 16 + 64);
  size_t o = 0;
  memset(big, '[', depth);
  o = depth;
  memset(big + o, ']', depth);
  o += depth;
  o += (size_t)sprintf(big + o, "\n---\n");
  for(size_t i = 0; i < nkeys; i++)
    o += (size_t)sprintf(big + o, "k%zu: v%zu\n", i, i);
  assert_int_equal(yl_restart(l, big, o), 0);
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), 1);
  assert_int_equal(y_len(&d, d.root), 1);
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), 1);
  assert_string_equal(y_str(&d, y_get(&d, d.root, "k2999")), "v2999");
  assert_string_equal(y_str(&d, y_get(&d, d.root, "k0")), "v0");
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), 0);
  free(big);
  const char *e = "only: one\n";
  assert_int_equal(yl_restart(l, e, strlen(e)), 0);
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), 1);
  assert_string_equal(y_str(&d, y_get(&d, d.root, "only")), "one");
  assert_null(y_get(&d, d.root, "k0"));
  assert_int_equal(yl_next(l, &d, err, sizeof(err)), 0);
  yl_free(l);
}

/* Findings of a Dockerfile given as text, as "rule@line" joined by ' '. */
static char *df_findings(const char *text, char *notes, size_t nlen)
{
  struct wd_findings f;
  struct report rep;
  findings_init(&f);
  report_init(&rep, "iac", "t", &f);
  iac_analyze_buffer("Dockerfile", text, strlen(text), 'd', &f, &rep);
  findings_sort(&f);
  char *out = xstrdup("");
  for(size_t i = 0; i < f.n; i++) {
    char *s = xasprintf("%s%s%s@%d", out, *out ? " " : "", f.v[i].rule->id, f.v[i].line);
    free(out);
    out = s;
  }
  notes[0] = '\0';
  for(size_t i = 0; i < rep.nnotes; i++)
    snprintf(notes + strlen(notes), nlen - strlen(notes), "%s;", rep.notes[i]);
  report_cleanup(&rep);
  findings_cleanup(&f);
  return out;
}

static void test_dockerfile(void **state)
{
  (void)state;
  char notes[1024];
  /* Only the final stage's USER counts. */
  char *r = df_findings("FROM a AS b\nUSER root\nFROM c\nUSER app\n", notes, sizeof(notes));
  assert_string_equal(r, "");
  free(r);
  /* A stage built FROM another inherits its USER. */
  r = df_findings("FROM a AS b\nUSER 0:0\nFROM b\nRUN true\n", notes, sizeof(notes));
  assert_string_equal(r, "iac.run-as-root@2");
  free(r);
  /* The escape directive; comment lines inside a continuation. */
  r = df_findings("# escape=`\nFROM a\nRUN echo `\n# note\n  && curl -s http://x `\n  | sh\nUSER 1\n",
                  notes, sizeof(notes));
  assert_string_equal(r, "iac.curl-pipe-shell@5");
  free(r);
  /* JSON form; a backslash is no continuation with the backtick escape. */
  r = df_findings("FROM a\nRUN [\"sh\", \"-c\", \"curl -s http://x | bash\"]\nUSER 1\n", notes,
                  sizeof(notes));
  assert_string_equal(r, "iac.curl-pipe-shell@2");
  free(r);
  /* Heredoc lines keep their own line numbers; <<- strips tabs. */
  r = df_findings("FROM a\nRUN <<-EOT\n\techo hi\n\twget -qO- http://x | sh\n\tEOT\nUSER 1\n",
                  notes, sizeof(notes));
  assert_string_equal(r, "iac.curl-pipe-shell@4");
  assert_string_equal(notes, "");
  free(r);
  /* Secrets: ENV literal (high), ARG without default (medium), a _FILE
   * name is a pointer, not a secret. */
  r = df_findings("FROM a\nARG NPM_TOKEN\nENV API_KEY=abcd1234efgh PASSWORD_FILE=/run/x\nUSER 1\n",
                  notes, sizeof(notes));
  assert_string_equal(r, "iac.secret-in-env@3 iac.secret-in-env@2");
  free(r);
  /* Variable USER resolved from ARG. */
  r = df_findings("ARG U=0\nFROM a\nARG U\nUSER ${U}\n", notes, sizeof(notes));
  assert_string_equal(r, "iac.run-as-root@4");
  free(r);
  /* Errors name line and column; analysis continues. */
  r = df_findings("FROM a\n  BOGUS x\nUSER 1\n", notes, sizeof(notes));
  assert_string_equal(r, "");
  assert_non_null(strstr(notes, "Dockerfile:2:3: unknown instruction 'BOGUS'"));
  free(r);
  r = df_findings("RUN x\n", notes, sizeof(notes));
  assert_non_null(strstr(notes, "Dockerfile:1:1: RUN before the first FROM"));
  free(r);
  /* ADD from a URL, lower with a checksum; sudo; Docker client. */
  r = df_findings("FROM a\nADD --checksum=sha256:00 https://x/y.tgz /\nRUN apk add docker-cli\n"
                  "RUN sudo true\nUSER 1\n", notes, sizeof(notes));
  assert_string_equal(r, "iac.sudo@4 iac.add-from-url@2 iac.docker-cli-in-image@3");
  free(r);
}

/* Issue 8: a literal secret is masked in every finding, also where an
 * earlier line quotes it without its name, and a token the 120-byte
 * excerpt of a RUN line would cut in half is masked before the cut. */
static void test_secrets_masked(void **state)
{
  (void)state;
  static const char tok[] = "ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6";
  static const char pw[] = "Dk-pa55-9f8e7d6c5b4a-x";
  char run[400], pad[200];
  /* "curl ... " up to byte 108 of the excerpt, then the token: the cut at
   * 120 would keep "ghp_" and 8 of its characters. */
  const char *head = "curl -fsSL -H \"X-Upstream: ";
  size_t pl = 108 - strlen(head);
  for(size_t i = 0; i < pl; i++)
    pad[i] = i % 2 ? ' ' : 'x';
  pad[pl - 1] = ' ';
  pad[pl] = '\0';
  snprintf(run, sizeof(run), "%s%s%s\" https://get.example/i.sh | sh", head, pad, tok);
  char *text = xasprintf("FROM alpine:3.19\n"
                         "RUN sudo mysql --password %s\n"
                         "RUN %s\n"
                         "ENV DB_PASSWORD=%s\n"
                         "USER app\n", pw, run, pw);
  struct wd_findings f;
  struct report rep;
  findings_init(&f);
  report_init(&rep, "iac", "t", &f);
  iac_analyze_buffer("Dockerfile", text, strlen(text), 'd', &f, &rep);
  int sudo = 0, curl = 0, secret = 0;
  for(size_t i = 0; i < f.n; i++) {
    const char *id = f.v[i].rule->id, *ev = f.v[i].evidence ? f.v[i].evidence : "";
    sudo += !strcmp(id, "iac.sudo") && f.v[i].line == 2;
    curl += !strcmp(id, "iac.curl-pipe-shell") && f.v[i].line == 3;
    secret += !strcmp(id, "iac.secret-in-env") && f.v[i].line == 4;
    if(strstr(ev, "aB3dE6gH") || strstr(ev, "Dk-pa55") || strstr(ev, "9f8e7d6c"))
      fail_msg("%s@%d leaks: %s", id, f.v[i].line, ev);
  }
  assert_int_equal(sudo, 1);
  assert_int_equal(curl, 1);
  assert_int_equal(secret, 1);
  report_cleanup(&rep);
  findings_cleanup(&f);
  free(text);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_path_norm),
    cmocka_unit_test(test_path_covers),
    cmocka_unit_test(test_path_join),
    cmocka_unit_test(test_hostpath),
    cmocka_unit_test(test_caps_secrets),
    cmocka_unit_test(test_yaml_merge_and_alias),
    cmocka_unit_test(test_yaml_limits),
    cmocka_unit_test(test_yaml_restart),
    cmocka_unit_test(test_dockerfile),
    cmocka_unit_test(test_secrets_masked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
