/* fuzz_environ.c - the environment reader of inspect (/proc/self/environ,
 * or a captured tree's, which may use newlines): insp_env judges every
 * NAME=value entry (cloud credentials, secret-looking names, masked) and
 * insp_getenv looks names up. Any bytes. Invariants: a value found lies
 * inside the buffer, and no finding's evidence holds a secret value in
 * full after its "NAME=" (at most four leading characters survive). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_str.h"
#include "../../src/inspect/insp_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 1 << 20) /* the reader's limit */
    size = 1 << 20;
  struct insp in;
  memset(&in, 0, sizeof(in));
  struct wd_findings f;
  findings_init(&f);
  struct report rep;
  report_init(&rep, "inspect", "fuzz", &f);
  in.out = &f;
  in.rep = &rep;
  in.root = "";
  buf_init(&in.env, 0);
  buf_append(&in.env, (const char *)data, size);
  for(size_t i = 0; i < in.env.len; i++) /* as insp_run does */
    if(in.env.data[i] == '\n')
      in.env.data[i] = '\0';
  in.env_ok = 1;
  insp_env(&in);
  static const char *const names[] = {"PATH", "KUBERNETES_SERVICE_HOST", "AWS_SECRET_ACCESS_KEY",
                                      "A", "", NULL};
  for(size_t i = 0; names[i]; i++) {
    const char *v = insp_getenv(&in, names[i]);
    if(v && (v < in.env.data || v > in.env.data + in.env.len))
      __builtin_trap();
  }
  /* Every secret finding names a variable: its value, if 9 characters or
   * longer, must not be in the evidence whole. */
  for(size_t i = 0; i < f.n; i++) {
    const char *ev = f.v[i].evidence;
    const char *eq = ev ? strchr(ev, '=') : NULL;
    if(!eq || strstr(ev, "(key file path)"))
      continue;
    size_t nl = (size_t)(eq - ev);
    char name[128];
    if(nl >= sizeof(name))
      continue;
    memcpy(name, ev, nl);
    name[nl] = '\0';
    const char *v = insp_getenv(&in, name);
    if(v && strlen(v) >= 9 && strstr(eq + 1, v)) /* the value part only */
      __builtin_trap();
  }
  buf_cleanup(&in.env);
  report_cleanup(&rep);
  findings_cleanup(&f);
  return 0;
}
