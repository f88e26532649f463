/*
 * Win32 port: processors and affinity
 *
 * The processor primitives of hostkrnl_port.h.  The system-wide processor
 * index is Windows': with full groups of 64, processor number n of group g
 * is index g * 64 + n, as in the Linux port.  An affinity mask is a mask of
 * group 0, bit i for processor i.  This file includes <windows.h>, and so
 * nothing of wdm.h (see hostkrnl_port.h).
 */

#ifndef _WIN32_WINNT
# define _WIN32_WINNT 0x0602
#endif
#include <windows.h>
#include <stdlib.h>

#include "ntrundown_types.h"
#include "hostkrnl_port.h"

static ULONG active_count(WORD group)
{
    return GetActiveProcessorCount(group);
}

ULONG hostkrnl_current_processor(USHORT *group, UCHAR *number)
{
    PROCESSOR_NUMBER current;
    ULONG index = 0;
    WORD g;

    GetCurrentProcessorNumberEx(&current);
    for (g = 0; g < current.Group; g++) index += active_count(g);
    *group = current.Group;
    *number = current.Number;
    return index + current.Number;
}

ULONG hostkrnl_active_processors(USHORT group)
{
    return active_count(group);
}

ULONG hostkrnl_cache_line_size(void)
{
    SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *info;
    DWORD len = 0, offset;
    ULONG size = 0;
    char *buffer;

    if (GetLogicalProcessorInformationEx(RelationCache, NULL, &len) ||
        GetLastError() != ERROR_INSUFFICIENT_BUFFER || !len)
        return 0;
    if (!(buffer = malloc(len))) return 0;
    if (GetLogicalProcessorInformationEx(RelationCache, (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)buffer, &len))
    {
        for (offset = 0; offset + sizeof(info->Relationship) + sizeof(info->Size) <= len; offset += info->Size)
        {
            info = (SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX *)(buffer + offset);
            if (!info->Size || offset + info->Size > len) break;
            if (info->Relationship == RelationCache && info->Cache.LineSize > size)
                size = info->Cache.LineSize;
        }
    }
    free(buffer);
    return size;
}

/* the affinity the thread had before its first system affinity */
static _Thread_local GROUP_AFFINITY saved_affinity;

BOOLEAN hostkrnl_save_affinity(void)
{
    return GetThreadGroupAffinity(GetCurrentThread(), &saved_affinity) != 0;
}

BOOLEAN hostkrnl_set_affinity(ULONG_PTR mask)
{
    ULONG configured = active_count(0);
    DWORD_PTR process_mask, system_mask;
    GROUP_AFFINITY affinity;

    if (!mask) return FALSE;
    if (configured < sizeof(mask) * 8 && (mask >> configured)) return FALSE;
    /* as with sched_setaffinity, processors outside the process' affinity
     * are dropped, and the mask is valid if any are left */
    if (GetProcessAffinityMask(GetCurrentProcess(), &process_mask, &system_mask) && process_mask)
    {
        if (!(mask & process_mask)) return FALSE;
        mask &= process_mask;
    }
    ZeroMemory(&affinity, sizeof(affinity));
    affinity.Group = 0;
    affinity.Mask = mask;
    return SetThreadGroupAffinity(GetCurrentThread(), &affinity, NULL) != 0;
}

void hostkrnl_restore_affinity(void)
{
    SetThreadGroupAffinity(GetCurrentThread(), &saved_affinity, NULL);
}
