/*
 * bench_tls.c - handshakes per second of warden's mTLS probes (net_tls.c):
 * one TCP connection, one handshake, one GET and the capped read per
 * probe, as chk_tls runs them. Built and run by bench/auth/run.sh.
 *
 *   bench_tls HOST PORT N none|forged|CERT KEY   [PATH]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/net/net_tls.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  if(argc < 5) {
    fprintf(stderr, "usage: bench_tls HOST PORT N none|forged|CERT KEY [PATH]\n");
    return 2;
  }
  int n = atoi(argv[3]);
  struct tls_identity id;
  memset(&id, 0, sizeof(id));
  char err[256];
  const char *mode = argv[4];
  int argi = 5;
  if(strcmp(mode, "forged") == 0) {
    /* Forging is part of a probe's cost: time it on its own too. */
    double t0 = now();
    for(int i = 0; i < 100; i++) {
      tls_identity_forge(&id, TLS_FORGE_SELF_SIGNED, NULL);
      tls_identity_cleanup(&id);
    }
    printf("forge: %.0f certificates/s\n", 100 / (now() - t0));
    tls_identity_forge(&id, TLS_FORGE_SELF_SIGNED, NULL);
  } else if(strcmp(mode, "none")) {
    if(argc < 6 || tls_identity_load(&id, argv[4], argv[5], err, sizeof(err))) {
      fprintf(stderr, "bench_tls: %s\n", argc < 6 ? "CERT needs KEY" : err);
      return 2;
    }
    mode = "cert";
    argi = 6;
  }
  struct tls_probe_opts o;
  memset(&o, 0, sizeof(o));
  o.host = argv[1];
  o.port = atoi(argv[2]);
  o.timeout_ms = 3000;
  o.path = argc > argi ? argv[argi] : "/";
  o.id = id.cert ? &id : NULL;
  int ok = 0, data = 0;
  char ver[16] = "";
  double t0 = now();
  for(int i = 0; i < n; i++) {
    struct tls_result r;
    if(tls_probe(&o, &r, err, sizeof(err)) == 0 && r.handshake) {
      ok++;
      if(r.status >= 200 && r.status < 300)
        data++;
      snprintf(ver, sizeof(ver), "%s", r.version);
    }
    tls_result_cleanup(&r);
  }
  double dt = now() - t0;
  printf("probes=%d handshakes=%d 2xx=%d %s seconds=%.3f rate=%.0f/s (%s client certificate)\n",
         n, ok, data, ver, dt, n / dt, mode);
  tls_identity_cleanup(&id);
  return ok == n ? 0 : 1;
}
