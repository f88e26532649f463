/*
 * Host kernel services: the hook of interlocked operations, for tests
 *
 * Code built with HOSTKRNL_INTERLOCKED_HOOKS calls hostkrnl_interlocked_hook
 * before each interlocked operation and acquire load (ddk/wdm.h); the hook a
 * test installed then runs in that thread, at that exact point.  A thread
 * inside the hook does not call it again, so the hook may itself use the
 * routines under test, as another processor would.
 */

#include "hostkrnl_private.h"
#include "hostkrnl.h"

static HOSTKRNL_INTERLOCKED_HOOK hook;
static PVOID hook_context;
static _Thread_local BOOLEAN in_hook;

void hostkrnl_interlocked_hook(const volatile void *address)
{
    HOSTKRNL_INTERLOCKED_HOOK current = __atomic_load_n(&hook, __ATOMIC_ACQUIRE);

    if (!current || in_hook) return;
    in_hook = TRUE;
    current(address, __atomic_load_n(&hook_context, __ATOMIC_RELAXED));
    in_hook = FALSE;
}

/***********************************************************************
 *           HostKrnlSetInterlockedHook   (hostkrnl)
 */
VOID HostKrnlSetInterlockedHook(HOSTKRNL_INTERLOCKED_HOOK new_hook, PVOID context)
{
    __atomic_store_n(&hook, NULL, __ATOMIC_RELEASE);
    __atomic_store_n(&hook_context, context, __ATOMIC_RELAXED);
    __atomic_store_n(&hook, new_hook, __ATOMIC_RELEASE);
}
