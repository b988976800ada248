#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_buf.h"
#include "../../src/core/core_str.h"

static void buf_caps_at_limit(void **state)
{
  (void)state;
  struct buf b;
  buf_init(&b, 8);
  assert_int_equal(buf_append(&b, "hello", 5), 0);
  assert_int_equal(buf_append(&b, "world", 5), -1);
  assert_int_equal(b.len, 8);
  assert_true(b.truncated);
  assert_string_equal(buf_str(&b), "hellowor");
  buf_cleanup(&b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(buf_caps_at_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
