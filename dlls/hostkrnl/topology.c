/*
 * Host kernel services: processors
 *
 * Which processor the thread runs on, how many processors there are (or a
 * simulated count, for tests), and the cache line size, on the processor
 * primitives of the host port (hostkrnl_port.h).  Processors come in groups
 * of HOSTKRNL_GROUP_SIZE.
 */

#include "hostkrnl_private.h"
#include "hostkrnl.h"

static volatile ULONG simulated_count;
static volatile ULONG line_size;        /* 0 until first asked */

ULONG hostkrnl_group_processors(ULONG count, USHORT group)
{
    if (group == ALL_PROCESSOR_GROUPS) return count;
    if (count <= (ULONG)group * HOSTKRNL_GROUP_SIZE) return 0;
    count -= (ULONG)group * HOSTKRNL_GROUP_SIZE;
    return count < HOSTKRNL_GROUP_SIZE ? count : HOSTKRNL_GROUP_SIZE;
}

/***********************************************************************
 *           KeGetCurrentProcessorNumberEx   (NTOSKRNL.EXE.@)
 */
ULONG NTAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
    USHORT group;
    UCHAR number;
    ULONG index;

    index = hostkrnl_current_processor(&group, &number);

    if (ProcNumber)
    {
        ProcNumber->Group = group;
        ProcNumber->Number = number;
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

    if (!count)
    {
        count = hostkrnl_active_processors(GroupNumber);
        /* the whole system has one processor at least */
        return GroupNumber == ALL_PROCESSOR_GROUPS && !count ? 1 : count;
    }
    /* a simulated count fills full groups */
    return hostkrnl_group_processors(count, GroupNumber);
}

/***********************************************************************
 *           HostKrnlSetActiveProcessorCount   (hostkrnl)
 */
VOID HostKrnlSetActiveProcessorCount(ULONG count)
{
    __atomic_store_n(&simulated_count, count, __ATOMIC_RELAXED);
}

/***********************************************************************
 *           KeGetRecommendedSharedDataAlignment   (NTOSKRNL.EXE.@)
 */
ULONG NTAPI KeGetRecommendedSharedDataAlignment(VOID)
{
    ULONG size = __atomic_load_n(&line_size, __ATOMIC_RELAXED);

    if (!size)
    {
        if (!(size = hostkrnl_cache_line_size())) size = 64;
        __atomic_store_n(&line_size, size, __ATOMIC_RELAXED);
    }
    return size;
}
