/*
 * Kernel-mode helpers for the conformance suite
 *
 * Threads, waits with a timeout, pinning and memory that a hung thread may
 * keep, written with the Windows kernel API only, so that the suite builds
 * the same into a kernel driver and over the host kernel services.
 *
 * Two kinds of test make up the suite (docs/behaviour.md):
 * - the contract Windows keeps, run everywhere; where Windows deviates in a
 *   way no correct driver relies on, Windows' result is accepted with
 *   broken();
 * - ntrundown's own guarantees, where Windows hangs, crashes or corrupts
 *   memory: each is run only when guarantee() says so, which on Windows
 *   (WINETEST_PLATFORM "windows") it reports as skipped, with the reason,
 *   instead.
 *
 * No test waits without a limit on the test thread: every wait for a
 * rundown runs in a thread of its own (waiter_start), and a wait that does
 * not return within TEST_TIMEOUT_MS is reported as a failure with the words
 * it waits on; the thread, the waiter and the reference are then left alone
 * (never freed), and the suite goes on.
 */

#ifndef NTRUNDOWN_TESTS_SUPPORT_H
#define NTRUNDOWN_TESTS_SUPPORT_H

#include <ddk/wdm.h>

/* Generous: a timeout only ever means a hang. */
#define TEST_TIMEOUT_MS 10000

#define TEST_TAG 0x4e645274 /* 'tRdN' */

/* ---- the two kinds of test ---------------------------------------------- */

/* TRUE when an ntrundown guarantee is to be tested.  On Windows it reports
 * "ntrundown guarantee, not run on Windows: <windows_behaviour>" as a skip
 * and says FALSE; the caller must then not call the case at all. */
#define guarantee(windows_behaviour) guarantee_(__FILE__, __LINE__, windows_behaviour)
BOOLEAN guarantee_(const char *file, int line, const char *windows_behaviour);

/* guarantee() for a misuse whose defined outcome only a free build
 * guarantees: a checked build (DBG) stops at an ASSERT instead, so there it
 * reports "<misuse> is an ASSERT in a checked build" as a skip. */
#define misuse_guarantee(misuse, windows_behaviour) misuse_guarantee_(__FILE__, __LINE__, misuse, windows_behaviour)
BOOLEAN misuse_guarantee_(const char *file, int line, const char *misuse, const char *windows_behaviour);

/* ---- EX_RUNDOWN_REF_CACHE_AWARE ----------------------------------------- */

/* Opaque in wdm.h; ntoskrnl's public symbols fix this layout, which the
 * tests read through this view of their own. */
struct cache_aware_view
{
    PEX_RUNDOWN_REF RunRefs;
    PVOID PoolToFree;
    ULONG RunRefSize;
    ULONG Number;
};

/* PoolToFree of an object laid out in the caller's buffer. */
#define NOT_FROM_POOL ((PVOID)(ULONG_PTR)0x0badca11)

static inline struct cache_aware_view *view(PEX_RUNDOWN_REF_CACHE_AWARE ref)
{
    return (struct cache_aware_view *)ref;
}

static inline PEX_RUNDOWN_REF cache_aware_slot(PEX_RUNDOWN_REF_CACHE_AWARE ref, ULONG index)
{
    return (PEX_RUNDOWN_REF)((PUCHAR)view(ref)->RunRefs + (SIZE_T)index * view(ref)->RunRefSize);
}

/* ---- memory and words --------------------------------------------------- */

/* Nonpaged memory for what other threads use; on a hang it is kept. */
PVOID test_alloc(SIZE_T size);
void test_free(PVOID p);

/* Atomic reads of words that other threads update. */
static inline LONG read_long(volatile LONG *p)
{
    return InterlockedCompareExchange(p, 0, 0);
}

static inline ULONG_PTR read_word(volatile ULONG_PTR *p)
{
    return (ULONG_PTR)InterlockedCompareExchangePointer((PVOID volatile *)p, NULL, NULL);
}

/* Polls until *word & mask is non-zero; TRUE unless timeout_ms passed first. */
BOOLEAN poll_word(volatile ULONG_PTR *word, ULONG_PTR mask, ULONG timeout_ms);

void sleep_ms(ULONG ms);
/* TRUE when the event is signaled within timeout_ms. */
BOOLEAN event_wait(PKEVENT event, ULONG timeout_ms);

/* ---- threads ------------------------------------------------------------ */

/* A started system thread, referenced until thread_join() says it ended. */
typedef PVOID TEST_THREAD;

TEST_THREAD thread_start(PKSTART_ROUTINE routine, PVOID context);
/* TRUE when the thread ended within timeout_ms, and drops the reference;
 * FALSE when it still runs: the reference, and whatever the thread uses,
 * must then be kept for good. */
BOOLEAN thread_join(TEST_THREAD thread, ULONG timeout_ms);

/* ---- a reference of either family --------------------------------------- */

/* For the tests that run both families alike. */
struct either_ref
{
    EX_RUNDOWN_REF classic;
    PEX_RUNDOWN_REF_CACHE_AWARE cache_aware;    /* NULL: the classic reference */
};

BOOLEAN either_acquire(struct either_ref *ref, ULONG count);
void either_release(struct either_ref *ref, ULONG count);
void either_reinitialize(struct either_ref *ref);

/* ---- waits in a thread of their own ------------------------------------- */

enum wait_kind { WAIT_CLASSIC, WAIT_CACHE_AWARE };

struct waiter
{
    enum wait_kind kind;
    PVOID ref;                      /* PEX_RUNDOWN_REF or PEX_RUNDOWN_REF_CACHE_AWARE */
    volatile LONG *probe;           /* read right after the wait returns, if not NULL */
    LONG probe_seen;
    KEVENT done;
    TEST_THREAD thread;
};

/* Starts ExWaitForRundownProtectionRelease(ref) or its cache-aware twin in a
 * new thread.  NULL (reported) if no thread could be started. */
struct waiter *waiter_start(enum wait_kind kind, PVOID ref, volatile LONG *probe);
/* The same for a reference of either family. */
struct waiter *waiter_start_either(struct either_ref *ref, volatile LONG *probe);
/* TRUE when the wait has returned within timeout_ms (0 polls). */
BOOLEAN waiter_returned(struct waiter *waiter, ULONG timeout_ms);
/* Waits up to TEST_TIMEOUT_MS for the wait to return.  TRUE: it returned and
 * the waiter is freed.  FALSE: reported as a failure with the reference's
 * words; the waiter, its thread and the reference are left alone for good,
 * so the caller must not free or reuse the reference. */
#define waiter_end(waiter) waiter_end_(__FILE__, __LINE__, waiter)
BOOLEAN waiter_end_(const char *file, int line, struct waiter *waiter);
/* Runs the wait in a thread: TRUE when it returned (a hang is reported,
 * and the reference is then the hung thread's for good). */
#define wait_in_thread(kind, ref) wait_in_thread_(__FILE__, __LINE__, kind, ref)
BOOLEAN wait_in_thread_(const char *file, int line, enum wait_kind kind, PVOID ref);

/* ---- processors --------------------------------------------------------- */

ULONG processor_count(void);
ULONG current_processor(void);

/* Pins the calling thread to one processor; FALSE (and no change) when that
 * processor cannot be selected.  unpin() restores the previous affinity. */
BOOLEAN pin_to_processor(ULONG index, KAFFINITY *previous);
void unpin(KAFFINITY previous);

/* Makes the routines see the calling thread on processor `index`: pinned
 * there, or, where the kernel is emulated and pinning fails, with a
 * simulated processor index.  FALSE (and no change) when neither works. */
struct on_processor
{
    KAFFINITY previous;
    BOOLEAN pinned;
    BOOLEAN simulated;
};
BOOLEAN run_on_processor(ULONG index, struct on_processor *saved);
void leave_processor(struct on_processor *saved);

/* a * b / c without 64-bit division instructions, which i386 drivers do
 * not have (no libgcc): for figures, not for hot paths.  c must not be 0,
 * and (a % c) * b must fit in 64 bits. */
ULONGLONG mul_div(ULONGLONG a, ULONGLONG b, ULONGLONG c);

/* A small deterministic pseudo-random generator for the stress test. */
ULONG next_random(ULONG *state);

/* ---- the routines under test -------------------------------------------- */

/* TRUE when every routine a test needs can be called: the classic family,
 * and with cache_aware the cache-aware family too.  Otherwise it reports each
 * routine that cannot be called and returns FALSE.  routines_linked.c (the
 * routines are linked in) always says TRUE; the driver that tests the
 * running kernel's routines (driver/system_routines.c) checks them. */
BOOLEAN rundown_routines_available(BOOLEAN cache_aware);

/* The platform a run defaults to: "wine" where the routines under test are
 * a reimplementation (ntrundown's, or those of Wine's ntoskrnl.exe), so that
 * its guarantees are tested; "windows" where they are Windows' own. */
const char *rundown_routines_platform(void);

#endif /* NTRUNDOWN_TESTS_SUPPORT_H */
