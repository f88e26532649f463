/*
 * Host kernel services: the waiting primitives of a host port
 *
 * futex.c implements these on Linux, futex_win32.c on Win32.  This header
 * uses nothing but the NT base types LONG, LONGLONG and BOOLEAN, which the
 * including file gets from ddk/wdm.h (through hostkrnl_private.h) or from
 * <windows.h>; include/ntrundown_types.h makes the two agree.
 */

#ifndef HOSTKRNL_PORT_H
#define HOSTKRNL_PORT_H

/* ---- host port: futex.c ------------------------------------------------- */

/* Times are in 100 ns units of a monotonic clock; a NULL deadline is none. */
LONGLONG hostkrnl_monotonic_time(void);
/* Sleeps while *addr == expected.  It may return early and for no reason;
 * it returns FALSE only when the deadline has passed. */
BOOLEAN hostkrnl_wait_on_address(volatile LONG *addr, LONG expected, const LONGLONG *deadline);
/* Wakes one or all sleepers on addr.  It does not access *addr, which may no
 * longer be allocated: a wake that reaches no sleeper, or one that reaches a
 * sleeper on reused memory, is harmless since sleepers recheck. */
void hostkrnl_wake_address(volatile LONG *addr, BOOLEAN all);
void hostkrnl_sleep_until(const LONGLONG *deadline);
void hostkrnl_yield(void);

#endif /* HOSTKRNL_PORT_H */
