/*
 * Host kernel services: internal interfaces
 *
 * Two kinds of files make up hostkrnl.  A host port implements the few
 * primitives declared in hostkrnl_port.h: futex.c, thread.c and processor.c
 * on Linux and POSIX, or futex_win32.c, thread_win32.c and processor_win32.c
 * on Win32 (MinGW-w64).  Everything else, the whole kernel API, is plain C11
 * built on those primitives and shared by both ports.
 */

#ifndef HOSTKRNL_PRIVATE_H
#define HOSTKRNL_PRIVATE_H

#include "ddk/wdm.h"

#ifndef STATUS_OBJECT_TYPE_MISMATCH
# define STATUS_OBJECT_TYPE_MISMATCH ((NTSTATUS)0xC0000024)
#endif

#include "hostkrnl_port.h"

/* ---- debug.c ------------------------------------------------------------ */

/* Reports a misuse of the kernel interface, the way a bug check would, and
 * aborts the process. */
void hostkrnl_bug(const char *format, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* ---- irql.c ------------------------------------------------------------- */

/* Calls hostkrnl_bug unless the thread runs at max_irql or below. */
void hostkrnl_check_irql(const char *function, KIRQL max_irql);

/* ---- lock.c ------------------------------------------------------------- */

/* A mutex on a LONG that starts out zero. */
void hostkrnl_lock(volatile LONG *lock);
void hostkrnl_unlock(volatile LONG *lock);

/* ---- event.c ------------------------------------------------------------ */

/* With poll, only checks the state; otherwise waits until deadline. */
NTSTATUS hostkrnl_wait_event(PRKEVENT event, BOOLEAN poll, const LONGLONG *deadline);

/* ---- object.c: thread objects ------------------------------------------- */

struct hostkrnl_thread
{
    LONG Type;                      /* HOSTKRNL_THREAD_OBJECT */
    volatile LONG RefCount;
    volatile LONG Finished;         /* futex word: 0 running, 1 finished */
    NTSTATUS ExitStatus;
    PKSTART_ROUTINE StartRoutine;
    PVOID StartContext;
    ULONG_PTR ThreadId;
    ULONG_PTR Host;                 /* the port's hold on the host thread, 0 until started */
};

/* A thread ID no thread has had yet. */
ULONG_PTR hostkrnl_new_thread_id(void);
/* A new thread object with two references: the handle's and the thread's. */
struct hostkrnl_thread *hostkrnl_alloc_thread(PKSTART_ROUTINE start, PVOID context);
void hostkrnl_reference_object(PVOID object);
/* Marks the thread finished, wakes its waiters and drops its reference. */
void hostkrnl_thread_finished(struct hostkrnl_thread *thread, NTSTATUS status);
NTSTATUS hostkrnl_wait_thread(struct hostkrnl_thread *thread, BOOLEAN poll, const LONGLONG *deadline);

/* ---- topology.c --------------------------------------------------------- */

/* Processors per group: processor number n of group g is system-wide
 * processor g * HOSTKRNL_GROUP_SIZE + n when the lower groups are full. */
#define HOSTKRNL_GROUP_SIZE 64

/* How many of count processors, which fill the groups in order, are in
 * group (all of them for ALL_PROCESSOR_GROUPS). */
ULONG hostkrnl_group_processors(ULONG count, USHORT group);

/* ---- handle.c ----------------------------------------------------------- */

/* Enters object in the handle table; the handle owns one reference. */
NTSTATUS hostkrnl_create_handle(PVOID object, PHANDLE handle);

#endif /* HOSTKRNL_PRIVATE_H */
