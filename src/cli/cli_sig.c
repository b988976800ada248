/*
 * cli_sig.c - SIGINT and SIGTERM during a scan: they end it the way
 * --max-time does (what is in flight is cancelled, the report so far is
 * written with status partial and a note naming the signal).
 *
 * The one exception to "no mutable file-level statics" (docs/design.md):
 * a signal handler can reach nothing but a static volatile sig_atomic_t,
 * so the flag lives here. The engine is handed a pointer to it
 * (http_opts.stop) and reads it between polls; nothing else writes it.
 */
#include <signal.h>
#include <string.h>

#include "cli.h"

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
  stop_signal = sig;
  /* A second Ctrl-C ends warden at once, without a report. */
  signal(sig, SIG_DFL);
}

volatile sig_atomic_t *cli_stop_install(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: a wait in poll() ends at once */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  return &stop_signal;
}
