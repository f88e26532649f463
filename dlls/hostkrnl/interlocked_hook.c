/*
 * Host kernel services: the hook of interlocked operations, for tests
 *
 * Code built with HOSTKRNL_INTERLOCKED_HOOKS calls hostkrnl_interlocked_hook
 * before each interlocked operation and acquire load (ddk/wdm.h); the hook a
 * test installed then runs in that thread, at that exact point.  A thread
 * inside the hook does not call it again, so the hook may itself use the
 * routines under test, as another processor would.
 */

#include <stdlib.h>

#include "hostkrnl_private.h"
#include "hostkrnl.h"

/* A hook and its context are published together, through one pointer to an
 * immutable pair: a thread that loaded a pair calls that hook with that
 * context, even when another thread replaces or removes the hook meanwhile
 * (it may then still run the old hook briefly, so its context must outlive
 * its removal).  Pairs are kept, once for each hook and context, for that
 * reason; a test installs only a few. */
struct hook_pair
{
    HOSTKRNL_INTERLOCKED_HOOK hook;
    PVOID context;
    struct hook_pair *next;
};

static struct hook_pair *current;   /* NULL: no hook */
static struct hook_pair *pairs;     /* every pair made; only ever prepended to */
static _Thread_local BOOLEAN in_hook;

void hostkrnl_interlocked_hook(const volatile void *address)
{
    struct hook_pair *pair = __atomic_load_n(&current, __ATOMIC_ACQUIRE);

    if (!pair || in_hook) return;
    in_hook = TRUE;
    pair->hook(address, pair->context);
    in_hook = FALSE;
}

static struct hook_pair *find_pair(HOSTKRNL_INTERLOCKED_HOOK hook, PVOID context)
{
    struct hook_pair *pair, *head = __atomic_load_n(&pairs, __ATOMIC_ACQUIRE);

    for (pair = head; pair; pair = pair->next)
        if (pair->hook == hook && pair->context == context) return pair;
    if (!(pair = malloc(sizeof(*pair)))) hostkrnl_bug("HostKrnlSetInterlockedHook: no memory");
    pair->hook = hook;
    pair->context = context;
    pair->next = head;
    while (!__atomic_compare_exchange_n(&pairs, &pair->next, pair, FALSE, __ATOMIC_RELEASE, __ATOMIC_ACQUIRE)) {}
    return pair;
}

/***********************************************************************
 *           HostKrnlSetInterlockedHook   (hostkrnl)
 */
VOID HostKrnlSetInterlockedHook(HOSTKRNL_INTERLOCKED_HOOK new_hook, PVOID context)
{
    __atomic_store_n(&current, new_hook ? find_pair(new_hook, context) : NULL, __ATOMIC_RELEASE);
}
