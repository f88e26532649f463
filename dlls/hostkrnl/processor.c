/*
 * Host port: processors and affinity, on Linux
 *
 * The processor primitives of hostkrnl_port.h.  Processor i of the host is
 * system-wide processor index i; it is number i % 64 of group i / 64, and
 * bit i of an affinity mask (group 0 only).
 *
 * The current processor comes from the thread's rseq area, which glibc
 * (2.35 and later) registers with the kernel for every thread and the kernel
 * keeps up to date at each migration: one load, where sched_getcpu() costs a
 * vDSO call.  Where there is no registered area (an older glibc, the
 * glibc.pthread.rseq=0 tunable, valgrind) sched_getcpu() answers.
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>
#if defined(__has_include)
# if __has_include(<sys/rseq.h>)
#  include <sys/rseq.h>
#  define HAVE_RSEQ_AREA 1
# endif
#endif

#include "hostkrnl_private.h"

#define AFFINITY_BITS (sizeof(ULONG_PTR) * 8)

static volatile ULONG online_count;     /* 0 until first asked */

/* the affinity the thread had before its first system affinity */
static _Thread_local cpu_set_t saved_affinity;

/* The processor the kernel last saw the thread on, from its rseq area; -1
 * when the thread has none. */
static inline int rseq_cpu(void)
{
#if defined(HAVE_RSEQ_AREA) && (defined(__x86_64__) || defined(__aarch64__) || defined(__i386__))
    if (__rseq_size)
    {
        const volatile struct rseq *area =
            (const volatile struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
        int cpu = (int)__atomic_load_n(&area->cpu_id, __ATOMIC_RELAXED);

        if (cpu >= 0) return cpu;
    }
#endif
    return -1;
}

ULONG hostkrnl_current_processor(USHORT *group, UCHAR *number)
{
    int cpu = rseq_cpu();
    ULONG index;

    if (cpu < 0) cpu = sched_getcpu();
    index = cpu < 0 ? 0 : (ULONG)cpu;

    *group = (USHORT)(index / HOSTKRNL_GROUP_SIZE);
    *number = (UCHAR)(index % HOSTKRNL_GROUP_SIZE);
    return index;
}

ULONG hostkrnl_active_processors(USHORT group)
{
    ULONG count = __atomic_load_n(&online_count, __ATOMIC_RELAXED);

    if (!count)
    {
        long online = sysconf(_SC_NPROCESSORS_ONLN);

        count = online > 0 ? (ULONG)online : 1;
        __atomic_store_n(&online_count, count, __ATOMIC_RELAXED);
    }
    return hostkrnl_group_processors(count, group);
}

ULONG hostkrnl_cache_line_size(void)
{
    static const int names[] = { _SC_LEVEL1_DCACHE_LINESIZE, _SC_LEVEL2_CACHE_LINESIZE, _SC_LEVEL3_CACHE_LINESIZE };
    ULONG size = 0;
    unsigned int i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    {
        long value = sysconf(names[i]);
        if (value > 0 && (ULONG)value > size) size = (ULONG)value;
    }
    for (i = 0;; i++)
    {
        char path[80];
        unsigned long value;
        FILE *file;
        int ok;

        snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%u/coherency_line_size", i);
        if (!(file = fopen(path, "r"))) break;
        ok = fscanf(file, "%lu", &value) == 1;
        fclose(file);
        if (ok && value > size && value <= 0x10000) size = (ULONG)value;
    }
    return size;
}

BOOLEAN hostkrnl_save_affinity(void)
{
    return !pthread_getaffinity_np(pthread_self(), sizeof(saved_affinity), &saved_affinity);
}

BOOLEAN hostkrnl_set_affinity(ULONG_PTR mask)
{
    long configured = sysconf(_SC_NPROCESSORS_CONF);
    cpu_set_t set;
    unsigned int i;

    if (!mask) return FALSE;
    if (configured > 0 && (size_t)configured < AFFINITY_BITS && (mask >> configured)) return FALSE;
    CPU_ZERO(&set);
    for (i = 0; i < AFFINITY_BITS; i++)
        if (mask & ((ULONG_PTR)1 << i)) CPU_SET(i, &set);
    return !pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

void hostkrnl_restore_affinity(void)
{
    pthread_setaffinity_np(pthread_self(), sizeof(saved_affinity), &saved_affinity);
}
