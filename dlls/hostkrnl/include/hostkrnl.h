/*
 * Host kernel services: the emulation's own switches, for tests
 *
 * None of this is Windows API.  A test that runs over the emulation uses it
 * to arrange what a real kernel cannot be made to do on demand: failing
 * allocations, misaligned pool blocks, other processor counts, other thread
 * IDs, and an action at an exact point of a routine under test.  The conformance
 * suite reaches it through tests/kernel_hooks.h only.
 */

#ifndef NTRUNDOWN_HOSTKRNL_H
#define NTRUNDOWN_HOSTKRNL_H

#include <ddk/wdm.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The next `skip` allocations succeed, then `fail` allocations return NULL. */
VOID HostKrnlPoolFailAllocations(ULONG skip, ULONG fail);
/* Number of pool blocks currently allocated. */
LONG HostKrnlPoolOutstanding(VOID);
/* Blocks smaller than a page are returned at an address that is congruent to
 * `offset` modulo 64 (default 16: the pool aligns blocks to 16 bytes, no
 * more, so that code must not count on a cache line); blocks of a page or
 * more are page-aligned. */
VOID HostKrnlPoolSetLineOffset(ULONG offset);
/* Tag and size (as asked for) of the block at P, which must be a live pool
 * block. */
ULONG HostKrnlPoolTag(PVOID P);
SIZE_T HostKrnlPoolSize(PVOID P);
POOL_TYPE HostKrnlPoolType(PVOID P);

/* Simulated active processor count; 0 restores the real one. */
VOID HostKrnlSetActiveProcessorCount(ULONG count);
/* Simulated thread ID of the calling thread, for PsGetCurrentThreadId; NULL
 * restores the real one. */
VOID HostKrnlSetCurrentThreadId(HANDLE id);

/* CPU time the process has used, in nanoseconds; -1 if unknown. */
LONGLONG HostKrnlProcessCpuTime(VOID);

/* TRUE until the host thread of a thread object (from ObReferenceObjectByHandle)
 * has ended, its exit from the C runtime and the system included; a detached
 * POSIX thread counts as ended once it has run its routine. */
BOOLEAN HostKrnlThreadRunning(PVOID Thread);

/* How many times the calling thread has called KeSetEvent. */
LONG HostKrnlEventSets(VOID);

/* In code built with HOSTKRNL_INTERLOCKED_HOOKS (see ddk/wdm.h), each
 * interlocked operation and acquire load first calls hook(address, context),
 * from whichever thread makes it, unless that thread is already inside the
 * hook.  NULL removes the hook; a thread that had already entered the old
 * one may still finish it, with its context.  Code built without the hooks
 * never calls it: a test checks that its hook ran. */
typedef VOID (*HOSTKRNL_INTERLOCKED_HOOK)(const volatile void *address, PVOID context);
VOID HostKrnlSetInterlockedHook(HOSTKRNL_INTERLOCKED_HOOK hook, PVOID context);

#ifdef __cplusplus
}
#endif

#endif /* NTRUNDOWN_HOSTKRNL_H */
