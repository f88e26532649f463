/*
 * Host kernel services: interrupt request levels
 *
 * The IRQL is a per-thread number and nothing more: raising it masks no
 * interrupts and does not stop preemption.  It is there so that the callers'
 * IRQL discipline can be checked.
 */

#include "hostkrnl_private.h"

static _Thread_local KIRQL current_irql = PASSIVE_LEVEL;

/***********************************************************************
 *           KeGetCurrentIrql   (NTOSKRNL.EXE.@)
 */
KIRQL KeGetCurrentIrql(void)
{
    return current_irql;
}

/***********************************************************************
 *           KeRaiseIrql   (NTOSKRNL.EXE.@)
 */
VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql)
{
    if (NewIrql < current_irql)
        hostkrnl_bug("IRQL_NOT_GREATER_OR_EQUAL: KeRaiseIrql to %u at IRQL %u", NewIrql, current_irql);
    *OldIrql = current_irql;
    current_irql = NewIrql;
}

/***********************************************************************
 *           KeLowerIrql   (NTOSKRNL.EXE.@)
 */
VOID KeLowerIrql(KIRQL NewIrql)
{
    if (NewIrql > current_irql)
        hostkrnl_bug("IRQL_NOT_LESS_OR_EQUAL: KeLowerIrql to %u at IRQL %u", NewIrql, current_irql);
    current_irql = NewIrql;
}

void hostkrnl_check_irql(const char *function, KIRQL max_irql)
{
    if (current_irql > max_irql)
        hostkrnl_bug("IRQL_NOT_LESS_OR_EQUAL: %s called at IRQL %u, allowed up to %u",
                     function, current_irql, max_irql);
}
