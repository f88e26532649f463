/*
 * Win32 port: processors and affinity
 *
 * The system-wide processor index is Windows' (win32_api.c): with full
 * groups of 64, processor number n of group g is index g * 64 + n, as in the
 * Linux port.  A KAFFINITY is a mask of group 0, bit i for processor i.
 */

#include "hostkrnl_private.h"
#include "hostkrnl_win32.h"

#define GROUP_SIZE 64

static volatile ULONG simulated_count;
static volatile ULONG line_size;        /* 0 until first asked */

/* Whether the thread runs with a system affinity, and which one; the user
 * affinity to go back to is win32_api.c's. */
static _Thread_local BOOLEAN system_affinity_active;
static _Thread_local KAFFINITY system_affinity;

/***********************************************************************
 *           KeGetCurrentProcessorNumberEx   (NTOSKRNL.EXE.@)
 */
ULONG NTAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber)
{
    USHORT group;
    UCHAR number;
    ULONG index = hostkrnl_win32_current_processor(&group, &number);

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
        count = hostkrnl_win32_active_processors(GroupNumber);
        /* the whole system has one processor at least */
        return GroupNumber == ALL_PROCESSOR_GROUPS && !count ? 1 : count;
    }
    /* a simulated count fills groups of 64, as in the Linux port */
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

/***********************************************************************
 *           KeGetRecommendedSharedDataAlignment   (NTOSKRNL.EXE.@)
 */
ULONG NTAPI KeGetRecommendedSharedDataAlignment(VOID)
{
    ULONG size = __atomic_load_n(&line_size, __ATOMIC_RELAXED);

    if (!size)
    {
        if (!(size = hostkrnl_win32_cache_line_size())) size = 64;
        __atomic_store_n(&line_size, size, __ATOMIC_RELAXED);
    }
    return size;
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
    if (!system_affinity_active && !hostkrnl_win32_save_affinity()) return previous;
    if (!hostkrnl_win32_set_affinity(Affinity)) return previous;
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
        if (hostkrnl_win32_set_affinity(Affinity)) system_affinity = Affinity;
        return;
    }
    hostkrnl_win32_restore_affinity();
    system_affinity_active = FALSE;
}
