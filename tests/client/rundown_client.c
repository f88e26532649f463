/*
 * rundown_client.sys: a driver that uses rundown protection the way any
 * third-party driver does
 *
 * It includes nothing but MinGW-w64's <ddk/wdm.h> and imports the 19
 * routines from ntoskrnl.exe like every other kernel routine.  DriverEntry
 * runs the patterns that public drivers use (the project's docs/provenance.md
 * lists them: Microsoft's xdp-for-windows, msquic, ebpf-for-windows, DMF,
 * NetAdapterCx) and returns STATUS_SUCCESS only if rundown protection kept
 * its promises:
 *
 * - a classic EX_RUNDOWN_REF guards a shared counter that worker threads use
 *   while the owner tears it down, three times over (ExReInitialize...);
 * - references that start disabled: a static { EX_RUNDOWN_ACTIVE }, and
 *   Initialize then Wait, both enabled by ExReInitializeRundownProtection;
 *   a ReInitialize right after Initialize, with no rundown between (a
 *   misuse drivers commit, which a free build must survive); a second wait,
 *   and a re-enable with ExInitializeRundownProtection;
 * - a bias of 15 protections taken at once with AcquireEx and given back
 *   one release at a time, the way fast references are built;
 * - a cache-aware reference from ExAllocateCacheAwareRundownProtection that
 *   starts off run down with a Wait and goes through many stop/start cycles
 *   with holders on every processor, then a wait after
 *   ExRundownCompletedCacheAware; and one laid out in a buffer of
 *   ExSizeOfRundownProtectionCacheAware() bytes.
 *
 * The owner waits for the rundown in a thread of its own and gives it ten
 * seconds; a failure or a hang makes DriverEntry fail, so that starting the
 * service fails.  (tests/client/run_client.py starts it under Wine.)
 */

#include <ddk/wdm.h>

#define CLIENT_TAG 0x746e6c43   /* 'Clnt' */
#define WORKERS 8
#define CYCLES 50

/* A system thread that says when it is done. */
struct client_thread
{
    PKSTART_ROUTINE routine;
    PVOID context;
    KEVENT done;
};

struct shared_object
{
    EX_RUNDOWN_REF classic;
    PEX_RUNDOWN_REF_CACHE_AWARE cache_aware;    /* NULL: the classic reference guards it */
    struct client_thread workers[WORKERS], owner;
    volatile LONG users;        /* workers inside the object */
    volatile LONG uses;
    volatile LONG destroyed;
    volatile LONG misuse;       /* uses of a destroyed object */
    volatile LONG stop;
};

static BOOLEAN acquire(struct shared_object *object)
{
    if (object->cache_aware) return ExAcquireRundownProtectionCacheAware(object->cache_aware);
    return ExAcquireRundownProtection(&object->classic);
}

static void release(struct shared_object *object)
{
    if (object->cache_aware) ExReleaseRundownProtectionCacheAware(object->cache_aware);
    else ExReleaseRundownProtection(&object->classic);
}

static volatile LONG next_worker;

static VOID NTAPI worker(PVOID context)
{
    struct shared_object *object = context;
    ULONG processors = KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS), self;
    LARGE_INTEGER pause;
    ULONG round = 0;

    /* the workers spread over the processors */
    self = (ULONG)InterlockedIncrement(&next_worker);
    if (processors > 1 && processors <= sizeof(KAFFINITY) * 8)
        KeSetSystemAffinityThreadEx((KAFFINITY)1 << (self % processors));
    pause.QuadPart = -10000;    /* 1 ms */
    while (!InterlockedCompareExchange(&object->stop, 0, 0))
    {
        if (!acquire(object))
        {
            KeDelayExecutionThread(KernelMode, FALSE, &pause);
            continue;
        }
        InterlockedIncrement(&object->users);
        if (InterlockedCompareExchange(&object->destroyed, 0, 0)) InterlockedIncrement(&object->misuse);
        InterlockedIncrement(&object->uses);
        if (++round % 16 == 0)
        {
            /* somewhere else for a while */
            KAFFINITY old = KeSetSystemAffinityThreadEx((KAFFINITY)1 << (round / 16 % KeQueryActiveProcessorCountEx(ALL_PROCESSOR_GROUPS)));
            KeRevertToUserAffinityThreadEx(old);
        }
        InterlockedDecrement(&object->users);
        release(object);
    }
}

static VOID NTAPI owner_routine(PVOID context)
{
    struct shared_object *object = context;

    if (object->cache_aware) ExWaitForRundownProtectionReleaseCacheAware(object->cache_aware);
    else ExWaitForRundownProtectionRelease(&object->classic);
}

static VOID NTAPI thread_main(PVOID context)
{
    struct client_thread *thread = context;

    thread->routine(thread->context);
    KeSetEvent(&thread->done, IO_NO_INCREMENT, FALSE);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static BOOLEAN start_thread(struct client_thread *thread, PKSTART_ROUTINE routine, PVOID context)
{
    OBJECT_ATTRIBUTES attr;
    HANDLE handle;

    thread->routine = routine;
    thread->context = context;
    KeInitializeEvent(&thread->done, NotificationEvent, FALSE);
    InitializeObjectAttributes(&attr, NULL, OBJ_KERNEL_HANDLE, NULL, NULL);
    if (!NT_SUCCESS(PsCreateSystemThread(&handle, THREAD_ALL_ACCESS, &attr, NULL, NULL, thread_main, thread)))
        return FALSE;
    ZwClose(handle);
    return TRUE;
}

static BOOLEAN wait_thread(struct client_thread *thread, ULONG ms)
{
    LARGE_INTEGER timeout;

    timeout.QuadPart = -(LONGLONG)ms * 10000;
    return KeWaitForSingleObject(&thread->done, Executive, KernelMode, FALSE, &timeout) == STATUS_SUCCESS;
}

/* Rounds: let the workers use the object, tear it down, check, renew. */
static NTSTATUS exercise(struct shared_object *object, ULONG rounds)
{
    LARGE_INTEGER busy;
    ULONG round, i;
    LONG uses;

    object->users = object->uses = object->destroyed = object->misuse = object->stop = 0;
    for (i = 0; i < WORKERS; i++)
        if (!start_thread(&object->workers[i], worker, object)) return STATUS_INSUFFICIENT_RESOURCES;
    busy.QuadPart = -5 * 10000;
    for (round = 0; round < rounds; round++)
    {
        KeDelayExecutionThread(KernelMode, FALSE, &busy);
        if (!start_thread(&object->owner, owner_routine, object)) return STATUS_INSUFFICIENT_RESOURCES;
        if (!wait_thread(&object->owner, 10000)) return STATUS_TIMEOUT;
        if (InterlockedCompareExchange(&object->users, 0, 0)) return STATUS_UNSUCCESSFUL;
        InterlockedExchange(&object->destroyed, 1);
        uses = InterlockedCompareExchange(&object->uses, 0, 0);
        KeDelayExecutionThread(KernelMode, FALSE, &busy);
        if (InterlockedCompareExchange(&object->uses, 0, 0) != uses) return STATUS_UNSUCCESSFUL;
        InterlockedExchange(&object->destroyed, 0);
        if (object->cache_aware) ExReInitializeRundownProtectionCacheAware(object->cache_aware);
        else ExReInitializeRundownProtection(&object->classic);
    }
    InterlockedExchange(&object->stop, 1);
    for (i = 0; i < WORKERS; i++)
        if (!wait_thread(&object->workers[i], 10000)) return STATUS_TIMEOUT;
    if (object->misuse || !object->uses) return STATUS_UNSUCCESSFUL;
    return STATUS_SUCCESS;
}

static VOID NTAPI client_unload(PDRIVER_OBJECT driver)
{
    (void)driver;
}

/* References that start disabled, and the misuse drivers commit. */
static EX_RUNDOWN_REF static_disabled = { { EX_RUNDOWN_ACTIVE } };

static NTSTATUS disabled_starts(void)
{
    EX_RUNDOWN_REF ref;

    /* a static reference that starts run down (xdp, msquic) */
    if (ExAcquireRundownProtection(&static_disabled)) return STATUS_UNSUCCESSFUL;
    ExReInitializeRundownProtection(&static_disabled);
    if (!ExAcquireRundownProtection(&static_disabled)) return STATUS_UNSUCCESSFUL;
    ExReleaseRundownProtection(&static_disabled);
    ExWaitForRundownProtectionRelease(&static_disabled);

    /* Initialize, then Wait: starts closed (xdp, NetAdapterCx, DMF) */
    ExInitializeRundownProtection(&ref);
    ExWaitForRundownProtectionRelease(&ref);
    if (ExAcquireRundownProtection(&ref)) return STATUS_UNSUCCESSFUL;
    ExReInitializeRundownProtection(&ref);
    if (!ExAcquireRundownProtectionEx(&ref, 2)) return STATUS_UNSUCCESSFUL;
    ExReleaseRundownProtectionEx(&ref, 2);
    ExWaitForRundownProtectionRelease(&ref);
    /* a second wait, and a re-enable with Initialize (ebpf) */
    ExWaitForRundownProtectionRelease(&ref);
    ExInitializeRundownProtection(&ref);
    if (!ExAcquireRundownProtection(&ref)) return STATUS_UNSUCCESSFUL;
    ExReleaseRundownProtection(&ref);

    /* ReInitialize right after Initialize, no rundown between */
    ExInitializeRundownProtection(&ref);
    ExReInitializeRundownProtection(&ref);
    if (!ExAcquireRundownProtection(&ref)) return STATUS_UNSUCCESSFUL;
    ExReleaseRundownProtection(&ref);
    ExWaitForRundownProtectionRelease(&ref);
    return STATUS_SUCCESS;
}

/* A bias of protections taken at once and given back one at a time. */
static NTSTATUS bias(struct shared_object *object)
{
    ULONG i;

    ExInitializeRundownProtection(&object->classic);
    if (!ExAcquireRundownProtectionEx(&object->classic, 15)) return STATUS_UNSUCCESSFUL;
    if (!start_thread(&object->owner, owner_routine, object)) return STATUS_INSUFFICIENT_RESOURCES;
    for (i = 0; i < 15; i++)
    {
        if (wait_thread(&object->owner, i ? 1 : 20)) return STATUS_UNSUCCESSFUL;  /* returned too early */
        ExReleaseRundownProtection(&object->classic);
    }
    if (!wait_thread(&object->owner, 10000)) return STATUS_TIMEOUT;
    if (ExAcquireRundownProtection(&object->classic)) return STATUS_UNSUCCESSFUL;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry)
{
    struct shared_object *object;
    SIZE_T size;
    NTSTATUS status;

    (void)registry;
    driver->DriverUnload = client_unload;
    if (!(object = ExAllocatePoolWithTag(NonPagedPool, sizeof(*object), CLIENT_TAG)))
        return STATUS_INSUFFICIENT_RESOURCES;

    if (!NT_SUCCESS(status = disabled_starts())) return status;
    object->cache_aware = NULL;
    if (!NT_SUCCESS(status = bias(object))) return status;

    ExInitializeRundownProtection(&object->classic);
    if (!NT_SUCCESS(status = exercise(object, 3))) return status;
    ExWaitForRundownProtectionRelease(&object->classic);
    ExRundownCompleted(&object->classic);

    /* allocated, and run down at once: it starts closed (xdp) */
    if (!(object->cache_aware = ExAllocateCacheAwareRundownProtection(NonPagedPoolNx, CLIENT_TAG)))
        return STATUS_INSUFFICIENT_RESOURCES;
    ExWaitForRundownProtectionReleaseCacheAware(object->cache_aware);
    if (ExAcquireRundownProtectionCacheAware(object->cache_aware)) return STATUS_UNSUCCESSFUL;
    ExReInitializeRundownProtectionCacheAware(object->cache_aware);
    if (!NT_SUCCESS(status = exercise(object, CYCLES))) return status;
    ExWaitForRundownProtectionReleaseCacheAware(object->cache_aware);
    ExRundownCompletedCacheAware(object->cache_aware);
    ExWaitForRundownProtectionReleaseCacheAware(object->cache_aware);
    ExFreeCacheAwareRundownProtection(object->cache_aware);

    size = ExSizeOfRundownProtectionCacheAware();
    if (!(object->cache_aware = ExAllocatePoolWithTag(NonPagedPoolNx, size, CLIENT_TAG)))
        return STATUS_INSUFFICIENT_RESOURCES;
    ExInitializeRundownProtectionCacheAware(object->cache_aware, size);
    if (ExAcquireRundownProtectionCacheAwareEx(object->cache_aware, 3))
        ExReleaseRundownProtectionCacheAwareEx(object->cache_aware, 3);
    if (ExAcquireRundownProtectionEx(&object->classic, 2)) return STATUS_UNSUCCESSFUL;   /* completed above */
    if (!NT_SUCCESS(status = exercise(object, 3))) return status;
    ExWaitForRundownProtectionReleaseCacheAware(object->cache_aware);
    ExFreePoolWithTag(object->cache_aware, CLIENT_TAG);
    ExFreePoolWithTag(object, CLIENT_TAG);
    return STATUS_SUCCESS;
}
