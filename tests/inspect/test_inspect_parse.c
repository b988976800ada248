/*
 * test_inspect_parse.c - the /proc parsers, the token decoder and the
 * kernel ranges: well-formed input, and input cut or mangled.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "../../src/inspect/insp_int.h"

#define S(x) x, sizeof(x) - 1

static void status_full(void **state)
{
  (void)state;
  static const char st[] =
    "Name:\tsh\nUid:\t0\t0\t0\t0\nGid:\t5\t6\t7\t8\nGroups:\t4 24 999\n"
    "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
    "CapEff:\t000001ffffffffff\nCapBnd:\t00000000a80425fb\n"
    "CapAmb:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t3\n";
  struct insp_status s;
  assert_int_equal(insp_parse_status(S(st), &s), 11);
  assert_true(s.cap_eff == 0x1ffffffffffULL);
  assert_true(s.cap_bnd == 0xa80425fbULL);
  assert_int_equal(s.seccomp, 2);
  assert_int_equal(s.seccomp_filters, 3);
  assert_int_equal(s.no_new_privs, 1);
  assert_int_equal(s.uid[1], 0);
  assert_int_equal(s.gid[1], 6);
  assert_int_equal(s.ngroups, 3);
  assert_int_equal(s.groups[2], 999);
}

static void status_truncated_is_unknown(void **state)
{
  (void)state;
  /* Cut inside CapEff: the short value must not be taken as a set. */
  static const char st[] = "Uid:\t0\t0\t0\t0\nCapEff:\t000001ff";
  struct insp_status s;
  insp_parse_status(S(st), &s);
  assert_false(s.known & INSP_ST_CAPEFF);
  assert_true(s.known & INSP_ST_UID);
  assert_int_equal(s.seccomp, -1);
  /* A complete but short hex value is malformed too. */
  static const char st2[] = "CapEff:\t1f\nSeccomp:\t7\nNoNewPrivs:\tx\n";
  insp_parse_status(S(st2), &s);
  assert_int_equal(s.known, 0);
  /* NUL bytes and junk never crash. */
  static const char st3[] = "CapEff:\t\0\0\0\n\n:\n";
  insp_parse_status(st3, sizeof(st3) - 1, &s);
  assert_int_equal(s.known, 0);
}

static void mountinfo_fields(void **state)
{
  (void)state;
  static const char mi[] =
    "36 35 98:0 /mnt1 /mnt/my\\040dir rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"
    "37 35 0:5 / /sys ro,nosuid - sysfs sysfs ro\n"
    "bad line\n"
    "38 35 0:6 / /x rw - tmpfs\n"
    "39 35 0:7 / /cut rw - tmpfs tmpfs rw";
  struct insp_mounts m;
  assert_int_equal(insp_parse_mountinfo(S(mi), &m), 2);
  assert_int_equal(m.bad, 2);
  assert_string_equal(m.v[0].mountpoint, "/mnt/my dir");
  assert_string_equal(m.v[0].root, "/mnt1");
  assert_string_equal(m.v[0].fstype, "ext3");
  assert_string_equal(m.v[0].source, "/dev/root");
  assert_false(m.v[0].ro);
  assert_true(m.v[1].ro);
  assert_true(m.v[1].super_ro);
  insp_mounts_cleanup(&m);
}

static void cgroup_lines(void **state)
{
  (void)state;
  static const char cg[] = "12:rdma:/\n4:memory:/docker/abc:def\n0::/\nx:y\n1:cpu:rel\n";
  struct insp_cgroups c;
  assert_int_equal(insp_parse_cgroup(S(cg), &c), 3);
  assert_int_equal(c.bad, 2);
  assert_string_equal(c.v[1].path, "/docker/abc:def");
  assert_string_equal(c.v[2].controllers, "");
  assert_int_equal(c.v[2].hier, 0);
  insp_cgroups_cleanup(&c);
}

static void idmap_initial_and_private(void **state)
{
  (void)state;
  struct insp_idmap m;
  assert_int_equal(insp_parse_idmap(S("         0          0 4294967295\n"), &m), 1);
  assert_true(insp_idmap_is_initial(&m));
  assert_int_equal(insp_idmap_outside(&m, 0), 0);
  assert_int_equal(insp_parse_idmap(S("0 100000 65536\n"), &m), 1);
  assert_false(insp_idmap_is_initial(&m));
  assert_int_equal(insp_idmap_outside(&m, 0), 100000);
  assert_int_equal(insp_idmap_outside(&m, 70000), -1);
  /* Cut mid-line: nothing is known. */
  assert_int_equal(insp_parse_idmap(S("0 0 42"), &m), 0);
  assert_int_equal(insp_parse_idmap(S("0 0 0\n1 2\n"), &m), 0);
  assert_int_equal(m.bad, 2);
}

static void kver_and_ns(void **state)
{
  (void)state;
  int v[3];
  assert_int_equal(insp_parse_kver(S("5.15.0-91-generic\n"), v), 0);
  assert_int_equal(v[0], 5);
  assert_int_equal(v[1], 15);
  assert_int_equal(v[2], 0);
  assert_int_equal(insp_parse_kver(S("6.6\n"), v), 0);
  assert_int_equal(v[2], 0);
  assert_int_equal(insp_parse_kver(S("not-a-version"), v), -1);
  assert_int_equal(insp_parse_kver(S("6"), v), -1);
  assert_true(insp_parse_nslink(S("pid:[4026531836]")) == 4026531836ULL);
  assert_true(insp_parse_nslink(S("pid:[12")) == 0);
  assert_true(insp_parse_nslink(S("pid:[]")) == 0);
}

static void kernel_ranges(void **state)
{
  (void)state;
  int a[3] = {5, 10, 101}, b[3] = {5, 10, 102}, c[3] = {5, 7, 0}, d[3] = {5, 17, 0},
      e[3] = {5, 13, 19}, f[3] = {6, 8, 0}, g[3] = {4, 8, 2}, h[3] = {4, 8, 3};
  assert_true(insp_kernel_vulnerable(R_CVE_DIRTYPIPE, a));
  assert_false(insp_kernel_vulnerable(R_CVE_DIRTYPIPE, b));
  assert_false(insp_kernel_vulnerable(R_CVE_DIRTYPIPE, c));
  assert_false(insp_kernel_vulnerable(R_CVE_DIRTYPIPE, d));
  /* A branch without a stable fix stays possible up to mainline. */
  assert_true(insp_kernel_vulnerable(R_CVE_DIRTYPIPE, e));
  assert_false(insp_kernel_vulnerable(R_CVE_NFTABLES, f));
  assert_true(insp_kernel_vulnerable(R_CVE_DIRTYCOW, g));
  assert_false(insp_kernel_vulnerable(R_CVE_DIRTYCOW, h));
  assert_false(insp_kernel_vulnerable(R_PRIVILEGED, a));
}

static void b64_and_json(void **state)
{
  (void)state;
  unsigned char out[64];
  assert_int_equal(insp_b64url_decode(S("aGk"), out, sizeof(out)), 2);
  assert_memory_equal(out, "hi", 2);
  assert_int_equal(insp_b64url_decode(S("aGk="), out, sizeof(out)), 2);
  assert_int_equal(insp_b64url_decode(S("a"), out, sizeof(out)), -1);
  assert_int_equal(insp_b64url_decode(S("a*bc"), out, sizeof(out)), -1);
  assert_int_equal(insp_b64url_decode(S("aGVsbG8"), out, 2), -1);
  char v[32];
  static const char js[] = "{\"a\":{\"sub\":\"no\"},\"l\":[1,{\"x\":2}],\"sub\":\"a\\\"b\\u0041\\u00e9\",\"exp\":17}";
  assert_int_equal(insp_json_get(S(js), "sub", v, sizeof(v)), 1);
  assert_string_equal(v, "a\"bA?");
  assert_int_equal(insp_json_get(S(js), "exp", v, sizeof(v)), 2);
  assert_string_equal(v, "17");
  assert_int_equal(insp_json_get(S(js), "a", v, sizeof(v)), 0);
  assert_int_equal(insp_json_get(S(js), "zz", v, sizeof(v)), 0);
  assert_int_equal(insp_json_get(S("{\"x\":"), "y", v, sizeof(v)), -1);
  assert_int_equal(insp_json_get(S("[1]"), "y", v, sizeof(v)), -1);
  /* A long value is cut to the buffer, terminated. */
  assert_int_equal(insp_json_get(S("{\"k\":\"0123456789\"}"), "k", v, 4), 1);
  assert_string_equal(v, "012");
}

static void jwt_claims(void **state)
{
  (void)state;
  /* {"alg":"none"}.{"iss":"kubernetes/serviceaccount","sub":"system:serviceaccount:ns1:sa1","exp":1700000000}.x */
  static const char tok[] =
    "eyJhbGciOiJub25lIn0.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50Om5zMTpzYTEiLCJleHAiOjE3MDAwMDAwMDB9.eA\n";
  struct insp_jwt j;
  assert_int_equal(insp_jwt_claims(S(tok), &j), 0);
  assert_string_equal(j.ns, "ns1");
  assert_string_equal(j.sa, "sa1");
  assert_string_equal(j.iss, "kubernetes/serviceaccount");
  assert_true(j.exp == 1700000000LL);
  assert_int_equal(insp_jwt_claims(S("abc"), &j), -1);
  assert_int_equal(insp_jwt_claims(S("a..b"), &j), -1);
  assert_int_equal(insp_jwt_claims(S("a.!!!!.b"), &j), -1);
  assert_int_equal(insp_jwt_claims(S("a.W10.b"), &j), -1); /* "[]" */
}

static void rules_table(void **state)
{
  (void)state;
  /* (inspect_nrules is defined as R__COUNT: comparing the two proves
   * nothing. What can go wrong is an enum slot left without an entry, a
   * wrong prefix or a duplicate id, checked below; that every rule is
   * raised by some test is checked by tests/integ/test_inspect.py.) */
  assert_true(inspect_nrules > 0);
  assert_null(inspect_rule_find("inspect.no-such-rule"));
  for(size_t i = 0; i < inspect_nrules; i++) {
    const struct wd_rule *r = &inspect_rules[i];
    assert_non_null(r->id);
    assert_true(strncmp(r->id, "inspect.", 8) == 0);
    assert_non_null(r->title);
    assert_non_null(r->summary);
    assert_non_null(r->remediation);
    assert_int_equal(r->category, WD_CAT_CONTAINER);
    assert_ptr_equal(inspect_rule_find(r->id), r);
    for(size_t k = 0; k < i; k++)
      assert_string_not_equal(inspect_rules[k].id, r->id);
  }
  assert_string_equal(insp_cap_name(21), "SYS_ADMIN");
  assert_string_equal(insp_cap_name(40), "CHECKPOINT_RESTORE");
  assert_null(insp_cap_name(41));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(status_full),
    cmocka_unit_test(status_truncated_is_unknown),
    cmocka_unit_test(mountinfo_fields),
    cmocka_unit_test(cgroup_lines),
    cmocka_unit_test(idmap_initial_and_private),
    cmocka_unit_test(kver_and_ns),
    cmocka_unit_test(kernel_ranges),
    cmocka_unit_test(b64_and_json),
    cmocka_unit_test(jwt_claims),
    cmocka_unit_test(rules_table),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
