/*
 * Kernel-mode helpers for the conformance suite
 *
 * Threads, waits with a timeout, pinning and memory that a hung thread may
 * keep, written with the Windows kernel API only, so that the suite builds
 * the same into a kernel driver and over the host kernel services.
 *
 * Two kinds of test make up the suite (docs/behaviour.md):
 * - the contract: what Microsoft's documentation of the routines states,
 *   each test group naming its page; run everywhere, Windows included;
 * - ntrundown's own guarantees: what the documentation leaves open or calls
 *   misuse and ntrundown defines.  Each runs only when guarantee() says so;
 *   on Windows (WINETEST_PLATFORM "windows") guarantee() reports it as
 *   skipped, with the reason in the documentation's words, and the case is
 *   never called there.
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
 * "ntrundown guarantee, not run on Windows: <reason>" as a skip and says
 * FALSE; the caller must then not call the case at all.  The reason says
 * what the documentation leaves open, in its words. */
#define guarantee(reason) guarantee_(__FILE__, __LINE__, reason)
BOOLEAN guarantee_(const char *file, int line, const char *reason);

/* guarantee() for a misuse whose defined outcome only a free build
 * guarantees: a checked build (DBG) stops at the diagnostic instead, so there
 * it reports "<misuse> stops a checked build" as a skip. */
#define misuse_guarantee(misuse, reason) misuse_guarantee_(__FILE__, __LINE__, misuse, reason)
BOOLEAN misuse_guarantee_(const char *file, int line, const char *misuse, const char *reason);

/* TRUE (reported as a skip) on Windows, for a documented behaviour that a
 * public Microsoft source contradicts, where a Windows that differs would
 * keep a hung thread for good: "documented, not run on Windows: <reason>". */
#define contested(reason) contested_(__FILE__, __LINE__, reason)
BOOLEAN contested_(const char *file, int line, const char *reason);

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

/* Acquires `count` protections on the test thread, starts a wait, and has
 * another thread release them after delay_ms: TRUE when the wait returned,
 * and not before the release (reported otherwise; after a hang the
 * reference is the hung thread's for good). */
#define blocking_wait(kind, ref, count, delay_ms) blocking_wait_(__FILE__, __LINE__, kind, ref, count, delay_ms)
BOOLEAN blocking_wait_(const char *file, int line, enum wait_kind kind, PVOID ref, ULONG count, ULONG delay_ms);

/* ---- races inside a wait (the emulated kernel's interlocked hook) ------- */

/* A wait on `ref`, and `act` run once on the waiter's own thread just before
 * the waiter's interlocked access number `act_at`, as another processor
 * would act there.  race_all() runs it for act_at = 1, 2, ... RACE_ACCESSES,
 * or until the waiter sleeps before that access; then `finish` runs on the
 * test thread, after RACE_GRACE_MS. */
#define RACE_ACCESSES 64
#define RACE_GRACE_MS 200

struct race
{
    PVOID ref;                                  /* PEX_RUNDOWN_REF or PEX_RUNDOWN_REF_CACHE_AWARE */
    enum wait_kind kind;
    BOOLEAN (*prepare)(struct race *race);      /* before each wait; FALSE: failed (reported) */
    void (*act)(struct race *race);             /* in the hook, on the waiter's thread */
    void (*finish)(struct race *race);          /* on the test thread, once claimed is 1 (the hook acts) or 2 (it
                                                 * did not in time, and never will) */
    void (*check)(struct race *race);           /* after the wait returned */
    BOOLEAN blocks;                             /* the wait must not return before finish */
    PVOID context;
    LONG act_at;
    volatile LONG accesses;
    volatile LONG acted;
    volatile LONG claimed;                      /* 1: by the hook, 2: by the test thread */
    LONG sets;
    PVOID volatile waiter_thread;
};

/* The number of access points the hook acted at; 0 after a hang, reported
 * (the race and its reference are then the hung waiter's). */
LONG race_all(struct race *race);

/* ---- processors --------------------------------------------------------- */

ULONG processor_count(void);
ULONG current_processor(void);

/* Pins the calling thread to one processor; FALSE (and no change) when that
 * processor cannot be selected.  unpin() restores the previous affinity. */
BOOLEAN pin_to_processor(ULONG index, KAFFINITY *previous);
void unpin(KAFFINITY previous);

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
