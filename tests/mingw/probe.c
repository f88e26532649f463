/*
 * A third-party driver's view of the rundown routines: it includes only
 * MinGW-w64's <ddk/wdm.h> (not ntrundown.h, not kernel_compat.h) and calls
 * each of the 19 routines of ntoskrnl.exe, so that its object file references
 * exactly the symbols that wdm.h's declarations give: on i386 "@Name@N" for
 * the FASTCALL routines and "_Name@N" for the NTAPI ones, through __imp_.
 *
 * tests/mingw/check_ntoskrnl_implib.py links it against libntoskrnl_rundown.a
 * + libntoskrnl.a, against libntoskrnl.a alone, and against a libntoskrnl.a
 * made from the patched mingw-w64 ntoskrnl.def.  It is only linked, never
 * loaded; if it were, it would run each routine once and fail its
 * DriverEntry, so that the system unloads it again.
 */
#include <ddk/wdm.h>

/* For ExInitializeRundownProtectionCacheAware: room for a few cache lines. */
static ULONG_PTR cache_aware_buffer[1024 / sizeof(ULONG_PTR)];

static void classic(void)
{
    static EX_RUNDOWN_REF ref;

    ExInitializeRundownProtection(&ref);
    if (ExAcquireRundownProtection(&ref))
        ExReleaseRundownProtection(&ref);
    if (ExAcquireRundownProtectionEx(&ref, 2))
        ExReleaseRundownProtectionEx(&ref, 2);
    ExWaitForRundownProtectionRelease(&ref);
    ExReInitializeRundownProtection(&ref);
    ExWaitForRundownProtectionRelease(&ref);
    ExRundownCompleted(&ref);
}

static void cache_aware(PEX_RUNDOWN_REF_CACHE_AWARE ref)
{
    if (ExAcquireRundownProtectionCacheAware(ref))
        ExReleaseRundownProtectionCacheAware(ref);
    if (ExAcquireRundownProtectionCacheAwareEx(ref, 2))
        ExReleaseRundownProtectionCacheAwareEx(ref, 2);
    ExWaitForRundownProtectionReleaseCacheAware(ref);
    ExReInitializeRundownProtectionCacheAware(ref);
    ExWaitForRundownProtectionReleaseCacheAware(ref);
    ExRundownCompletedCacheAware(ref);
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    SIZE_T size;

    UNREFERENCED_PARAMETER(driver);
    UNREFERENCED_PARAMETER(registry_path);

    classic();

    ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, 0x6f72706e /* 'nprp' */);
    if (ref)
    {
        cache_aware(ref);
        ExFreeCacheAwareRundownProtection(ref);
    }

    size = ExSizeOfRundownProtectionCacheAware();
    if (size <= sizeof(cache_aware_buffer))
    {
        ref = (PEX_RUNDOWN_REF_CACHE_AWARE)cache_aware_buffer;
        ExInitializeRundownProtectionCacheAware(ref, sizeof(cache_aware_buffer));
        cache_aware(ref);
    }

    return STATUS_UNSUCCESSFUL;
}
