/*
 * core_time.h - the one clock warden measures durations and deadlines
 * with: CLOCK_MONOTONIC, in seconds. (Wall-clock time, for token expiry
 * and report dates, is time(2).)
 */
#ifndef WD_CORE_TIME_H
#define WD_CORE_TIME_H

/* Seconds on the monotonic clock, from an arbitrary origin. */
double mono_now(void);

#endif
