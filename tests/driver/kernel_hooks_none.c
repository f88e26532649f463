/*
 * The suite's kernel hooks in a kernel driver: a real kernel has none
 */

#include "kernel_hooks.h"

BOOLEAN hooks_available(void)
{
    return FALSE;
}

void hooks_pool_fail(ULONG succeed, ULONG fail)
{
    (void)succeed;
    (void)fail;
}

LONG hooks_pool_outstanding(void)
{
    return 0;
}

void hooks_pool_line_offset(ULONG offset)
{
    (void)offset;
}

ULONG hooks_pool_tag(PVOID block)
{
    (void)block;
    return 0;
}

SIZE_T hooks_pool_size(PVOID block)
{
    (void)block;
    return 0;
}

POOL_TYPE hooks_pool_type(PVOID block)
{
    (void)block;
    return NonPagedPool;
}

void hooks_processor_count(ULONG count)
{
    (void)count;
}

void hooks_current_thread_id(ULONG_PTR id)
{
    (void)id;
}

void hooks_interlocked(INTERLOCKED_HOOK hook, PVOID context)
{
    (void)hook;
    (void)context;
}

LONGLONG hooks_process_cpu_time(void)
{
    return -1;
}

BOOLEAN hooks_thread_running(PVOID thread)
{
    (void)thread;
    return FALSE;
}

LONG hooks_event_sets(void)
{
    return 0;
}
