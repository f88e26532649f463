/*
 * Host kernel services: thread objects
 *
 * A thread object is reference counted.  The handle from PsCreateSystemThread
 * owns one reference, the running thread another, ObReferenceObjectByHandle
 * adds more; the object is freed when the last one goes.  Since the thread
 * keeps its reference until after it has signaled its end, a waiter may drop
 * its own references as soon as its wait is satisfied.
 *
 * The object is signaled once the thread has run its routine and the host
 * thread has ended (hostkrnl_port.h), as a kernel thread object is once the
 * thread has terminated: nothing of a thread that was waited for still runs.
 */

#include <stdlib.h>

#include "hostkrnl_private.h"
#include "hostkrnl.h"

struct _OBJECT_TYPE
{
    const char *Name;
};

static struct _OBJECT_TYPE thread_object_type = { "Thread" };
static POBJECT_TYPE thread_object_type_ptr = &thread_object_type;

/***********************************************************************
 *           PsThreadType   (NTOSKRNL.EXE.@)
 */
POBJECT_TYPE *PsThreadType = &thread_object_type_ptr;

static struct hostkrnl_thread *thread_from_object(PVOID object, const char *function)
{
    struct hostkrnl_thread *thread = object;

    if (!thread || thread->Type != HOSTKRNL_THREAD_OBJECT)
        hostkrnl_bug("%s: %p is not a referenced object", function, object);
    return thread;
}

ULONG_PTR hostkrnl_new_thread_id(void)
{
    static volatile LONG last_thread_id;

    /* in steps of 4, as Wine's thread IDs come */
    return (ULONG_PTR)(ULONG)InterlockedIncrement(&last_thread_id) * 4;
}

struct hostkrnl_thread *hostkrnl_alloc_thread(PKSTART_ROUTINE start, PVOID context)
{
    struct hostkrnl_thread *thread = malloc(sizeof(*thread));

    if (!thread) return NULL;
    thread->Type = HOSTKRNL_THREAD_OBJECT;
    thread->RefCount = 2;
    thread->Finished = 0;
    thread->ExitStatus = STATUS_SUCCESS;
    thread->StartRoutine = start;
    thread->StartContext = context;
    thread->ThreadId = hostkrnl_new_thread_id();
    thread->Host = 0;
    return thread;
}

void hostkrnl_reference_object(PVOID object)
{
    struct hostkrnl_thread *thread = thread_from_object(object, "ObReferenceObject");

    if (__atomic_fetch_add(&thread->RefCount, 1, __ATOMIC_RELAXED) <= 0)
        hostkrnl_bug("ObReferenceObject: object %p has no references left", object);
}

/***********************************************************************
 *           ObDereferenceObject   (NTOSKRNL.EXE.@)
 */
VOID NTAPI ObDereferenceObject(PVOID Object)
{
    struct hostkrnl_thread *thread = thread_from_object(Object, "ObDereferenceObject");
    LONG refs;

    hostkrnl_check_irql("ObDereferenceObject", DISPATCH_LEVEL);
    refs = __atomic_sub_fetch(&thread->RefCount, 1, __ATOMIC_ACQ_REL);
    if (refs < 0) hostkrnl_bug("ObDereferenceObject: object %p dereferenced once too often", Object);
    if (refs) return;
    thread->Type = 0;
    hostkrnl_close_host_thread(thread->Host);
    free(thread);
}

void hostkrnl_thread_finished(struct hostkrnl_thread *thread, NTSTATUS status)
{
    thread->ExitStatus = status;
    __atomic_store_n(&thread->Finished, 1, __ATOMIC_SEQ_CST);
    /* the thread's own reference keeps the object alive for the wake */
    hostkrnl_wake_address(&thread->Finished, TRUE);
    ObDereferenceObject(thread);
}

NTSTATUS hostkrnl_wait_thread(struct hostkrnl_thread *thread, BOOLEAN poll, const LONGLONG *deadline)
{
    while (!__atomic_load_n(&thread->Finished, __ATOMIC_ACQUIRE))
    {
        if (poll || !hostkrnl_wait_on_address(&thread->Finished, 0, deadline)) return STATUS_TIMEOUT;
    }
    return hostkrnl_wait_host_thread(thread->Host, poll, deadline) ? STATUS_SUCCESS : STATUS_TIMEOUT;
}

/***********************************************************************
 *           HostKrnlThreadRunning   (hostkrnl)
 */
BOOLEAN HostKrnlThreadRunning(PVOID Thread)
{
    struct hostkrnl_thread *thread = thread_from_object(Thread, "HostKrnlThreadRunning");

    if (!__atomic_load_n(&thread->Finished, __ATOMIC_ACQUIRE)) return TRUE;
    return !hostkrnl_wait_host_thread(thread->Host, TRUE, NULL);
}
