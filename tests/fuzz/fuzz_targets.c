/*
 * fuzz_targets.c - the targets list of `warden scan -l FILE` on any bytes
 * (src/fleet/fleet_targets.c), and the --shard argument.
 *
 * Input: the list itself. Invariants: parsing never crashes, and either
 * fails with a message naming the list and a line number ("list:N: ...")
 * or yields targets whose URLs parse and whose keys are normalised
 * (scheme://host:port/...); every target falls in exactly one of 3
 * shards, and selecting the shards one by one keeps each target once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/fleet/fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 65536)
    return 0;
  struct fleet_list l;
  fleet_list_init(&l);
  char err[600] = "";
  int family = size ? (data[0] % 3 == 1 ? 4 : data[0] % 3 == 2 ? 6 : 0) : 0;
  if(fleet_parse(&l, (const char *)data, size, "list", "dir", family, err, sizeof(err))) {
    if(strncmp(err, "list:", 5) != 0)
      abort(); /* an error always names the list and the line */
    fleet_list_cleanup(&l);
    return 0;
  }
  for(size_t i = 0; i < l.n; i++) {
    const struct fleet_target *t = &l.v[i];
    if(!t->url || !t->key || t->line < 1 ||
       (strncmp(t->key, "http://", 7) && strncmp(t->key, "https://", 8)))
      abort();
    int in = 0;
    for(unsigned s = 0; s < 3; s++)
      in += fleet_in_shard(t, s, 3);
    if(in != 1)
      abort();
  }
  /* Shards over a copy each: together they hold every distinct key once. */
  size_t total = 0;
  for(unsigned s = 0; s < 3; s++) {
    struct fleet_list c;
    fleet_list_init(&c);
    if(fleet_parse(&c, (const char *)data, size, "list", "dir", family, err, sizeof(err)))
      abort(); /* the same input parses the same way */
    fleet_select(&c, s, 3);
    total += c.n;
    fleet_list_cleanup(&c);
  }
  fleet_select(&l, 0, 1); /* duplicates only */
  if(total != l.n)
    abort();
  unsigned a, b;
  char sarg[64];
  size_t k = size < sizeof(sarg) - 1 ? size : sizeof(sarg) - 1;
  memcpy(sarg, data, k);
  sarg[k] = '\0';
  if(fleet_shard_parse(sarg, &a, &b, err, sizeof(err)) == 0 && (b == 0 || a >= b))
    abort();
  fleet_list_cleanup(&l);
  return 0;
}
