/*
 * insp_run.c - one inspection: read what the process can see, in a fixed
 * order, and let each family of checks judge it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../core/core_alloc.h"
#include "../core/core_time.h"
#include "insp_int.h"

/* Loads a .capture list of a captured tree; absent is not an error. */
static int run_capture(struct insp *in, const char *name, struct buf *b)
{
  char path[64];
  snprintf(path, sizeof(path), "/.capture/%s", name);
  return insp_read(in, path, b, 1024 * 1024) == 0;
}

static void run_gather(struct insp *in)
{
  struct buf b;
  buf_init(&b, 0);
  if(in->root[0]) {
    in->have_writable = run_capture(in, "writable", &in->cap_writable);
    in->have_sockets = run_capture(in, "sockets", &in->cap_sockets);
    in->have_dev = run_capture(in, "dev", &in->cap_dev);
  }
  /* The environment: NUL-separated; a captured tree may use newlines. */
  if(insp_read_or_note(in, "/proc/self/environ", &in->env, 1024 * 1024,
                       "the environment (credentials, Kubernetes)") == 0) {
    in->env_ok = 1;
    for(size_t i = 0; i < in->env.len; i++)
      if(in->env.data[i] == '\n')
        in->env.data[i] = '\0';
  }
  if(insp_read_or_note(in, "/proc/self/status", &b, 256 * 1024,
                       "capabilities, seccomp, NoNewPrivs and the user") == 0) {
    in->st_ok = 1;
    insp_parse_status(b.data, b.len, &in->st);
  }
  insp_ns_read(in);
  if(insp_read_or_note(in, "/proc/self/mountinfo", &b, 8 * 1024 * 1024,
                       "mounts (host directories, sockets, cgroups)") == 0) {
    insp_parse_mountinfo(b.data, b.len, &in->mounts);
    in->mounts_ok = in->mounts.n > 0;
    if(in->mounts.bad) {
      report_note(in->rep, "/proc/self/mountinfo: %zu malformed line(s) skipped", in->mounts.bad);
      in->unknowns++;
    }
  }
  if(insp_read_or_note(in, "/proc/self/cgroup", &b, 256 * 1024, "the cgroup paths") == 0) {
    insp_parse_cgroup(b.data, b.len, &in->cgroups);
    in->cgroups_ok = in->cgroups.n > 0;
  }
  buf_cleanup(&b);
}

int inspect_run_opts(const struct inspect_opts *o, struct wd_findings *out,
                     struct report *rep)
{
  double t0 = mono_now();
  struct insp in;
  memset(&in, 0, sizeof(in));
  in.o = o;
  in.root = o->root ? o->root : "";
  in.out = out;
  in.rep = rep;
  buf_init(&in.env, 0);
  buf_init(&in.cap_writable, 0);
  buf_init(&in.cap_sockets, 0);
  buf_init(&in.cap_dev, 0);
  rep->requests = 0;
  int rc = 0;
  if(in.root[0]) {
    struct stat sb;
    int e = stat(in.root, &sb) ? errno : S_ISDIR(sb.st_mode) ? 0 : ENOTDIR;
    if(e) {
      report_note(rep, "%s: cannot inspect it (%s)", in.root, strerror(e));
      rep->status = REP_FAILED;
      rc = -1;
      goto done;
    }
    report_fact(rep, "source", "captured tree");
  } else {
    report_fact(rep, "source", "live");
  }
  run_gather(&in);
  /* Before anything is reported: the environment's secrets (a password
   * also passed on a command line or a mount option) are hidden in every
   * finding, note and fact, not only in the env findings. */
  mask_init(&in.mask);
  if(in.env_ok)
    mask_learn(&in.mask, in.env.data, in.env.len);
  const struct wd_mask *out_mask = out->mask, *rep_mask = rep->mask;
  out->mask = &in.mask;
  rep->mask = &in.mask;
  insp_where(&in);
  insp_creds(&in);
  insp_lsm(&in);
  insp_mounts(&in);
  insp_devices(&in);
  insp_knobs(&in);
  insp_sockets(&in);
  insp_namespaces(&in);
  insp_privileged(&in);
  insp_k8s(&in);
  insp_env(&in);
  insp_kernel(&in);
  findings_remask(out, &in.mask);
  report_remask(rep);
  out->mask = out_mask;
  rep->mask = rep_mask;
  mask_cleanup(&in.mask);
  for(size_t i = 0; i < in.nsocks; i++)
    if(in.socks[i].answered != INSP_UNKNOWN && !in.root[0])
      rep->requests++;
  if(!in.st_ok && !in.mounts_ok) {
    rep->status = REP_FAILED;
    rc = -1;
  } else {
    rep->status = in.unknowns ? REP_PARTIAL : REP_COMPLETE;
    /* Every inspect rule is a container-escape rule, judged on what was
     * read: the one category this side tests. */
    report_tested_cat(rep, WD_CAT_CONTAINER);
  }
done:
  insp_mounts_cleanup(&in.mounts);
  insp_cgroups_cleanup(&in.cgroups);
  buf_cleanup(&in.env);
  buf_cleanup(&in.cap_writable);
  buf_cleanup(&in.cap_sockets);
  buf_cleanup(&in.cap_dev);
  rep->seconds = mono_now() - t0;
  return rc;
}

int inspect_run(const char *root, struct wd_findings *out, struct report *rep)
{
  struct inspect_opts o = {root, root == NULL, 0};
  return inspect_run_opts(&o, out, rep);
}
