#include <string.h>

#include "check.h"

#define CHECK(name) extern const struct wd_check check_##name;
#include "checks.def"
#undef CHECK

const struct wd_check *const check_registry[] = {
#define CHECK(name) &check_##name,
#include "checks.def"
#undef CHECK
  NULL,
};

const struct wd_rule *check_find_rule(const char *id)
{
  for(size_t i = 0; check_registry[i]; i++) {
    const struct wd_check *c = check_registry[i];
    for(size_t j = 0; j < c->nrules; j++)
      if(strcmp(c->rules[j].id, id) == 0)
        return &c->rules[j];
  }
  return NULL;
}

size_t check_count(void)
{
  return ARRAY_LEN(check_registry) - 1;
}
