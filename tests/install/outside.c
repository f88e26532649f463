/*
 * An outside program: uses the installed library the way a user would,
 * built with `cc outside.c $(pkg-config --cflags --libs ntrundown)`.
 *
 * Plain POSIX C, no harness: it includes only <ntrundown.h>, pins its
 * threads with pthread_setaffinity_np, and reads the classic word, whose
 * encoding wdm.h's constants name (the cache-aware object is opaque).
 */

#define _GNU_SOURCE
#include <ntrundown.h>

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int passed, failed;

#define check(cond, ...) \
    do { if (cond) passed++; else { failed++; printf("outside.c:%d: check failed: ", __LINE__); \
         printf(__VA_ARGS__); printf("\n"); } } while (0)

static int pin(int cpu)
{
    cpu_set_t set;

    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return !pthread_setaffinity_np(pthread_self(), sizeof(set), &set) && sched_getcpu() == cpu;
}

static void *release_later(void *arg)
{
    EX_RUNDOWN_REF *ref = arg;

    while (!(__atomic_load_n(&ref->Count, __ATOMIC_SEQ_CST) & EX_RUNDOWN_ACTIVE)) usleep(1000);
    usleep(20000);
    ExReleaseRundownProtection(ref);
    return NULL;
}

static void classic(void)
{
    EX_RUNDOWN_REF ref;
    pthread_t thread;

    ExInitializeRundownProtection(&ref);
    check(ref.Count == 0, "init: %lx", (unsigned long)ref.Count);
    check(ExAcquireRundownProtection(&ref) && ref.Count == 2, "acquire: %lx", (unsigned long)ref.Count);
    check(ExAcquireRundownProtectionEx(&ref, 3) && ref.Count == 8, "acquire 3: %lx", (unsigned long)ref.Count);
    ExReleaseRundownProtectionEx(&ref, 3);
    check(ref.Count == 2, "release 3: %lx", (unsigned long)ref.Count);

    pthread_create(&thread, NULL, release_later, &ref);
    ExWaitForRundownProtectionRelease(&ref);
    pthread_join(thread, NULL);
    check(ref.Count == EX_RUNDOWN_ACTIVE, "after wait: %lx", (unsigned long)ref.Count);
    check(!ExAcquireRundownProtection(&ref), "acquire after the wait succeeded");
    ExWaitForRundownProtectionRelease(&ref);
    check(ref.Count == EX_RUNDOWN_ACTIVE, "after a second wait: %lx", (unsigned long)ref.Count);
    ExRundownCompleted(&ref);
    ExReInitializeRundownProtection(&ref);
    check(ref.Count == 0, "reinit: %lx", (unsigned long)ref.Count);
}

/* EX_RUNDOWN_REF_CACHE_AWARE is opaque, as in wdm.h: the program uses the
 * routines only, from threads on different processors. */
struct holder
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    int cpu;
    int acquired;
};

static void *acquire_on(void *arg)
{
    struct holder *holder = arg;

    pin(holder->cpu);
    holder->acquired = ExAcquireRundownProtectionCacheAwareEx(holder->ref, 2);
    return NULL;
}

static void *release_cache_aware_later(void *arg)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref = arg;

    usleep(20000);
    ExReleaseRundownProtectionCacheAwareEx(ref, 3);
    return NULL;
}

static void cache_aware(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    SIZE_T size = ExSizeOfRundownProtectionCacheAware();
    PEX_RUNDOWN_REF_CACHE_AWARE ref = malloc(size), pool;
    struct holder holders[2];
    pthread_t threads[2];
    int i;

    check(size > 0, "size %lu for %ld processors", (unsigned long)size, cpus);
    ExInitializeRundownProtectionCacheAware(ref, size);
    /* acquired on two processors, released here */
    for (i = 0; i < 2; i++)
    {
        holders[i].ref = ref;
        holders[i].cpu = i % (cpus > 0 ? cpus : 1);
        pthread_create(&threads[i], NULL, acquire_on, &holders[i]);
    }
    for (i = 0; i < 2; i++)
    {
        pthread_join(threads[i], NULL);
        check(holders[i].acquired, "acquire on thread %d", i);
    }
    ExReleaseRundownProtectionCacheAware(ref);
    pthread_create(&threads[0], NULL, release_cache_aware_later, ref);
    ExWaitForRundownProtectionReleaseCacheAware(ref);
    pthread_join(threads[0], NULL);
    check(!ExAcquireRundownProtectionCacheAware(ref), "acquire after the wait succeeded");
    ExWaitForRundownProtectionReleaseCacheAware(ref);
    ExRundownCompletedCacheAware(ref);
    ExReInitializeRundownProtectionCacheAware(ref);
    check(ExAcquireRundownProtectionCacheAware(ref), "acquire after ReInitialize");
    ExReleaseRundownProtectionCacheAware(ref);
    ExWaitForRundownProtectionReleaseCacheAware(ref);
    free(ref);

    pool = ExAllocateCacheAwareRundownProtection(NonPagedPool, 0x7374754f);
    check(pool != NULL, "allocated object");
    if (pool)
    {
        check(ExAcquireRundownProtectionCacheAwareEx(pool, 2), "acquire 2");
        ExReleaseRundownProtectionCacheAwareEx(pool, 2);
        ExWaitForRundownProtectionReleaseCacheAware(pool);
        ExFreeCacheAwareRundownProtection(pool);
    }
}

int main(void)
{
    classic();
    cache_aware();
    printf("outside: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
