/*
 * Host port: system threads, on POSIX threads
 *
 * System threads are detached pthreads.  Their ends are observed through
 * their thread objects (object.c), never by joining.
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <unistd.h>

#include "hostkrnl_private.h"

static _Thread_local struct hostkrnl_thread *current_thread;

static void *system_thread_start(void *arg)
{
    struct hostkrnl_thread *thread = arg;

    current_thread = thread;
    thread->StartRoutine(thread->StartContext);
    if (KeGetCurrentIrql() != PASSIVE_LEVEL)
        hostkrnl_bug("IRQL_NOT_LESS_OR_EQUAL: system thread %p returned at IRQL %u",
                     (void *)thread, KeGetCurrentIrql());
    current_thread = NULL;
    hostkrnl_thread_finished(thread, STATUS_SUCCESS);
    return NULL;
}

/***********************************************************************
 *           PsCreateSystemThread   (NTOSKRNL.EXE.@)
 */
NTSTATUS NTAPI PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                    HANDLE ProcessHandle, PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine,
                                    PVOID StartContext)
{
    struct hostkrnl_thread *thread;
    pthread_attr_t attr;
    pthread_t pthread;
    HANDLE handle;
    NTSTATUS status;
    int err;

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

    if (!(err = pthread_attr_init(&attr)))
    {
        err = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (!err) err = pthread_create(&pthread, &attr, system_thread_start, thread);
        pthread_attr_destroy(&attr);
    }
    if (err)
    {
        ZwClose(handle);
        ObDereferenceObject(thread); /* the reference the thread would have had */
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    if (ClientId)
    {
        ClientId->UniqueProcess = (HANDLE)(ULONG_PTR)getpid();
        ClientId->UniqueThread = (HANDLE)thread->ThreadId;
    }
    *ThreadHandle = handle;
    return STATUS_SUCCESS;
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
    pthread_exit(NULL);
}
