/*
 * Benchmark of the rundown protection routines
 *
 * Kernel code like the suite, run the same ways (a host program, a Win32
 * program, a kernel driver importing the routines from ntrundown.sys or
 * from the system's ntoskrnl.exe); tools/measure/bench.sh runs every flavour and
 * prints the table.  It measures, never asserts a time:
 *
 * - ns per acquire+release pair, and total Mpairs/s, for a bare pair of
 *   compare-exchanges on one shared word (the floor), the classic and the
 *   cache-aware routines, with one thread and with one thread per processor,
 *   each pinned to its processor;
 * - the cost of one KeGetCurrentProcessorNumberEx;
 * - the wake-up latency of a wait (from the last release to the wait's
 *   return, median and 99th percentile), for a short hold and a long one,
 *   both families, and where the kernel is emulated the process CPU time of
 *   a long-hold round (the holder busy for the whole hold);
 * - the bytes a cache-aware object takes.
 *
 * Each figure is printed as a trace line "BENCH <name> <minimum> <median>
 * <unit>".  The arithmetic is integer (hundredths), since i386 drivers have
 * neither floating point nor 64-bit division at hand.
 * NTRUNDOWN_BENCH_SHORT=1 runs a short form (for CI: it proves the benchmark
 * works, its figures mean little); NTRUNDOWN_BENCH_REPEAT=N repeats every
 * measurement and prints the minimum and the median.
 */

#include "support.h"
#include "kernel_hooks.h"
#include "winetest_backend.h"
#include "winetest.h"

#define MAX_THREADS 64
#define MAX_SAMPLES 512
#define MAX_REPEAT 32

static BOOLEAN short_form;
static ULONG repeat = 1;

static LONGLONG ticks(void)
{
    return KeQueryPerformanceCounter(NULL).QuadPart;
}

/* Hundredths of nanoseconds in `delta` ticks, divided by `divisor`. */
static ULONGLONG ticks_to_ns100(LONGLONG delta, ULONGLONG divisor)
{
    LARGE_INTEGER frequency;

    KeQueryPerformanceCounter(&frequency);
    return mul_div(mul_div((ULONGLONG)delta, 100000000000ull / 1000, (ULONGLONG)frequency.QuadPart), 1000, divisor);
}

static void sort_values(ULONGLONG *values, ULONG count)
{
    ULONG i, j;

    for (i = 1; i < count; i++)
        for (j = i; j > 0 && values[j - 1] > values[j]; j--)
        {
            ULONGLONG swap = values[j];
            values[j] = values[j - 1];
            values[j - 1] = swap;
        }
}

/* Prints "BENCH prefix-name-suffix min median unit" over the repetitions;
 * the values are hundredths. */
static void report(const char *prefix, const char *name, const char *suffix, ULONGLONG *values, ULONG count,
                   const char *unit)
{
    ULONG low, median;

    sort_values(values, count);
    low = (ULONG)values[0];
    median = (ULONG)values[count / 2];
    trace("BENCH %s-%s%s %lu.%02lu %lu.%02lu %s\n", prefix, name, suffix, (unsigned long)(low / 100),
          (unsigned long)(low % 100), (unsigned long)(median / 100), (unsigned long)(median % 100), unit);
}

/* ---- acquire+release pairs ---------------------------------------------- */

enum pair_kind { PAIR_BARE, PAIR_CLASSIC, PAIR_CACHE_AWARE };
static const char *const pair_names[] = { "bare", "classic", "cache-aware" };

struct pair_run
{
    enum pair_kind kind;
    EX_RUNDOWN_REF word;        /* the bare pair's word and the classic reference */
    PEX_RUNDOWN_REF_CACHE_AWARE cache_aware;
    ULONG iterations;
    volatile LONG ready;
    volatile LONG go;
    LONGLONG start[MAX_THREADS], end[MAX_THREADS];
};

struct pair_thread_context
{
    struct pair_run *run;
    ULONG index;
};

static void bare_pair(PEX_RUNDOWN_REF word)
{
    ULONG_PTR old;

    do old = word->Count;
    while ((ULONG_PTR)InterlockedCompareExchangePointer((PVOID volatile *)&word->Ptr, (PVOID)(old + 2), (PVOID)old) != old);
    do old = word->Count;
    while ((ULONG_PTR)InterlockedCompareExchangePointer((PVOID volatile *)&word->Ptr, (PVOID)(old - 2), (PVOID)old) != old);
}

static VOID NTAPI pair_thread(PVOID param)
{
    struct pair_thread_context *context = param;
    struct pair_run *run = context->run;
    KAFFINITY previous;
    BOOLEAN pinned = pin_to_processor(context->index, &previous);
    ULONG i;

    InterlockedIncrement(&run->ready);
    while (!read_long(&run->go)) YieldProcessor();
    run->start[context->index] = ticks();
    switch (run->kind)
    {
    case PAIR_BARE:
        for (i = 0; i < run->iterations; i++) bare_pair(&run->word);
        break;
    case PAIR_CLASSIC:
        for (i = 0; i < run->iterations; i++)
        {
            if (ExAcquireRundownProtection(&run->word)) ExReleaseRundownProtection(&run->word);
        }
        break;
    case PAIR_CACHE_AWARE:
        for (i = 0; i < run->iterations; i++)
        {
            if (ExAcquireRundownProtectionCacheAware(run->cache_aware))
                ExReleaseRundownProtectionCacheAware(run->cache_aware);
        }
        break;
    }
    run->end[context->index] = ticks();
    if (pinned) unpin(previous);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* One run of `threads` threads; FALSE if a thread could not be started. */
static BOOLEAN pair_once(struct pair_run *run, ULONG threads, ULONGLONG *ns_per_pair, ULONGLONG *mpairs)
{
    struct pair_thread_context contexts[MAX_THREADS];
    TEST_THREAD handles[MAX_THREADS];
    LONGLONG first = 0, last = 0, sum = 0;
    ULONG i;

    run->ready = run->go = 0;
    for (i = 0; i < threads; i++)
    {
        contexts[i].run = run;
        contexts[i].index = i;
        if (!(handles[i] = thread_start(pair_thread, &contexts[i]))) break;
    }
    while ((ULONG)read_long(&run->ready) < i) sleep_ms(1);
    InterlockedExchange(&run->go, 1);
    for (threads = i, i = 0; i < threads; i++)
        ok(thread_join(handles[i], 10 * 60 * 1000), "pair thread %lu did not end\n", (unsigned long)i);
    if (!threads) return FALSE;
    for (i = 0; i < threads; i++)
    {
        if (!i || run->start[i] < first) first = run->start[i];
        if (!i || run->end[i] > last) last = run->end[i];
        sum += run->end[i] - run->start[i];
    }
    *ns_per_pair = ticks_to_ns100(sum, (ULONGLONG)threads * run->iterations);
    /* pairs per microsecond, in hundredths */
    *mpairs = mul_div((ULONGLONG)threads * run->iterations, 100000, ticks_to_ns100(last - first, 1) / 100 + 1);
    return TRUE;
}

static void bench_pairs(ULONG threads)
{
    struct pair_run *run = test_alloc(sizeof(*run));
    ULONGLONG ns[MAX_REPEAT], mpairs[MAX_REPEAT];
    const char *suffix = threads == 1 ? "-1" : "-N";
    ULONG kind, r;

    if (!run) return;
    run->iterations = short_form ? 20000 : 2000000;
    run->cache_aware = ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
    ok(run->cache_aware != NULL, "allocation failed\n");
    for (kind = 0; run->cache_aware && kind < ARRAY_SIZE(pair_names); kind++)
    {
        run->kind = kind;
        for (r = 0; r < repeat; r++)
        {
            ExInitializeRundownProtection(&run->word);
            ExReInitializeRundownProtectionCacheAware(run->cache_aware);
            if (!pair_once(run, threads, &ns[r], &mpairs[r])) break;
        }
        if (r < repeat) break;
        report("pair", pair_names[kind], suffix, ns, repeat, "ns/pair");
        report("mpairs", pair_names[kind], suffix, mpairs, repeat, "Mpairs/s");
    }
    if (run->cache_aware)
    {
        ExWaitForRundownProtectionReleaseCacheAware(run->cache_aware);
        ExFreeCacheAwareRundownProtection(run->cache_aware);
    }
    test_free(run);
}

/* ---- the processor index ------------------------------------------------ */

static void bench_processor_number(void)
{
    ULONG calls = short_form ? 100000 : 10000000, i, r;
    ULONGLONG ns[MAX_REPEAT];
    volatile ULONG sink = 0;
    LONGLONG start;

    for (r = 0; r < repeat; r++)
    {
        start = ticks();
        for (i = 0; i < calls; i++) sink += KeGetCurrentProcessorNumberEx(NULL);
        ns[r] = ticks_to_ns100(ticks() - start, calls);
    }
    (void)sink;
    report("call", "KeGetCurrentProcessorNumberEx", "", ns, repeat, "ns");
}

/* ---- wake-up latency ---------------------------------------------------- */

struct latency_round
{
    PVOID ref;
    enum wait_kind kind;
    LONGLONG returned;
};

static VOID NTAPI latency_waiter(PVOID param)
{
    struct latency_round *round = param;

    if (round->kind == WAIT_CLASSIC) ExWaitForRundownProtectionRelease(round->ref);
    else ExWaitForRundownProtectionReleaseCacheAware(round->ref);
    round->returned = ticks();
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static BOOLEAN acquire(struct latency_round *round)
{
    if (round->kind == WAIT_CLASSIC) return ExAcquireRundownProtection(round->ref);
    return ExAcquireRundownProtectionCacheAware(round->ref);
}

static void release(struct latency_round *round)
{
    if (round->kind == WAIT_CLASSIC) ExReleaseRundownProtection(round->ref);
    else ExReleaseRundownProtectionCacheAware(round->ref);
}

/* Spins (never sleeps, which would let the wait give up its own spin
 * before the hold starts) until the wait has begun: acquires fail. */
static BOOLEAN spin_until_waiting(struct latency_round *round)
{
    LARGE_INTEGER frequency;
    LONGLONG until;

    KeQueryPerformanceCounter(&frequency);
    until = ticks() + (LONGLONG)mul_div(TEST_TIMEOUT_MS, (ULONGLONG)frequency.QuadPart, 1000);
    while (acquire(round))
    {
        release(round);
        if (ticks() > until) return FALSE;
        YieldProcessor();
    }
    return TRUE;
}

/* Holds one protection for hold_us after the wait has started, then lets go;
 * the latency is from that release to the wait's return. */
static BOOLEAN latency_once(struct latency_round *round, ULONG hold_us, ULONGLONG *latency_ns100)
{
    LONGLONG released, until;
    TEST_THREAD thread;
    LARGE_INTEGER frequency;

    if (round->kind == WAIT_CLASSIC) ExInitializeRundownProtection(round->ref);
    else ExReInitializeRundownProtectionCacheAware(round->ref);
    acquire(round);
    if (!(thread = thread_start(latency_waiter, round))) return FALSE;
    if (!spin_until_waiting(round)) return FALSE;
    KeQueryPerformanceCounter(&frequency);
    until = ticks() + (LONGLONG)mul_div(hold_us, (ULONGLONG)frequency.QuadPart, 1000000);
    while (ticks() < until) YieldProcessor();
    released = ticks();
    release(round);
    if (!thread_join(thread, TEST_TIMEOUT_MS))
    {
        ok(0, "the wait did not return after the release\n");
        return FALSE;
    }
    *latency_ns100 = ticks_to_ns100(round->returned - released, 1);
    return TRUE;
}

static void bench_latency(enum wait_kind kind, const char *family, ULONG hold_us, const char *hold)
{
    ULONG rounds = short_form ? 8 : (hold_us > 100 ? 40 : 400), i, r, done;
    ULONGLONG *samples = test_alloc(sizeof(*samples) * MAX_SAMPLES);
    ULONGLONG median[MAX_REPEAT], p99[MAX_REPEAT], cpu[MAX_REPEAT];
    struct latency_round *round = test_alloc(sizeof(*round));
    char name[48];
    LONGLONG cpu_start = -1;

    if (!samples || !round) return;
    if (rounds > MAX_SAMPLES) rounds = MAX_SAMPLES;
    round->kind = kind;
    round->ref = kind == WAIT_CLASSIC ? test_alloc(sizeof(EX_RUNDOWN_REF))
                                      : (PVOID)ExAllocateCacheAwareRundownProtection(NonPagedPool, TEST_TAG);
    if (!round->ref) return;
    if (kind == WAIT_CACHE_AWARE) ExWaitForRundownProtectionReleaseCacheAware(round->ref);
    for (r = 0; r < repeat; r++)
    {
        cpu_start = hooks_process_cpu_time();
        for (i = done = 0; i < rounds; i++)
            if (latency_once(round, hold_us, &samples[done])) done++;
        /* microseconds, in hundredths */
        cpu[r] = cpu_start < 0 ? 0 : mul_div((ULONGLONG)(hooks_process_cpu_time() - cpu_start), 1, (ULONGLONG)rounds * 10);
        if (!done) return;
        sort_values(samples, done);
        median[r] = mul_div(samples[done / 2], 1, 1000);
        p99[r] = mul_div(samples[done * 99 / 100], 1, 1000);
    }
    for (i = 0, name[0] = 0; family[i]; i++) name[i] = family[i];
    name[i++] = '-';
    for (r = 0; hold[r]; r++) name[i++] = hold[r];
    name[i] = 0;
    report("wake-median", name, "", median, repeat, "us");
    report("wake-p99", name, "", p99, repeat, "us");
    if (cpu_start >= 0) report("cpu-per-round", name, "", cpu, repeat, "us");
    if (kind == WAIT_CLASSIC) test_free(round->ref);
    else ExFreeCacheAwareRundownProtection(round->ref);
    test_free(round);
    test_free(samples);
}

/* ---- memory --------------------------------------------------------------- */

static void bench_memory(void)
{
    ULONGLONG in_buffer = (ULONGLONG)ExSizeOfRundownProtectionCacheAware() * 100;

    report("bytes", "cache-aware-in-buffer", "", &in_buffer, 1, "bytes");
}

static ULONG env_number(const char *name, ULONG value)
{
    const char *text = winetest_backend_getenv(name);
    ULONG number = 0;

    if (!text || !*text) return value;
    for (; *text >= '0' && *text <= '9'; text++) number = number * 10 + (ULONG)(*text - '0');
    return number;
}

START_TEST(rundown_bench)
{
    ULONG processors = processor_count();

    if (!rundown_routines_available(TRUE)) return;
    short_form = env_number("NTRUNDOWN_BENCH_SHORT", 0) != 0;
    repeat = env_number("NTRUNDOWN_BENCH_REPEAT", 1);
    if (repeat < 1) repeat = 1;
    if (repeat > MAX_REPEAT) repeat = MAX_REPEAT;
    trace("BENCH processors %lu %lu count\n", (unsigned long)processors, (unsigned long)processors);

    bench_pairs(1);
    if (processors > 1) bench_pairs(processors < MAX_THREADS ? processors : MAX_THREADS);
    bench_processor_number();
    bench_latency(WAIT_CLASSIC, "classic", 5, "5us");
    bench_latency(WAIT_CLASSIC, "classic", 2000, "2ms");
    bench_latency(WAIT_CACHE_AWARE, "cache-aware", 5, "5us");
    bench_latency(WAIT_CACHE_AWARE, "cache-aware", 2000, "2ms");
    bench_memory();
}
