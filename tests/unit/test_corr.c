/*
 * test_corr.c - every rule id correlation names (src/correlate/corr.c)
 * exists: each name matches, by the rule correlation itself uses, at least
 * one rule its side registers (scan checks, iac, inspect). A renamed rule
 * would otherwise make a chain silently impossible.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../../src/checks/check.h"
#include "../../src/correlate/corr.h"
#include "../../src/iac/iac.h"
#include "../../src/inspect/inspect.h"
#include "../../src/sig/sig.h"

/* The scan side: the check modules' rules and the exposure catalogue
 * compiled in (signatures/NAME.yaml), as `warden checks` lists them. */
static size_t side_matches(const struct sig_catalog *sc, const char *side, const char *name)
{
  size_t n = 0;
  if(strcmp(side, "scan") == 0) {
    for(size_t i = 0; check_registry[i]; i++)
      for(size_t j = 0; j < check_registry[i]->nrules; j++)
        n += (size_t)corr_name_matches(name, check_registry[i]->rules[j].id);
    for(size_t i = 0; i < sc->nrules; i++)
      n += (size_t)corr_name_matches(name, sc->rules[i]->id);
  } else if(strcmp(side, "iac") == 0) {
    for(size_t i = 0; i < iac_nrules; i++)
      n += (size_t)corr_name_matches(name, iac_rules[i].id);
  } else if(strcmp(side, "inspect") == 0) {
    for(size_t i = 0; i < inspect_nrules; i++)
      n += (size_t)corr_name_matches(name, inspect_rules[i].id);
  } else {
    fail_msg("correlation names an unknown side %s", side);
  }
  return n;
}

static int load(void **state)
{
  static struct sig_catalog sc;
  char err[512];
  sig_catalog_init(&sc);
  if(sig_load_builtin(&sc, err, sizeof(err))) {
    fprintf(stderr, "built-in signatures: %s\n", err);
    return -1;
  }
  *state = &sc;
  return 0;
}

static int unload(void **state)
{
  sig_catalog_free(*state);
  return 0;
}

static void named_ids_exist(void **state)
{
  const struct sig_catalog *sc = *state;
  assert_true(sc->nrules > 0);
  size_t lists = 0, names = 0;
  for(const struct corr_names *l = corr_named; l->side; l++, lists++)
    for(size_t i = 0; l->names[i]; i++, names++)
      if(side_matches(sc, l->side, l->names[i]) == 0)
        fail_msg("correlation names %s rule %s: no such rule (warden checks)", l->side,
                 l->names[i]);
  assert_int_equal(lists, 8); /* the four chains read eight lists */
  assert_true(names >= 20);
}

static void matcher(void **state)
{
  const struct sig_catalog *sc = *state;
  /* The check above is only as good as the matcher: it must refuse. */
  assert_true(corr_name_matches("container.", "container.host-file"));
  assert_true(corr_name_matches("inspect.docker-socket", "inspect.docker-socket-live"));
  assert_true(corr_name_matches("iac.privileged", "iac.privileged"));
  assert_false(corr_name_matches("iac.socket-mount", "iac.docker-socket-mount")); /* lint: not a rule id */
  assert_false(corr_name_matches("inspect.host-pid", "inspect.host-pidx")); /* lint: not a rule id */
  assert_false(corr_name_matches("auth.no-auth", "auth.no")); /* lint: not a rule id */
  assert_false(corr_name_matches("", "auth.no-auth"));
  assert_int_equal(side_matches(sc, "iac", "iac.host-socket"), 0); /* lint: not a rule id */
  assert_int_equal(side_matches(sc, "scan", "container.command-output"), 1);
  assert_int_equal(side_matches(sc, "scan", "endpoint.docker-api"), 1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(named_ids_exist),
    cmocka_unit_test(matcher),
  };
  return cmocka_run_group_tests(tests, load, unload);
}
