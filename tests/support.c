/*
 * Kernel-mode helpers for the conformance suite
 */

#include "support.h"

static LARGE_INTEGER relative_ms(ULONG ms)
{
    LARGE_INTEGER interval;

    interval.QuadPart = -(LONGLONG)ms * 10000;
    return interval;
}

TEST_THREAD thread_start(PKSTART_ROUTINE routine, PVOID context)
{
    OBJECT_ATTRIBUTES attr;
    HANDLE handle;
    PVOID thread = NULL;

    InitializeObjectAttributes(&attr, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, &attr, NULL, NULL, routine, context)))
        return NULL;
    if (!NT_SUCCESS(ObReferenceObjectByHandle(handle, SYNCHRONIZE, *PsThreadType, KernelMode, &thread, NULL)))
        thread = NULL;
    ZwClose(handle);
    return thread;
}

BOOLEAN thread_wait(TEST_THREAD thread, ULONG timeout_ms)
{
    LARGE_INTEGER timeout = relative_ms(timeout_ms);

    return KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &timeout) == STATUS_SUCCESS;
}

void thread_close(TEST_THREAD thread)
{
    if (!thread) return;
    KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, NULL);
    ObDereferenceObject(thread);
}

static VOID NTAPI waiter_thread(PVOID context)
{
    struct waiter *waiter = context;

    waiter->wait(waiter->ref);
    KeSetEvent(&waiter->done, 0, FALSE);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

BOOLEAN waiter_start(struct waiter *waiter, WAIT_ROUTINE wait, PVOID ref)
{
    waiter->wait = wait;
    waiter->ref = ref;
    KeInitializeEvent(&waiter->done, NotificationEvent, FALSE);
    waiter->thread = thread_start(waiter_thread, waiter);
    return waiter->thread != NULL;
}

BOOLEAN waiter_finished(struct waiter *waiter, ULONG timeout_ms)
{
    return event_wait(&waiter->done, timeout_ms);
}

void waiter_close(struct waiter *waiter)
{
    thread_close(waiter->thread);
}

BOOLEAN wait_returns(WAIT_ROUTINE wait, PVOID ref)
{
    struct waiter waiter;

    if (!waiter_start(&waiter, wait, ref) || !waiter_finished(&waiter, TEST_TIMEOUT_MS)) return FALSE;
    waiter_close(&waiter);
    return TRUE;
}

void sleep_ms(ULONG ms)
{
    LARGE_INTEGER interval = relative_ms(ms);

    KeDelayExecutionThread(KernelMode, FALSE, &interval);
}

BOOLEAN event_wait(PKEVENT event, ULONG timeout_ms)
{
    LARGE_INTEGER timeout = relative_ms(timeout_ms);

    return KeWaitForSingleObject(event, Executive, KernelMode, FALSE, &timeout) == STATUS_SUCCESS;
}

BOOLEAN poll_word(volatile ULONG_PTR *word, ULONG_PTR mask, ULONG timeout_ms)
{
    ULONG waited;

    for (waited = 0; !(read_word(word) & mask); waited++)
    {
        if (waited >= timeout_ms) return FALSE;
        sleep_ms(1);
    }
    return TRUE;
}

ULONG processor_count(void)
{
    return KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS);
}

ULONG current_processor(void)
{
    return KeGetCurrentProcessorNumberEx(NULL);
}

BOOLEAN pin_to_processor(ULONG index, KAFFINITY *previous)
{
    if (index >= sizeof(KAFFINITY) * 8) return FALSE;
    *previous = KeSetSystemAffinityThreadEx((KAFFINITY)1 << index);
    if (current_processor() == index) return TRUE;
    KeRevertToUserAffinityThreadEx(*previous);
    return FALSE;
}

void unpin(KAFFINITY previous)
{
    KeRevertToUserAffinityThreadEx(previous);
}

ULONG next_random(ULONG *state)
{
    *state = *state * 1103515245 + 12345;
    return *state >> 16;
}
