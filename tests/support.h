/*
 * Kernel-mode helpers for the conformance suite
 *
 * Threads, sleeping, waiting with a timeout and pinning, written with the
 * Windows kernel API only, so that the suite builds the same into a kernel
 * driver and over the host kernel services.
 */

#ifndef NTRUNDOWN_TESTS_SUPPORT_H
#define NTRUNDOWN_TESTS_SUPPORT_H

#include <ddk/wdm.h>
#include "ntrundown.h"

/* printf formats of a ULONG_PTR, for ok() messages. */
#ifdef _WIN32
# define WORDX "#Ix"
# define WORDU "Iu"
#else
# define WORDX "#lx"
# define WORDU "lu"
#endif

/* Generous: a timeout only ever means a hang. */
#define TEST_TIMEOUT_MS 10000

/* A started system thread, referenced until thread_close(). */
typedef PVOID TEST_THREAD;

TEST_THREAD thread_start(PKSTART_ROUTINE routine, PVOID context);
/* TRUE when the thread has finished within timeout_ms. */
BOOLEAN thread_wait(TEST_THREAD thread, ULONG timeout_ms);
/* Waits for the thread without limit and drops the reference. */
void thread_close(TEST_THREAD thread);

/* A wait run in a thread of its own, so that a hang shows as a failed
 * check instead of stopping the suite. */
typedef VOID (*WAIT_ROUTINE)(PVOID ref);

struct waiter
{
    WAIT_ROUTINE wait;
    PVOID ref;
    KEVENT done;
    TEST_THREAD thread;
};

BOOLEAN waiter_start(struct waiter *waiter, WAIT_ROUTINE wait, PVOID ref);
/* TRUE when the wait has returned within timeout_ms. */
BOOLEAN waiter_finished(struct waiter *waiter, ULONG timeout_ms);
/* Only once waiter_finished() said TRUE: a hung waiter is left alone. */
void waiter_close(struct waiter *waiter);
/* Runs wait(ref) in a thread: TRUE when it returned within TEST_TIMEOUT_MS. */
BOOLEAN wait_returns(WAIT_ROUTINE wait, PVOID ref);

void sleep_ms(ULONG ms);
/* TRUE when the event is signaled within timeout_ms. */
BOOLEAN event_wait(PKEVENT event, ULONG timeout_ms);
/* Atomic reads of words that other threads update. */
static inline LONG read_long(volatile LONG *p) { return InterlockedCompareExchange(p, 0, 0); }
static inline ULONG_PTR read_word(volatile ULONG_PTR *p)
{
    return (ULONG_PTR)InterlockedCompareExchangePointer((PVOID volatile *)p, NULL, NULL);
}

/* Polls until *word & mask is non-zero; TRUE unless timeout_ms passed first. */
BOOLEAN poll_word(volatile ULONG_PTR *word, ULONG_PTR mask, ULONG timeout_ms);

ULONG processor_count(void);
ULONG current_processor(void);
/* Pins the calling thread to one processor; FALSE (and no change) when that
 * processor cannot be selected.  unpin() restores the previous affinity. */
BOOLEAN pin_to_processor(ULONG index, KAFFINITY *previous);
void unpin(KAFFINITY previous);

/* A small deterministic pseudo-random generator for the stress test. */
ULONG next_random(ULONG *state);

/* TRUE when every routine a test needs can be called: the classic family,
 * and with cache_aware the cache-aware family too.  Otherwise it reports each
 * routine that cannot be called and returns FALSE.  routines_linked.c (the
 * routines are linked in) always says TRUE; the driver that tests the
 * running kernel's routines (driver/system_routines.c) checks them. */
BOOLEAN rundown_routines_available(BOOLEAN cache_aware);

#endif /* NTRUNDOWN_TESTS_SUPPORT_H */
