/*
 * Host port: processors and affinity, on Linux
 *
 * The processor primitives of hostkrnl_port.h.  Processor i of the host is
 * system-wide processor index i; it is number i % 64 of group i / 64, and
 * bit i of an affinity mask (group 0 only).
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "hostkrnl_private.h"

#define AFFINITY_BITS (sizeof(ULONG_PTR) * 8)

static volatile ULONG online_count;     /* 0 until first asked */

/* the affinity the thread had before its first system affinity */
static _Thread_local cpu_set_t saved_affinity;

ULONG hostkrnl_current_processor(USHORT *group, UCHAR *number)
{
    int cpu = sched_getcpu();
    ULONG index = cpu < 0 ? 0 : (ULONG)cpu;

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
