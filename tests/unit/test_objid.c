/*
 * test_objid.c - object ids, owners and links in JSON answers
 * (src/scan/scan_objid.c): what BOLA without a spec reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "../../src/scan/scan_objid.h"

#define ORIGIN "http://127.0.0.1:8080"

static json_t *js(const char *text)
{
  json_t *j = json_loads(text, 0, NULL);
  assert_non_null(j);
  return j;
}

static void shapes(void **state)
{
  (void)state;
  assert_int_equal(objid_shape("1001", 4), OBJID_NUMERIC);
  assert_int_equal(objid_shape("0", 1), OBJID_NUMERIC);
  assert_int_equal(objid_shape("4f6b2c1e-9a7d-4c3b-8e2f-0a1b2c3d4e5f", 36), OBJID_UUID);
  assert_int_equal(objid_shape("4F6B2C1E-9A7D-4C3B-8E2F-0A1B2C3D4E5F", 36), OBJID_UUID);
  /* A MongoDB ObjectId (24 hex), a SHA-1 (40 hex), a nanoid (21). */
  assert_int_equal(objid_shape("507f1f77bcf86cd799439011", 24), OBJID_HASH);
  assert_int_equal(objid_shape("da39a3ee5e6b4b0d3255bfef95601890afd80709", 40), OBJID_HASH);
  assert_int_equal(objid_shape("V1StGXR8_Z5jdHi6B-myT", 21), OBJID_HASH);
  /* Not ids: words, short tokens, slugs without digits, too long. */
  assert_int_equal(objid_shape("lamp", 4), OBJID_NONE);
  assert_int_equal(objid_shape("abc12", 5), OBJID_NONE);
  assert_int_equal(objid_shape("this-is-a-long-slug", 19), OBJID_NONE);
  assert_int_equal(objid_shape("1234567890123456789", 19), OBJID_NUMERIC); /* a snowflake */
  assert_int_equal(objid_shape("12345.6789", 10), OBJID_NONE);
  /* Not a UUID (a "g"), but still an id-like token: hash-like. */
  assert_int_equal(objid_shape("4f6b2c1e-9a7d-4c3b-8e2f-0a1b2c3d4e5g", 36), OBJID_HASH);
  assert_int_equal(objid_shape("", 0), OBJID_NONE);
}

static void ids_of_objects(void **state)
{
  (void)state;
  char id[OBJID_MAX_LEN + 1];
  json_t *o = js("{\"id\": 1001, \"owner_id\": 1}");
  assert_int_equal(objid_of(o, 1, id, sizeof(id)), OBJID_NUMERIC);
  assert_string_equal(id, "1001");
  json_decref(o);
  o = js("{\"_id\": \"507f1f77bcf86cd799439011\"}");
  assert_int_equal(objid_of(o, 1, id, sizeof(id)), OBJID_HASH);
  assert_string_equal(id, "507f1f77bcf86cd799439011");
  json_decref(o);
  /* A name is no id without a spec; with one, any id-safe string is. */
  o = js("{\"id\": \"lamp\"}");
  assert_int_equal(objid_of(o, 1, id, sizeof(id)), OBJID_NONE);
  assert_string_equal(id, "");
  assert_int_equal(objid_of(o, 0, id, sizeof(id)), OBJID_OTHER);
  assert_string_equal(id, "lamp");
  json_decref(o);
  /* Never a path, a query, a dot segment or a negative number. */
  o = js("{\"id\": \"../etc\"}");
  assert_int_equal(objid_of(o, 0, id, sizeof(id)), OBJID_NONE);
  json_decref(o);
  o = js("{\"id\": \"..\"}");
  assert_int_equal(objid_of(o, 0, id, sizeof(id)), OBJID_NONE);
  json_decref(o);
  o = js("{\"id\": \"a?b=1\"}");
  assert_int_equal(objid_of(o, 0, id, sizeof(id)), OBJID_NONE);
  json_decref(o);
  o = js("{\"id\": -4}");
  assert_int_equal(objid_of(o, 0, id, sizeof(id)), OBJID_NONE);
  json_decref(o);
  o = js("{\"id\": true}");
  assert_int_equal(objid_of(o, 0, id, sizeof(id)), OBJID_NONE);
  json_decref(o);
  o = js("[1, 2]");
  assert_int_equal(objid_of(o, 0, id, sizeof(id)), OBJID_NONE);
  json_decref(o);
  /* Too small a buffer: no id rather than a cut one. */
  o = js("{\"id\": 123456}");
  assert_int_equal(objid_of(o, 1, id, 4), OBJID_NONE);
  json_decref(o);
}

static void lists_and_owners(void **state)
{
  (void)state;
  json_t *d = js("{\"total\": 2, \"items\": [{\"id\": 1}, {\"id\": 2}]}");
  const json_t *l = objid_list(d);
  assert_non_null(l);
  assert_int_equal(json_array_size(l), 2);
  json_decref(d);
  d = js("[{\"id\": 1}]");
  assert_ptr_equal(objid_list(d), d);
  json_decref(d);
  d = js("{\"id\": 1, \"tags\": [\"a\"]}");
  assert_null(objid_list(d));
  json_decref(d);

  char key[32];
  d = js("{\"id\": 1, \"item\": \"lamp\", \"owner_id\": 7, \"email\": \"a@b.example\"}");
  char *v = objid_owner(d, key, sizeof(key));
  assert_string_equal(key, "owner_id");
  assert_string_equal(v, "7");
  free(v);
  json_decref(d);
  d = js("{\"id\": 1, \"email\": \"a@b.example\"}");
  v = objid_owner(d, key, sizeof(key));
  assert_string_equal(key, "email");
  assert_string_equal(v, "\"a@b.example\"");
  free(v);
  json_decref(d);
  d = js("{\"id\": 1, \"owner\": null, \"name\": \"x\"}");
  assert_null(objid_owner(d, key, sizeof(key)));
  assert_string_equal(key, "");
  json_decref(d);
}

static void link_paths(void **state)
{
  (void)state;
  char *p = objid_link_path("/api/v1/orders", ORIGIN);
  assert_string_equal(p, "/api/v1/orders");
  free(p);
  p = objid_link_path(ORIGIN "/api/v1/orders?page=2#top", ORIGIN);
  assert_string_equal(p, "/api/v1/orders?page=2");
  free(p);
  /* Other hosts, protocol-relative, templates, traversal, spaces, text. */
  assert_null(objid_link_path("http://127.0.0.2:8080/api", ORIGIN));
  assert_null(objid_link_path("http://127.0.0.1:80801/api", ORIGIN));
  assert_null(objid_link_path("//evil.example/api", ORIGIN));
  assert_null(objid_link_path("/repos/{owner}/{repo}", ORIGIN));
  assert_null(objid_link_path("/api/../admin", ORIGIN));
  assert_null(objid_link_path("/api/..", ORIGIN));
  assert_null(objid_link_path("/a b", ORIGIN));
  assert_null(objid_link_path("lamp", ORIGIN));
  assert_null(objid_link_path("", ORIGIN));
  p = objid_link_path("/api/v1..2/x", ORIGIN); /* ".." inside a segment is a name */
  assert_string_equal(p, "/api/v1..2/x");
  free(p);
  assert_true(objid_link_risky("/api/v1/session/logout"));
  assert_true(objid_link_risky("/Account/SignOut"));
  assert_true(objid_link_risky("/api/keys/3/revoke"));
  assert_false(objid_link_risky("/api/v1/orders"));
}

static void links_in_documents(void **state)
{
  (void)state;
  json_t *d = js("{\"links\": {\"orders\": \"/api/v1/orders\", \"me\": \"" ORIGIN "/api/v1/me\","
                 " \"again\": \"/api/v1/orders\", \"logout\": \"/api/v1/logout\","
                 " \"docs\": \"https://docs.example/x\"}, \"name\": \"shop\","
                 " \"deep\": [[[[[[[[\"/too/deep\"]]]]]]]]}");
  char *out[8];
  size_t n = objid_links(d, ORIGIN, out, 8);
  assert_int_equal(n, 2);
  assert_string_equal(out[0], "/api/v1/orders");
  assert_string_equal(out[1], "/api/v1/me");
  for(size_t i = 0; i < n; i++)
    free(out[i]);
  /* At most max. */
  n = objid_links(d, ORIGIN, out, 1);
  assert_int_equal(n, 1);
  free(out[0]);
  json_decref(d);
}

static void object_routes(void **state)
{
  (void)state;
  char *route;
  /* The example: a list at /api/orders with id 7. */
  json_t *item = js("{\"id\": 7, \"item\": \"lamp\"}");
  char *p = objid_object_path(item, "7", "/api/orders?page=1", ORIGIN, &route);
  assert_string_equal(p, "/api/orders/7");
  assert_string_equal(route, "/api/orders/{id}");
  free(p);
  free(route);
  p = objid_object_path(item, "7", "/api/orders/", ORIGIN, &route);
  assert_string_equal(p, "/api/orders/7");
  free(p);
  free(route);
  json_decref(item);
  /* The item's own link, elsewhere than under the list. */
  item = js("{\"id\": \"507f1f77bcf86cd799439011\", \"href\": \"" ORIGIN
            "/api/v2/orders/507f1f77bcf86cd799439011?expand=1\"}");
  p = objid_object_path(item, "507f1f77bcf86cd799439011", "/api/v1/mine", ORIGIN, &route);
  assert_string_equal(p, "/api/v2/orders/507f1f77bcf86cd799439011");
  assert_string_equal(route, "/api/v2/orders/{id}");
  free(p);
  free(route);
  json_decref(item);
  /* A link that does not end in the id is not the object's. */
  item = js("{\"id\": 7, \"owner\": \"/api/users/7/profile\"}");
  p = objid_object_path(item, "7", "/api/orders", ORIGIN, &route);
  assert_string_equal(p, "/api/orders/7");
  free(p);
  free(route);
  json_decref(item);

  char *r = objid_route_of("/api/v1/orders/1001?x=1", "1001");
  assert_string_equal(r, "/api/v1/orders/{id}");
  free(r);
  assert_null(objid_route_of("/api/v1/me", "1"));
  assert_null(objid_route_of("/api/v1/orders/10011", "1001"));
  assert_null(objid_route_of("/api/v1/orders/1001", ""));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(shapes),          cmocka_unit_test(ids_of_objects),
    cmocka_unit_test(lists_and_owners), cmocka_unit_test(link_paths),
    cmocka_unit_test(links_in_documents), cmocka_unit_test(object_routes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
