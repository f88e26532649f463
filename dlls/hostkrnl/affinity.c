/*
 * Host kernel services: system affinity of threads
 *
 * A KAFFINITY is a mask of processor group 0, bit i for processor i.  The
 * thread's user affinity, to go back to, is kept by the host port
 * (hostkrnl_save_affinity in hostkrnl_port.h).
 */

#include "hostkrnl_private.h"

/* Whether the thread runs with a system affinity, and which one. */
static _Thread_local BOOLEAN system_affinity_active;
static _Thread_local KAFFINITY system_affinity;

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
    if (!system_affinity_active && !hostkrnl_save_affinity()) return previous;
    if (!hostkrnl_set_affinity(Affinity)) return previous;
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
        if (hostkrnl_set_affinity(Affinity)) system_affinity = Affinity;
        return;
    }
    hostkrnl_restore_affinity();
    system_affinity_active = FALSE;
}
