/*
 * Host kernel services: the Win32 user-mode port
 *
 * <windows.h> and hostkrnl's ddk/wdm.h declare many of the same names
 * differently (NTSTATUS, LARGE_INTEGER, the Interlocked functions, the
 * STATUS_* codes), so no file includes both.  The port is split in two:
 *
 * - futex_win32.c and win32_api.c include <windows.h> and nothing of wdm.h;
 *   they implement hostkrnl_port.h and the functions below.
 * - thread_win32.c and processor_win32.c include hostkrnl_private.h (wdm.h)
 *   and implement the kernel API on top of the functions below.
 *
 * This header uses only NT base types (USHORT, UCHAR, ULONG, ULONG_PTR,
 * BOOLEAN), which include/ntrundown_types.h defines exactly as the Windows
 * headers do; the <windows.h> side includes ntrundown_types.h after
 * <windows.h>, so that any difference is a compile error.
 */

#ifndef HOSTKRNL_WIN32_H
#define HOSTKRNL_WIN32_H

/* ---- threads (win32_api.c) ---------------------------------------------- */

/* Starts a detached thread that runs hostkrnl_win32_thread_main(context);
 * FALSE if the thread could not be created. */
BOOLEAN hostkrnl_win32_start_thread(void *context);
/* Provided by thread_win32.c: the body of every thread started above. */
void hostkrnl_win32_thread_main(void *context);
/* Ends the calling thread, which hostkrnl_win32_start_thread started. */
void hostkrnl_win32_exit_thread(void) __attribute__((noreturn));
ULONG hostkrnl_win32_process_id(void);

/* ---- processors (win32_api.c) ------------------------------------------- */

/* The processor the thread runs on: its group and number, and its
 * system-wide index, which counts the active processors of the lower groups
 * first (with full groups of 64, group * 64 + number). */
ULONG hostkrnl_win32_current_processor(USHORT *group, UCHAR *number);
/* Active processors of a group, or of all groups for 0xffff. */
ULONG hostkrnl_win32_active_processors(USHORT group);
/* Largest cache line size that GetLogicalProcessorInformationEx reports,
 * 0 if it reports none. */
ULONG hostkrnl_win32_cache_line_size(void);
/* Remembers the calling thread's affinity, to go back to later; FALSE if it
 * cannot be read. */
BOOLEAN hostkrnl_win32_save_affinity(void);
/* Restricts the calling thread to the processors of group 0 in mask, if the
 * mask is valid: nonzero, only bits of active processors, at least one of
 * them in the process' affinity.  FALSE, and no change, otherwise. */
BOOLEAN hostkrnl_win32_set_affinity(ULONG_PTR mask);
/* Goes back to the affinity that hostkrnl_win32_save_affinity remembered. */
void hostkrnl_win32_restore_affinity(void);

#endif /* HOSTKRNL_WIN32_H */
