/*
 * scan_objid.h - object ids, owners and links in a JSON answer: what the
 * object-level authorization check (chk_bola) reads from a target's
 * responses when no spec says where the objects are.
 *
 * Everything here reads an untrusted document (jansson's tree of a body)
 * with bounds: at most OBJID_MAX_NODES nodes and OBJID_MAX_DEPTH levels
 * are walked, ids are at most 128 bytes, links at most 512.
 * tests/unit/test_objid.c holds the cases; tests/fuzz/fuzz_objid.c runs
 * every function on any bytes.
 */
#ifndef WD_SCAN_OBJID_H
#define WD_SCAN_OBJID_H
#include <stddef.h>

#include <jansson.h>

#define OBJID_MAX_NODES 2000
#define OBJID_MAX_DEPTH 6
#define OBJID_MAX_LEN 128
#define OBJID_MAX_LINK 512

enum objid_shape {
  OBJID_NONE = 0,
  OBJID_NUMERIC, /* 1 to 20 digits (a 64-bit integer, a snowflake) */
  OBJID_UUID,    /* 8-4-4-4-12 hex digits, any case */
  OBJID_HASH,    /* 16 to 64 hex digits, or 16 to 64 of [A-Za-z0-9_-] with
                    both letters and digits (ObjectId, nanoid, hashids) */
  OBJID_OTHER,   /* any other id-safe string (objid_of with strict = 0) */
};

/* The shape of v[0..n). */
enum objid_shape objid_shape(const char *v, size_t n);

/* The id of object o: its "id" member (else "uuid", "_id", "guid"), an
 * integer or a string, written as text into out. strict: the id must
 * have a shape (numeric, UUID, hash-like); otherwise any string of at
 * most OBJID_MAX_LEN bytes without '/', '?', '#', '%', '&', quotes or
 * whitespace. Returns the shape, or OBJID_NONE (out is then ""). */
enum objid_shape objid_of(const json_t *o, int strict, char *out, size_t outlen);

/* The array of objects a list answer holds: the document when it is an
 * array, else its "items", "data", "results", "content" or "records"
 * member when that is one; NULL otherwise. */
const json_t *objid_list(const json_t *doc);

/* The owner of object o: its first owner-like member (owner_id, user_id,
 * owner, account_id, customer_id, username, email, ...) holding a string
 * or an integer. The member's name goes into key; returns the value as
 * compact JSON text (malloc'd), or NULL. */
char *objid_owner(const json_t *o, char *key, size_t keylen);

/* The path of a link: a string that names a path on origin
 * ("scheme://host:port", no slash at the end): "/x/y" (not "//x") or
 * origin + "/x/y". The fragment is dropped, the query kept. NULL for
 * anything else: other hosts, whitespace or control bytes, templates
 * ("{"), "..", longer than OBJID_MAX_LINK. Returns a malloc'd path. */
char *objid_link_path(const char *v, const char *origin);

/* 1 when following the path could change state or end the session even
 * with GET (logout, signout, delete, remove, revoke, unsubscribe, ...). */
int objid_link_risky(const char *path);

/* The distinct links in doc (objid_link_path, risky ones left out), in
 * the order met, walking at most OBJID_MAX_NODES nodes and
 * OBJID_MAX_DEPTH levels; at most max go to out (each malloc'd, the
 * caller frees them). Returns how many were stored. */
size_t objid_links(const json_t *doc, const char *origin, char **out, size_t max);

/* Where the object item of a list answered at list_path lives, id being
 * its id: the path of a link in the item (a string member) whose last
 * segment is the id, else list_path + "/" + id (list_path without its
 * query or trailing slash). *route gets the same path with the id's
 * segment replaced by "{id}" (malloc'd). Returns the object's path
 * (malloc'd). */
char *objid_object_path(const json_t *item, const char *id, const char *list_path,
                        const char *origin, char **route);

/* When path's last segment (query left out) is id: the route with that
 * segment replaced by "{id}" (malloc'd); else NULL. */
char *objid_route_of(const char *path, const char *id);

#endif
