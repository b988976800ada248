/*
 * test_inspect_run.c - whole inspections of the captured trees in
 * tests/fixtures/inspect: the exact rule ids, the facts, masking, and
 * bad input. (The integration suite checks the same through the CLI.)
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include "../../src/inspect/inspect.h"

/* Fixtures are found from this file's path (meson compiles it by a path
 * relative to the build directory, where tests run). */
static void fixture(char *out, size_t n, const char *name)
{
  const char *f = __FILE__;
  const char *slash = strrchr(f, '/');
  snprintf(out, n, "%.*s/../fixtures/inspect/%s", (int)(slash ? slash - f : 1),
           slash ? f : ".", name);
}

struct run {
  struct wd_findings f;
  struct report r;
  int rc;
  char root[1024];
};

static void run_fixture(struct run *x, const char *name)
{
  fixture(x->root, sizeof(x->root), name);
  findings_init(&x->f);
  report_init(&x->r, "inspect", x->root, &x->f);
  x->rc = inspect_run(x->root, &x->f, &x->r);
  report_finalize(&x->r);
}

static void run_cleanup(struct run *x)
{
  report_cleanup(&x->r);
  findings_cleanup(&x->f);
}

static const char *fact(const struct run *x, const char *k)
{
  for(size_t i = 0; i < x->r.nfacts; i++)
    if(strcmp(x->r.fact_keys[i], k) == 0)
      return x->r.fact_vals[i];
  return NULL;
}

/* Asserts the set of rule ids is exactly ids (NULL-terminated). */
static void expect_rules(const struct run *x, const char *const *ids)
{
  size_t n = 0;
  for(; ids[n]; n++) {
    int seen = 0;
    for(size_t i = 0; i < x->f.n; i++)
      seen |= strcmp(x->f.v[i].rule->id, ids[n]) == 0;
    if(!seen)
      fail_msg("%s: missing %s", x->root, ids[n]);
  }
  for(size_t i = 0; i < x->f.n; i++) {
    int want = 0;
    for(size_t k = 0; k < n; k++)
      want |= strcmp(x->f.v[i].rule->id, ids[k]) == 0;
    if(!want)
      fail_msg("%s: unexpected %s (%s)", x->root, x->f.v[i].rule->id,
               x->f.v[i].evidence ? x->f.v[i].evidence : "");
  }
}

static void privileged(void **state)
{
  (void)state;
  static const char *const ids[] = {"inspect.privileged", "inspect.cap-sys-admin",
    "inspect.cap-sys-module", "inspect.cap-sys-ptrace", "inspect.cap-dac-read-search",
    "inspect.cap-dangerous", "inspect.no-seccomp", "inspect.apparmor-unconfined",
    "inspect.root-user", "inspect.sys-writable", "inspect.proc-sys-writable",
    "inspect.core-pattern-writable", "inspect.modprobe-writable",
    "inspect.binfmt-misc-writable", "inspect.uevent-helper-writable",
    "inspect.sysrq-trigger-writable", "inspect.cgroup-release-agent",
    "inspect.block-devices", "inspect.kernel-cve-2024-1086", NULL};
  struct run x;
  run_fixture(&x, "privileged");
  assert_int_equal(x.rc, 0);
  expect_rules(&x, ids);
  assert_string_equal(fact(&x, "caps_effective"), "full");
  assert_string_equal(fact(&x, "block_devices"), "sda,sda1");
  assert_int_equal(x.r.status, REP_COMPLETE);
  run_cleanup(&x);
}

/* The severity of the (single) finding of rule id; -1 if absent. */
static int sev_of(const struct run *x, const char *id)
{
  for(size_t i = 0; i < x->f.n; i++)
    if(strcmp(x->f.v[i].rule->id, id) == 0)
      return (int)x->f.v[i].severity;
  return -1;
}

static int evidence_has(const struct run *x, const char *id, const char *needle)
{
  for(size_t i = 0; i < x->f.n; i++)
    if(strcmp(x->f.v[i].rule->id, id) == 0 && x->f.v[i].evidence &&
       strstr(x->f.v[i].evidence, needle))
      return 1;
  return 0;
}

/* CAP_SYS_ADMIN + cgroup v1 + initial userns + no LSM: critical; the same
 * under AppArmor: high. CAP_SYS_MODULE with nomodule: low; with modules:
 * critical. hostname in a private UTS namespace is no host knob. */
static void sysadmin(void **state)
{
  (void)state;
  static const char *const ids[] = {"inspect.cap-sys-admin", "inspect.cap-sys-module",
    "inspect.apparmor-unconfined", "inspect.root-user", "inspect.cap-dangerous", NULL};
  struct run x;
  run_fixture(&x, "sysadmin-v1");
  expect_rules(&x, ids);
  assert_int_equal(sev_of(&x, "inspect.cap-sys-admin"), WD_SEV_CRITICAL);
  assert_int_equal(sev_of(&x, "inspect.cap-sys-module"), WD_SEV_LOW);
  assert_true(evidence_has(&x, "inspect.cap-sys-module", "nomodule"));
  assert_string_equal(fact(&x, "modules"), "not loadable");
  run_cleanup(&x);
  static const char *const ids2[] = {"inspect.cap-sys-admin", "inspect.cap-sys-module",
    "inspect.root-user", "inspect.cap-dangerous", NULL};
  run_fixture(&x, "sysadmin-apparmor");
  expect_rules(&x, ids2);
  assert_int_equal(sev_of(&x, "inspect.cap-sys-admin"), WD_SEV_HIGH);
  assert_int_equal(sev_of(&x, "inspect.cap-sys-module"), WD_SEV_CRITICAL);
  run_cleanup(&x);
}

/* -v /:/host: the host's core_pattern through /host/proc; release_agent
 * that access(2) allowed is refused by the kernel without CAP_SYS_ADMIN;
 * the container's own procfs through the bind is not a second one. */
static void host_root(void **state)
{
  (void)state;
  static const char *const ids[] = {"inspect.host-root-mount", "inspect.host-dir-mount",
    "inspect.core-pattern-writable", "inspect.root-user", "inspect.cap-dangerous", NULL};
  struct run x;
  run_fixture(&x, "host-root");
  expect_rules(&x, ids);
  assert_true(evidence_has(&x, "inspect.core-pattern-writable", "/host/proc/sys/kernel/core_pattern"));
  size_t procs = 0;
  for(size_t i = 0; i < x.f.n; i++)
    if(strcmp(x.f.v[i].rule->id, "inspect.host-dir-mount") == 0) {
      procs++;
      assert_non_null(strstr(x.f.v[i].evidence, "at /host/proc "));
    }
  assert_int_equal(procs, 1);
  run_cleanup(&x);
}

/* The initial network namespace by its fixed inode; a Docker socket
 * under another name; userns-remap plumbing; a stray /.dockerenv. */
static void namespaces_sockets(void **state)
{
  (void)state;
  struct run x;
  static const char *const net[] = {"inspect.host-net-ns", "inspect.containerd-shim-socket",
    "inspect.root-user", "inspect.cap-dangerous", NULL};
  run_fixture(&x, "hostnet");
  expect_rules(&x, net);
  assert_string_equal(fact(&x, "net_ns"), "host");
  assert_true(evidence_has(&x, "inspect.host-net-ns", "/run/dbus/system_bus_socket"));
  run_cleanup(&x);
  /* Its negative: an own namespace on the same kernel is proven own. */
  run_fixture(&x, "sysadmin-v1");
  assert_string_equal(fact(&x, "net_ns"), "own");
  run_cleanup(&x);
  static const char *const remap[] = {"inspect.docker-socket", "inspect.containerd-socket",
    "inspect.root-user", "inspect.cap-dangerous", NULL};
  run_fixture(&x, "userns-remap");
  expect_rules(&x, remap);
  assert_true(evidence_has(&x, "inspect.docker-socket", "/run/api.sock"));
  assert_int_equal(sev_of(&x, "inspect.root-user"), WD_SEV_MEDIUM);
  run_cleanup(&x);
  static const char *const none[] = {NULL};
  run_fixture(&x, "dockerenv-vm");
  expect_rules(&x, none);
  assert_string_equal(fact(&x, "runtime"), "host");
  run_cleanup(&x);
}

static void docker_socket(void **state)
{
  (void)state;
  static const char *const ids[] = {"inspect.docker-socket",
    "inspect.docker-socket-live", "inspect.root-user", "inspect.cap-dangerous", NULL};
  struct run x;
  run_fixture(&x, "docker-socket");
  expect_rules(&x, ids);
  assert_string_equal(fact(&x, "seccomp"), "filter");
  /* A captured tree is never probed. */
  assert_int_equal(x.r.requests, 0);
  run_cleanup(&x);
}

static void hostpid(void **state)
{
  (void)state;
  static const char *const ids[] = {"inspect.host-pid-ns", "inspect.cap-sys-ptrace",
    "inspect.cap-dangerous", "inspect.root-user", "inspect.kernel-cve-dirtypipe",
    "inspect.kernel-cve-2022-0492", "inspect.kernel-cve-2022-0185",
    "inspect.kernel-cve-2024-1086", NULL};
  struct run x;
  run_fixture(&x, "hostpid");
  expect_rules(&x, ids);
  for(size_t i = 0; i < x.f.n; i++)
    if(strcmp(x.f.v[i].rule->id, "inspect.host-pid-ns") == 0)
      assert_int_equal(x.f.v[i].severity, WD_SEV_CRITICAL); /* with ptrace */
  run_cleanup(&x);
}

static void k8s_default(void **state)
{
  (void)state;
  static const char *const ids[] = {"inspect.sa-token", "inspect.no-seccomp",
    "inspect.root-user", "inspect.cap-dangerous", "inspect.cloud-credentials",
    "inspect.env-secret", NULL};
  struct run x;
  run_fixture(&x, "k8s-default");
  expect_rules(&x, ids);
  assert_string_equal(fact(&x, "k8s_namespace"), "shop");
  assert_string_equal(fact(&x, "k8s_serviceaccount"), "api");
  assert_string_equal(fact(&x, "runtime"), "containerd");
  /* Secrets never appear beyond 4 leading characters. */
  for(size_t i = 0; i < x.f.n; i++) {
    const char *e = x.f.v[i].evidence ? x.f.v[i].evidence : "";
    assert_null(strstr(e, "IOSFODNN"));
    assert_null(strstr(e, "EMI/K7MDENG"));
    assert_null(strstr(e, "hunter2"));
    assert_null(strstr(e, "eyJhbGciOiJSUzI1NiIs"));
  }
  run_cleanup(&x);
}

static void hardened(void **state)
{
  (void)state;
  static const char *const ids[] = {NULL};
  struct run x;
  run_fixture(&x, "hardened-pod");
  expect_rules(&x, ids);
  assert_string_equal(fact(&x, "caps_effective"), "none");
  assert_string_equal(fact(&x, "no_new_privs"), "1");
  run_cleanup(&x);
}

static void host(void **state)
{
  (void)state;
  static const char *const ids[] = {"inspect.kernel-cve-2022-0492",
    "inspect.kernel-cve-2022-0185", "inspect.kernel-cve-2024-1086", NULL};
  struct run x;
  run_fixture(&x, "host");
  expect_rules(&x, ids);
  assert_string_equal(fact(&x, "runtime"), "host");
  run_cleanup(&x);
}

static void truncated(void **state)
{
  (void)state;
  static const char *const ids[] = {"inspect.root-user", NULL};
  struct run x;
  run_fixture(&x, "truncated");
  assert_int_equal(x.rc, 0);
  expect_rules(&x, ids);
  assert_int_equal(x.r.status, REP_PARTIAL);
  assert_string_equal(fact(&x, "caps_effective"), "unknown");
  assert_string_equal(fact(&x, "userns"), "unknown");
  assert_string_equal(fact(&x, "kernel"), "unknown");
  assert_true(x.r.nnotes >= 4);
  run_cleanup(&x);
}

static void missing_root(void **state)
{
  (void)state;
  struct run x;
  run_fixture(&x, "does-not-exist");
  assert_int_equal(x.rc, -1);
  assert_int_equal(x.r.status, REP_FAILED);
  assert_int_equal(x.f.n, 0);
  assert_true(x.r.nnotes == 1);
  run_cleanup(&x);
}

static void empty_root(void **state)
{
  (void)state;
  /* A directory holding nothing (made here, and checked empty): every
   * source unknown, no crash, no guessed finding, status failed. */
  char dir[] = "/tmp/warden-inspect-empty-XXXXXX";
  assert_non_null(mkdtemp(dir));
  DIR *d = opendir(dir);
  assert_non_null(d);
  int entries = 0;
  for(struct dirent *e; (e = readdir(d));)
    entries += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  closedir(d);
  assert_int_equal(entries, 0);
  struct run x;
  findings_init(&x.f);
  report_init(&x.r, "inspect", dir, &x.f);
  x.rc = inspect_run(dir, &x.f, &x.r);
  report_finalize(&x.r);
  assert_int_equal(x.rc, -1);
  assert_int_equal(x.f.n, 0);
  assert_int_equal(x.r.status, REP_FAILED);
  assert_string_equal(fact(&x, "caps_effective"), "unknown");
  assert_string_equal(fact(&x, "kernel"), "unknown");
  assert_true(x.r.nnotes >= 7);
  run_cleanup(&x);
  assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(privileged),
    cmocka_unit_test(docker_socket),
    cmocka_unit_test(sysadmin),
    cmocka_unit_test(host_root),
    cmocka_unit_test(namespaces_sockets),
    cmocka_unit_test(hostpid),
    cmocka_unit_test(k8s_default),
    cmocka_unit_test(hardened),
    cmocka_unit_test(host),
    cmocka_unit_test(truncated),
    cmocka_unit_test(missing_root),
    cmocka_unit_test(empty_root),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
