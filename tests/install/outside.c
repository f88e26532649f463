/*
 * An outside program: uses the installed library the way a user would,
 * built with `cc outside.c $(pkg-config --cflags --libs ntrundown)`.
 *
 * Plain POSIX C, no harness: it includes only <ntrundown.h>, pins its
 * threads with pthread_setaffinity_np and reads the words directly.
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

/* EX_RUNDOWN_REF_CACHE_AWARE is opaque in the header, as in wdm.h; its
 * layout is fixed by ntoskrnl's symbols. */
struct cache_aware_layout
{
    PEX_RUNDOWN_REF RunRefs;
    PVOID PoolToFree;
    ULONG RunRefSize;
    ULONG Number;
};
#define layout(ref) ((struct cache_aware_layout *)(ref))

static void cache_aware(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    SIZE_T size = ExSizeOfRundownProtectionCacheAware();
    PEX_RUNDOWN_REF_CACHE_AWARE ref = aligned_alloc(64, (size + 63) / 64 * 64), pool;
    EX_RUNDOWN_REF *slot1;
    ULONG i;

    check(cpus <= 1 ? size == sizeof(struct cache_aware_layout) + sizeof(EX_RUNDOWN_REF) : size >= sizeof(struct cache_aware_layout) + (cpus + 1) * 64,
          "size %lu for %ld processors", (unsigned long)size, cpus);
    ExInitializeRundownProtectionCacheAware(ref, size);
    check(layout(ref)->PoolToFree == (PVOID)0x0BADCA11, "PoolToFree %p", layout(ref)->PoolToFree);
    check(layout(ref)->Number == (ULONG)cpus, "Number %lu", (unsigned long)layout(ref)->Number);
    for (i = 0; i < layout(ref)->Number; i++)
        check(((EX_RUNDOWN_REF *)((PUCHAR)layout(ref)->RunRefs + i * layout(ref)->RunRefSize))->Count == 0, "slot %lu", (unsigned long)i);

    if (cpus >= 2 && pin(0))
    {
        check(ExAcquireRundownProtectionCacheAware(ref), "acquire on cpu 0");
        check(layout(ref)->RunRefs->Count == 2, "slot 0: %lx", (unsigned long)layout(ref)->RunRefs->Count);
        if (pin(1))
        {
            ExReleaseRundownProtectionCacheAware(ref);
            slot1 = (EX_RUNDOWN_REF *)((PUCHAR)layout(ref)->RunRefs + layout(ref)->RunRefSize);
            check(slot1->Count == (ULONG_PTR)-2, "slot 1 after a release on cpu 1: %lx", (unsigned long)slot1->Count);
        }
        else ExReleaseRundownProtectionCacheAware(ref);
    }
    ExWaitForRundownProtectionReleaseCacheAware(ref);
    ExWaitForRundownProtectionReleaseCacheAware(ref);
    for (i = 0; i < layout(ref)->Number; i++)
        check(((EX_RUNDOWN_REF *)((PUCHAR)layout(ref)->RunRefs + i * layout(ref)->RunRefSize))->Count == 1, "slot %lu after the wait",
              (unsigned long)i);
    free(ref);

    pool = ExAllocateCacheAwareRundownProtection(NonPagedPool, 0x7374754f);
    check(pool != NULL && layout(pool)->Number == (ULONG)cpus && layout(pool)->PoolToFree != NULL, "allocated object");
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
