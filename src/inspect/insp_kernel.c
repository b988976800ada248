/*
 * insp_kernel.c - the running kernel's version against container-escape
 * CVEs with known version ranges. A match is "possible", never proven:
 * distributions backport fixes without changing the upstream version.
 */
#include <stdio.h>
#include <string.h>

#include "insp_int.h"

#define KV(a, b, c) ((a) * 1000000L + (b) * 1000L + (c))

/* introduced <= v < fixed (mainline), unless v's stable branch has its
 * own fix and v is at or above it. */
static const struct {
  enum insp_rule rule;
  long introduced, fixed;
  long stable[8]; /* KV of each stable fix; 0 ends the list */
} kernel_cves[] = {
  {R_CVE_DIRTYPIPE, KV(5, 8, 0), KV(5, 17, 0),
   {KV(5, 16, 11), KV(5, 15, 25), KV(5, 10, 102), 0}},
  {R_CVE_DIRTYCOW, KV(2, 6, 22), KV(4, 9, 0),
   {KV(4, 8, 3), KV(4, 7, 9), KV(4, 4, 26), 0}},
  {R_CVE_RELEASE_AGENT, KV(2, 6, 24), KV(5, 17, 0),
   {KV(5, 16, 6), KV(5, 15, 20), KV(5, 10, 97), KV(5, 4, 177), KV(4, 19, 229),
    KV(4, 14, 266), KV(4, 9, 301), 0}},
  {R_CVE_FSCONFIG, KV(5, 1, 0), KV(5, 17, 0),
   {KV(5, 16, 2), KV(5, 15, 16), KV(5, 10, 93), KV(5, 4, 173), 0}},
  {R_CVE_NFTABLES, KV(3, 15, 0), KV(6, 8, 0),
   {KV(6, 7, 3), KV(6, 6, 15), KV(6, 1, 76), KV(5, 15, 149), KV(5, 10, 209), 0}},
};

int insp_kernel_vulnerable(enum insp_rule r, const int v[3])
{
  long kv = KV((long)v[0], (long)v[1], (long)v[2]);
  for(size_t i = 0; i < sizeof(kernel_cves) / sizeof(kernel_cves[0]); i++) {
    if(kernel_cves[i].rule != r)
      continue;
    if(kv < kernel_cves[i].introduced || kv >= kernel_cves[i].fixed)
      return 0;
    for(size_t s = 0; kernel_cves[i].stable[s]; s++) {
      long f = kernel_cves[i].stable[s];
      if(f / 1000 == kv / 1000 && kv >= f)
        return 0;
    }
    return 1;
  }
  return 0;
}

void insp_kernel(struct insp *in)
{
  struct buf b;
  buf_init(&b, 0);
  int v[3];
  if(insp_read_or_note(in, "/proc/sys/kernel/osrelease", &b, 256,
                       "the kernel version") ||
     insp_parse_kver(b.data, b.len, v)) {
    if(b.len)
      report_note(in->rep, "/proc/sys/kernel/osrelease: not a version: the kernel CVE checks were skipped");
    report_fact(in->rep, "kernel", "unknown");
    buf_cleanup(&b);
    return;
  }
  char rel[128];
  snprintf(rel, sizeof(rel), "%.*s", (int)strcspn(buf_str(&b), "\n"), buf_str(&b));
  report_fact(in->rep, "kernel", rel);
  for(size_t i = 0; i < sizeof(kernel_cves) / sizeof(kernel_cves[0]); i++) {
    if(!insp_kernel_vulnerable(kernel_cves[i].rule, v))
      continue;
    char ev[256];
    snprintf(ev, sizeof(ev), "kernel %s (%d.%d.%d) is in the vulnerable range; possible, not proven (vendor backports are not visible in the version)",
             rel, v[0], v[1], v[2]);
    insp_add(in, kernel_cves[i].rule, -1, NULL, ev, "/proc/sys/kernel/osrelease", NULL);
  }
  buf_cleanup(&b);
}
