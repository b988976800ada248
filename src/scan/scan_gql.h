/*
 * scan_gql.h - what the GraphQL check reads of an introspection answer:
 * a query field and a field of its type that returns the same type again
 * (users -> friends -> friends ...), from which a deep query is built.
 */
#ifndef WD_SCAN_GQL_H
#define WD_SCAN_GQL_H
#include <jansson.h>
#include <stddef.h>

/* The introspection query gql_self_loop reads (18 fields, 8 levels
 * deep, so modest size and depth budgets of a server still allow it). */
#define GQL_SCHEMA_QUERY \
  "{__schema{queryType{name}types{name fields{name args{type{kind}}" \
  "type{name ofType{name ofType{name ofType{name}}}}}}}}"

/* Finds, in data (the answer's "data" object to GQL_SCHEMA_QUERY), a
 * field of the query type without required arguments whose (list of)
 * object type T has a field without required arguments returning T (or a
 * list of T). Copies their names into root and loop. Returns 1 when
 * found, 0 otherwise (also for anything malformed). Bounded: at most
 * 2,000 types and 200 fields per type are looked at. */
int gql_self_loop(const json_t *data, char *root, size_t rootlen, char *loop, size_t looplen);

#endif
