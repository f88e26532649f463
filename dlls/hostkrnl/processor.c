/*
 * Host port: processors and affinity, on Linux
 *
 * Processor i of the host is system-wide processor index i; it is number
 * i % 64 of group i / 64, and bit i of a KAFFINITY (group 0 only).
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "hostkrnl_private.h"

#define GROUP_SIZE 64
#define AFFINITY_BITS (sizeof(KAFFINITY) * 8)

static volatile ULONG simulated_count;
static volatile ULONG online_count;     /* 0 until first asked */
static volatile ULONG line_size;        /* 0 until first asked */

/* Whether the thread runs with a system affinity, which one, and the user
 * affinity it had before, to go back to. */
static _Thread_local BOOLEAN system_affinity_active;
static _Thread_local KAFFINITY system_affinity;
static _Thread_local cpu_set_t user_affinity;

/***********************************************************************
 *           KeGetCurrentProcessorNumberEx   (NTOSKRNL.EXE.@)
 */
ULONG NTAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
    int cpu = sched_getcpu();
    ULONG index = cpu < 0 ? 0 : (ULONG)cpu;

    if (ProcNumber)
    {
        ProcNumber->Group = (USHORT)(index / GROUP_SIZE);
        ProcNumber->Number = (UCHAR)(index % GROUP_SIZE);
        ProcNumber->Reserved = 0;
    }
    return index;
}

/***********************************************************************
 *           KeQueryActiveProcessorCountEx   (NTOSKRNL.EXE.@)
 */
ULONG NTAPI KeQueryActiveProcessorCountEx(USHORT GroupNumber)
{
    ULONG count = __atomic_load_n(&simulated_count, __ATOMIC_RELAXED);

    if (!count && !(count = __atomic_load_n(&online_count, __ATOMIC_RELAXED)))
    {
        long online = sysconf(_SC_NPROCESSORS_ONLN);

        count = online > 0 ? (ULONG)online : 1;
        __atomic_store_n(&online_count, count, __ATOMIC_RELAXED);
    }
    if (GroupNumber == ALL_PROCESSOR_GROUPS) return count;
    if (count <= (ULONG)GroupNumber * GROUP_SIZE) return 0;
    count -= (ULONG)GroupNumber * GROUP_SIZE;
    return count < GROUP_SIZE ? count : GROUP_SIZE;
}

/***********************************************************************
 *           HostKrnlSetActiveProcessorCount   (hostkrnl)
 */
VOID HostKrnlSetActiveProcessorCount(ULONG count)
{
    __atomic_store_n(&simulated_count, count, __ATOMIC_RELAXED);
}

static ULONG read_line_size(void)
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
    return size ? size : 64;
}

/***********************************************************************
 *           KeGetRecommendedSharedDataAlignment   (NTOSKRNL.EXE.@)
 */
ULONG NTAPI KeGetRecommendedSharedDataAlignment(VOID)
{
    ULONG size = __atomic_load_n(&line_size, __ATOMIC_RELAXED);

    if (!size)
    {
        size = read_line_size();
        __atomic_store_n(&line_size, size, __ATOMIC_RELAXED);
    }
    return size;
}

/* Applies a mask if it is valid: nonzero, only bits of configured processors,
 * at least one of them usable. */
static BOOLEAN set_affinity_mask(KAFFINITY affinity)
{
    long configured = sysconf(_SC_NPROCESSORS_CONF);
    cpu_set_t set;
    unsigned int i;

    if (!affinity) return FALSE;
    if (configured > 0 && (size_t)configured < AFFINITY_BITS && (affinity >> configured)) return FALSE;
    CPU_ZERO(&set);
    for (i = 0; i < AFFINITY_BITS; i++)
        if (affinity & ((KAFFINITY)1 << i)) CPU_SET(i, &set);
    return !pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/***********************************************************************
 *           KeSetSystemAffinityThreadEx   (NTOSKRNL.EXE.@)
 *
 * As on Windows, returns the previous system affinity, or 0 when the thread
 * ran with its user affinity; an invalid mask changes nothing.
 */
KAFFINITY NTAPI KeSetSystemAffinityThreadEx(KAFFINITY Affinity)
{
    KAFFINITY previous = system_affinity_active ? system_affinity : 0;

    hostkrnl_check_irql("KeSetSystemAffinityThreadEx", DISPATCH_LEVEL);
    if (!system_affinity_active &&
        pthread_getaffinity_np(pthread_self(), sizeof(user_affinity), &user_affinity))
        return previous;
    if (!set_affinity_mask(Affinity)) return previous;
    system_affinity_active = TRUE;
    system_affinity = Affinity;
    return previous;
}

/***********************************************************************
 *           KeRevertToUserAffinityThreadEx   (NTOSKRNL.EXE.@)
 */
VOID NTAPI KeRevertToUserAffinityThreadEx(KAFFINITY Affinity)
{
    hostkrnl_check_irql("KeRevertToUserAffinityThreadEx", DISPATCH_LEVEL);
    if (!system_affinity_active) return;
    if (Affinity)
    {
        if (set_affinity_mask(Affinity)) system_affinity = Affinity;
        return;
    }
    pthread_setaffinity_np(pthread_self(), sizeof(user_affinity), &user_affinity);
    system_affinity_active = FALSE;
}
