/*
 * Host kernel services: system threads
 *
 * PsCreateSystemThread starts a host thread (hostkrnl_port.h); the
 * thread's end is observed through its thread object (object.c), which
 * keeps what the port needs to wait for the host thread's end.
 */

#include "hostkrnl_private.h"
#include "hostkrnl.h"

static _Thread_local struct hostkrnl_thread *current_thread;
static _Thread_local ULONG_PTR other_thread_id;     /* of a thread PsCreateSystemThread did not start */
static _Thread_local ULONG_PTR simulated_thread_id; /* 0: none */

void hostkrnl_thread_main(void *context)
{
    struct hostkrnl_thread *thread = context;

    current_thread = thread;
    thread->StartRoutine(thread->StartContext);
    if (KeGetCurrentIrql() != PASSIVE_LEVEL)
        hostkrnl_bug("IRQL_NOT_LESS_OR_EQUAL: system thread %p returned at IRQL %u",
                     (void *)thread, KeGetCurrentIrql());
    current_thread = NULL;
    hostkrnl_thread_finished(thread, STATUS_SUCCESS);
}

/***********************************************************************
 *           PsCreateSystemThread   (NTOSKRNL.EXE.@)
 */
NTSTATUS NTAPI PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                    HANDLE ProcessHandle, PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine,
                                    PVOID StartContext)
{
    struct hostkrnl_thread *thread;
    HANDLE handle;
    NTSTATUS status;

    (void)DesiredAccess;
    (void)ObjectAttributes;
    (void)ProcessHandle;
    hostkrnl_check_irql("PsCreateSystemThread", PASSIVE_LEVEL);
    if (!ThreadHandle || !StartRoutine) return STATUS_INVALID_PARAMETER;

    if (!(thread = hostkrnl_alloc_thread(StartRoutine, StartContext))) return STATUS_INSUFFICIENT_RESOURCES;
    if ((status = hostkrnl_create_handle(thread, &handle)))
    {
        thread->RefCount = 1;
        ObDereferenceObject(thread);
        return status;
    }

    if (!hostkrnl_start_thread(thread, &thread->Host))
    {
        ZwClose(handle);
        ObDereferenceObject(thread); /* the reference the thread would have had */
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    if (ClientId)
    {
        ClientId->UniqueProcess = (HANDLE)(ULONG_PTR)hostkrnl_process_id();
        ClientId->UniqueThread = (HANDLE)thread->ThreadId;
    }
    *ThreadHandle = handle;
    return STATUS_SUCCESS;
}

/***********************************************************************
 *           PsGetCurrentThreadId   (NTOSKRNL.EXE.@)
 */
HANDLE NTAPI PsGetCurrentThreadId(void)
{
    if (simulated_thread_id) return (HANDLE)simulated_thread_id;
    if (current_thread) return (HANDLE)current_thread->ThreadId;
    if (!other_thread_id) other_thread_id = hostkrnl_new_thread_id();
    return (HANDLE)other_thread_id;
}

/***********************************************************************
 *           HostKrnlSetCurrentThreadId   (hostkrnl)
 */
VOID HostKrnlSetCurrentThreadId(HANDLE id)
{
    simulated_thread_id = (ULONG_PTR)id;
}

/***********************************************************************
 *           HostKrnlProcessCpuTime   (hostkrnl)
 */
LONGLONG HostKrnlProcessCpuTime(VOID)
{
    return hostkrnl_process_cpu_time();
}

/***********************************************************************
 *           PsTerminateSystemThread   (NTOSKRNL.EXE.@)
 */
NTSTATUS NTAPI PsTerminateSystemThread(NTSTATUS ExitStatus)
{
    struct hostkrnl_thread *thread = current_thread;

    if (!thread)
        hostkrnl_bug("PsTerminateSystemThread: the calling thread was not created by PsCreateSystemThread");
    hostkrnl_check_irql("PsTerminateSystemThread", PASSIVE_LEVEL);
    current_thread = NULL;
    hostkrnl_thread_finished(thread, ExitStatus);
    hostkrnl_exit_thread();
}
