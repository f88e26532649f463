/*
 * Host kernel services: the primitives of a host port
 *
 * A host port implements the functions below, nothing more; the kernel API
 * (thread objects, system threads, processors, affinity) is portable C on
 * top of them.  The Linux/POSIX port is futex.c, thread.c and processor.c;
 * the Win32 user-mode port (MinGW-w64) is futex_win32.c, thread_win32.c and
 * processor_win32.c.
 *
 * <windows.h> and hostkrnl's ddk/wdm.h declare many of the same names
 * differently (NTSTATUS, LARGE_INTEGER, the Interlocked functions, the
 * STATUS_* codes), so no file includes both: the Win32 port files include
 * <windows.h> and nothing of wdm.h, everything else includes wdm.h (through
 * hostkrnl_private.h).  This header therefore uses nothing but the NT base
 * types LONG, ULONG, LONGLONG, USHORT, UCHAR, ULONG_PTR and BOOLEAN, which
 * the including file gets from ddk/wdm.h or from <windows.h>;
 * include/ntrundown_types.h makes the two agree (the <windows.h> side
 * includes it after <windows.h>, so that any difference is a compile error).
 */

#ifndef HOSTKRNL_PORT_H
#define HOSTKRNL_PORT_H

/* ---- waiting and the clock: futex.c, futex_win32.c ---------------------- */

/* Times are in 100 ns units of a monotonic clock; a NULL deadline is none. */
LONGLONG hostkrnl_monotonic_time(void);
/* A fine-grained monotonic clock for KeQueryPerformanceCounter, with its
 * frequency in ticks per second. */
LONGLONG hostkrnl_performance_counter(LONGLONG *frequency);
/* Sleeps while *addr == expected.  It may return early and for no reason;
 * it returns FALSE only when the deadline has passed. */
BOOLEAN hostkrnl_wait_on_address(volatile LONG *addr, LONG expected, const LONGLONG *deadline);
/* Wakes one or all sleepers on addr.  It does not access *addr, which may no
 * longer be allocated: a wake that reaches no sleeper, or one that reaches a
 * sleeper on reused memory, is harmless since sleepers recheck. */
void hostkrnl_wake_address(volatile LONG *addr, BOOLEAN all);
void hostkrnl_sleep_until(const LONGLONG *deadline);
void hostkrnl_yield(void);

/* ---- threads: thread.c, thread_win32.c ---------------------------------- */

/* Starts a thread that runs hostkrnl_thread_main(context); FALSE if the
 * thread could not be created.  *host receives what the two functions below
 * take; the thread object (object.c) keeps it. */
BOOLEAN hostkrnl_start_thread(void *context, ULONG_PTR *host);
/* TRUE once the thread has ended, its exit from the C runtime and the system
 * included; FALSE when the deadline passed first, at once with poll.  Only
 * called once hostkrnl_thread_main has signaled the thread object. */
BOOLEAN hostkrnl_wait_host_thread(ULONG_PTR host, BOOLEAN poll, const LONGLONG *deadline);
/* Releases host, from the last dereference of the thread object: the thread
 * may still run. */
void hostkrnl_close_host_thread(ULONG_PTR host);
/* Provided by system_thread.c: the body of every thread started above. */
void hostkrnl_thread_main(void *context);
/* Ends the calling thread, which hostkrnl_start_thread started. */
void hostkrnl_exit_thread(void) __attribute__((noreturn));
ULONG hostkrnl_process_id(void);
/* CPU time the process has used, in nanoseconds; -1 if unknown. */
LONGLONG hostkrnl_process_cpu_time(void);

/* ---- processors: processor.c, processor_win32.c ------------------------- */

/* The processor the thread runs on: its group and number, and its
 * system-wide index, which counts the active processors of the lower groups
 * first (with full groups of 64, group * 64 + number). */
ULONG hostkrnl_current_processor(USHORT *group, UCHAR *number);
/* Active processors of a group, or of all groups for 0xffff
 * (ALL_PROCESSOR_GROUPS). */
ULONG hostkrnl_active_processors(USHORT group);
/* Largest cache line size the host reports, 0 if it reports none. */
ULONG hostkrnl_cache_line_size(void);
/* Remembers the calling thread's affinity, to go back to later; FALSE if it
 * cannot be read. */
BOOLEAN hostkrnl_save_affinity(void);
/* Restricts the calling thread to the processors of group 0 in mask, if the
 * mask is valid: nonzero, only bits of existing processors, at least one of
 * them usable by the process.  FALSE, and no change, otherwise. */
BOOLEAN hostkrnl_set_affinity(ULONG_PTR mask);
/* Goes back to the affinity that hostkrnl_save_affinity remembered. */
void hostkrnl_restore_affinity(void);

#endif /* HOSTKRNL_PORT_H */
