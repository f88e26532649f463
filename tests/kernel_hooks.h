/*
 * What the conformance suite can arrange in the kernel it runs on
 *
 * Where the kernel services are emulated (dlls/hostkrnl) a test can make
 * allocations fail, move pool blocks off their cache line, simulate other
 * processor counts and other thread IDs, look at pool blocks,
 * and act at an exact point inside a routine (before one of its interlocked
 * operations), as another processor would.  A real kernel offers none of it:
 * hooks_available() says FALSE there, and the tests that need a hook
 * report a skip.  kernel_hooks_hostkrnl.c implements this over hostkrnl,
 * driver/kernel_hooks_none.c for the drivers.
 */

#ifndef NTRUNDOWN_TESTS_KERNEL_HOOKS_H
#define NTRUNDOWN_TESTS_KERNEL_HOOKS_H

#include <ddk/wdm.h>

BOOLEAN hooks_available(void);

/* The next `succeed` allocations succeed, then `fail` allocations fail. */
void hooks_pool_fail(ULONG succeed, ULONG fail);
/* Pool blocks allocated and not freed. */
LONG hooks_pool_outstanding(void);
/* Small blocks start at `offset` modulo 64 (0: line-aligned). */
void hooks_pool_line_offset(ULONG offset);
ULONG hooks_pool_tag(PVOID block);
/* Bytes and pool type asked for when the block was allocated. */
SIZE_T hooks_pool_size(PVOID block);
POOL_TYPE hooks_pool_type(PVOID block);

/* Active processors (0: the real count). */
void hooks_processor_count(ULONG count);

/* The ID PsGetCurrentThreadId gives the calling thread (0: its real one). */
void hooks_current_thread_id(ULONG_PTR id);

/* CPU time the process has used, in nanoseconds; -1 where unknown. */
LONGLONG hooks_process_cpu_time(void);

/* TRUE while anything of the thread (a referenced thread object) still runs,
 * its exit from the C runtime and the host system included. */
BOOLEAN hooks_thread_running(PVOID thread);

/* How many times the calling thread has called KeSetEvent (0 without hooks). */
LONG hooks_event_sets(void);

/* Calls hook(address, context) before each interlocked operation and
 * acquire load the routines under test make, from the thread making it
 * (not again from inside the hook); NULL removes it. */
typedef VOID (*INTERLOCKED_HOOK)(const volatile void *address, PVOID context);
void hooks_interlocked(INTERLOCKED_HOOK hook, PVOID context);

#endif /* NTRUNDOWN_TESTS_KERNEL_HOOKS_H */
