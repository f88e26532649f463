/*
 * The suite's kernel hooks over the emulated kernel services (hostkrnl.h)
 */

#include "kernel_hooks.h"
#include "hostkrnl.h"

BOOLEAN hooks_available(void)
{
    return TRUE;
}

void hooks_pool_fail(ULONG succeed, ULONG fail)
{
    HostKrnlPoolFailAllocations(succeed, fail);
}

LONG hooks_pool_outstanding(void)
{
    return HostKrnlPoolOutstanding();
}

void hooks_pool_line_offset(ULONG offset)
{
    HostKrnlPoolSetLineOffset(offset);
}

ULONG hooks_pool_tag(PVOID block)
{
    return HostKrnlPoolTag(block);
}

SIZE_T hooks_pool_size(PVOID block)
{
    return HostKrnlPoolSize(block);
}

POOL_TYPE hooks_pool_type(PVOID block)
{
    return HostKrnlPoolType(block);
}

void hooks_processor_count(ULONG count)
{
    HostKrnlSetActiveProcessorCount(count);
}

void hooks_current_thread_id(ULONG_PTR id)
{
    HostKrnlSetCurrentThreadId((HANDLE)id);
}

void hooks_interlocked(INTERLOCKED_HOOK hook, PVOID context)
{
    HostKrnlSetInterlockedHook(hook, context);
}

LONGLONG hooks_process_cpu_time(void)
{
    return HostKrnlProcessCpuTime();
}

BOOLEAN hooks_thread_running(PVOID thread)
{
    return HostKrnlThreadRunning(thread);
}

LONG hooks_event_sets(void)
{
    return HostKrnlEventSets();
}
