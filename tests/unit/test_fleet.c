/*
 * test_fleet.c - the targets list (src/fleet), shards, and the shared
 * limiter's host keys and per-host cap (src/net/net_limit.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/fleet/fleet.h"
#include "../../src/net/net_limit.h"

static int parse(struct fleet_list *l, const char *text, char *err, size_t n)
{
  fleet_list_init(l);
  return fleet_parse(l, text, strlen(text), "t.txt", "lists", 0, err, n);
}

static void list_lines_options_comments(void **state)
{
  (void)state;
  struct fleet_list l;
  char err[600];
  assert_int_equal(parse(&l, "# head\n\n  http://A.example:8080/x  # tail\r\n"
                         "https://b.example/ --spec 'my spec.json' --scope c.example:9 "
                         "--no-discovery --auth-required\n"
                         "http://[::1]/ --spec=/abs.json --spec-not-here\n", err, sizeof(err)),
                   -1);
  assert_string_equal(err, "t.txt:5: '--spec-not-here' is not a per-target option "
                           "(--spec, --scope, --no-discovery, --auth-required)");
  fleet_list_cleanup(&l);
  assert_int_equal(parse(&l, "# head\n\n  http://A.example:8080/x  # tail\r\n"
                         "https://b.example/ --spec 'my spec.json' --scope c.example:9 "
                         "--no-discovery --auth-required\n"
                         "http://[::1]/ --spec=/abs.json\n", err, sizeof(err)), 0);
  assert_int_equal(l.n, 3);
  assert_string_equal(l.v[0].key, "http://a.example:8080/x");
  assert_int_equal(l.v[0].line, 3);
  assert_null(l.v[0].spec);
  assert_string_equal(l.v[1].key, "https://b.example:443/");
  assert_string_equal(l.v[1].spec, "lists/my spec.json");
  assert_int_equal(l.v[1].nscope, 1);
  assert_string_equal(l.v[1].scope[0], "c.example:9");
  assert_true(l.v[1].no_discovery && l.v[1].auth_required);
  assert_string_equal(l.v[2].key, "http://[::1]:80/");
  assert_string_equal(l.v[2].spec, "/abs.json");
  fleet_list_cleanup(&l);
}

static void list_errors_name_the_line(void **state)
{
  (void)state;
  static const struct { const char *text, *want; } cases[] = {
    {"http://a/\n--spec x\n", "t.txt:2: a line starts with the target's URL"},
    {"http://a/ --spec 'x\n", "t.txt:1: a ' quote is not closed"},
    {"\n\nftp://a/\n", "t.txt:3: 'ftp://a/' is not a URL warden can scan"},
    {"http://a/ --spec\n", "t.txt:1: --spec takes one FILE or URL"},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct fleet_list l;
    char err[600] = "";
    assert_int_equal(parse(&l, cases[i].text, err, sizeof(err)), -1);
    assert_true(strncmp(err, cases[i].want, strlen(cases[i].want)) == 0);
    fleet_list_cleanup(&l);
  }
  /* A line longer than the cap, and a NUL byte. */
  char *big = malloc(FLEET_LINE_MAX + 20);
  memset(big, 'a', FLEET_LINE_MAX + 10);
  memcpy(big, "http://x/", 9);
  big[FLEET_LINE_MAX + 10] = '\0';
  struct fleet_list l;
  char err[600];
  assert_int_equal(parse(&l, big, err, sizeof(err)), -1);
  assert_string_equal(err, "t.txt:1: the line is longer than 8192 bytes");
  fleet_list_cleanup(&l);
  free(big);
  fleet_list_init(&l);
  assert_int_equal(fleet_parse(&l, "http://a/\nhttp://b/\0x\n", 22, "t.txt", NULL, 0, err,
                               sizeof(err)), -1);
  assert_string_equal(err, "t.txt:2: a NUL byte (is this a text file?)");
  fleet_list_cleanup(&l);
}

static void families(void **state)
{
  (void)state;
  struct fleet_list l;
  char err[600];
  fleet_list_init(&l);
  assert_int_equal(fleet_add_url(&l, "http://[::1]:8080/", 4, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "an IPv6 address, but only IPv4 targets are allowed (-4)"));
  assert_int_equal(fleet_add_url(&l, "http://127.0.0.1/", 6, err, sizeof(err)), -1);
  assert_int_equal(fleet_add_url(&l, "http://127.0.0.1/", 4, err, sizeof(err)), 0);
  assert_int_equal(fleet_add_url(&l, "http://name.example/", 6, err, sizeof(err)), 0);
  fleet_list_cleanup(&l);
}

static void shards_partition_and_ignore_order(void **state)
{
  (void)state;
  char text[64 * 40] = "", err[600];
  for(int i = 0; i < 60; i++) {
    char line[48];
    snprintf(line, sizeof(line), "http://10.0.%d.%d:%d/\n", i / 7, i % 7, 8000 + i);
    strcat(text, line);
  }
  strcat(text, "http://10.0.0.0:8000/\n"); /* a duplicate of the first */
  size_t total = 0;
  int owner[60];
  for(unsigned s = 0; s < 5; s++) {
    struct fleet_list l;
    assert_int_equal(parse(&l, text, err, sizeof(err)), 0);
    fleet_select(&l, s, 5);
    assert_true(l.n < 60);
    for(size_t i = 0; i < l.n; i++) {
      int port = atoi(strrchr(l.v[i].key, ':') + 1) - 8000;
      owner[port] = (int)s;
    }
    total += l.n;
    fleet_list_cleanup(&l);
  }
  assert_int_equal(total, 60);
  /* The same targets in reverse order land in the same shards. */
  struct fleet_list l;
  assert_int_equal(parse(&l, text, err, sizeof(err)), 0);
  for(size_t i = 0; i < l.n; i++) {
    int port = atoi(strrchr(l.v[i].key, ':') + 1) - 8000;
    int in = -1;
    for(unsigned s = 0; s < 5; s++)
      if(fleet_in_shard(&l.v[l.n - 1 - i], s, 5))
        in = (int)s;
    port = atoi(strrchr(l.v[l.n - 1 - i].key, ':') + 1) - 8000;
    assert_int_equal(in, owner[port]);
  }
  fleet_select(&l, 0, 1);
  assert_int_equal(l.n, 60); /* the duplicate went */
  fleet_list_cleanup(&l);
  unsigned a, b;
  assert_int_equal(fleet_shard_parse("2/5", &a, &b, err, sizeof(err)), 0);
  assert_true(a == 2 && b == 5);
  assert_int_equal(fleet_shard_parse("5/5", &a, &b, err, sizeof(err)), -1);
  assert_int_equal(fleet_shard_parse("-1/5", &a, &b, err, sizeof(err)), -1);
  assert_int_equal(fleet_shard_parse("1/0", &a, &b, err, sizeof(err)), -1);
  assert_int_equal(fleet_shard_parse("1", &a, &b, err, sizeof(err)), -1);
}

static void limiter_hosts_and_cap(void **state)
{
  (void)state;
  char h[64];
  http_limiter_host("http://user:pw@API.Example:8080/x?y", h, sizeof(h));
  assert_string_equal(h, "api.example");
  http_limiter_host("https://[::1]:443/", h, sizeof(h));
  assert_string_equal(h, "::1");
  struct http_limiter *l = http_limiter_new(0, 2);
  double w;
  assert_int_equal(http_limiter_acquire(l, "http://a:1/", 0, &w), 1);
  assert_int_equal(http_limiter_acquire(l, "http://a:2/", 0, &w), 1);
  assert_int_equal(http_limiter_acquire(l, "http://a:3/", 0, &w), 0); /* same host */
  assert_true(w > 0);
  assert_int_equal(http_limiter_acquire(l, "http://b:1/", 0, &w), 1); /* another host */
  http_limiter_release(l, "http://a:1/");
  assert_int_equal(http_limiter_acquire(l, "http://a:3/", 0, &w), 1);
  http_limiter_free(l);
  /* One rate over every caller: 10/s gives one start per 0.1 s. */
  l = http_limiter_new(10, 0);
  assert_int_equal(http_limiter_acquire(l, "http://a/", 100.0, &w), 1);
  assert_int_equal(http_limiter_acquire(l, "http://b/", 100.0, &w), 0);
  assert_true(w > 0.09 && w <= 0.1);
  assert_int_equal(http_limiter_acquire(l, "http://b/", 100.1, &w), 1);
  http_limiter_free(l);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(list_lines_options_comments),
    cmocka_unit_test(list_errors_name_the_line),
    cmocka_unit_test(families),
    cmocka_unit_test(shards_partition_and_ignore_order),
    cmocka_unit_test(limiter_hosts_and_cap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
