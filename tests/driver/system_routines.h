/*
 * ntrundown conformance tests in a kernel driver: the "system" flavour
 *
 * Force-included (after kernel_compat.h) into every file of the driver that
 * tests the running kernel's routines.  The test sources call the 19
 * routines by name; each name becomes a pointer, with the routine's calling
 * convention, that system_routines_init() fills from
 * MmGetSystemRoutineAddress() at DriverEntry.  A pointer stays NULL when the
 * kernel does not export the routine, or when the export is one of Wine's
 * stubs, which abort the driver host when called: each test asks
 * rundown_routines_available() first, and calls nothing it cannot.
 */

#ifndef NTRUNDOWN_SYSTEM_ROUTINES_H
#define NTRUNDOWN_SYSTEM_ROUTINES_H

#include <ddk/wdm.h>

/* DriverEntry: looks the routines up. */
void system_routines_init(void);

/* The 19 routines, once: X(convention, return type, name, parameters,
 * cache-aware?).  The names are only pasted and stringified, so the
 * redirections below do not apply to them. */
#define SYSTEM_ROUTINES(X) \
    X(FASTCALL, VOID, ExInitializeRundownProtection, (PEX_RUNDOWN_REF), FALSE) \
    X(FASTCALL, VOID, ExReInitializeRundownProtection, (PEX_RUNDOWN_REF), FALSE) \
    X(FASTCALL, VOID, ExRundownCompleted, (PEX_RUNDOWN_REF), FALSE) \
    X(FASTCALL, BOOLEAN, ExAcquireRundownProtection, (PEX_RUNDOWN_REF), FALSE) \
    X(FASTCALL, BOOLEAN, ExAcquireRundownProtectionEx, (PEX_RUNDOWN_REF, ULONG), FALSE) \
    X(FASTCALL, VOID, ExReleaseRundownProtection, (PEX_RUNDOWN_REF), FALSE) \
    X(FASTCALL, VOID, ExReleaseRundownProtectionEx, (PEX_RUNDOWN_REF, ULONG), FALSE) \
    X(FASTCALL, VOID, ExWaitForRundownProtectionRelease, (PEX_RUNDOWN_REF), FALSE) \
    X(NTAPI, SIZE_T, ExSizeOfRundownProtectionCacheAware, (VOID), TRUE) \
    X(NTAPI, VOID, ExInitializeRundownProtectionCacheAware, (PEX_RUNDOWN_REF_CACHE_AWARE, SIZE_T), TRUE) \
    X(NTAPI, PEX_RUNDOWN_REF_CACHE_AWARE, ExAllocateCacheAwareRundownProtection, (POOL_TYPE, ULONG), TRUE) \
    X(NTAPI, VOID, ExFreeCacheAwareRundownProtection, (PEX_RUNDOWN_REF_CACHE_AWARE), TRUE) \
    X(FASTCALL, BOOLEAN, ExAcquireRundownProtectionCacheAware, (PEX_RUNDOWN_REF_CACHE_AWARE), TRUE) \
    X(FASTCALL, BOOLEAN, ExAcquireRundownProtectionCacheAwareEx, (PEX_RUNDOWN_REF_CACHE_AWARE, ULONG), TRUE) \
    X(FASTCALL, VOID, ExReleaseRundownProtectionCacheAware, (PEX_RUNDOWN_REF_CACHE_AWARE), TRUE) \
    X(FASTCALL, VOID, ExReleaseRundownProtectionCacheAwareEx, (PEX_RUNDOWN_REF_CACHE_AWARE, ULONG), TRUE) \
    X(FASTCALL, VOID, ExWaitForRundownProtectionReleaseCacheAware, (PEX_RUNDOWN_REF_CACHE_AWARE), TRUE) \
    X(FASTCALL, VOID, ExReInitializeRundownProtectionCacheAware, (PEX_RUNDOWN_REF_CACHE_AWARE), TRUE) \
    X(FASTCALL, VOID, ExRundownCompletedCacheAware, (PEX_RUNDOWN_REF_CACHE_AWARE), TRUE)

#define SYSTEM_ROUTINE_POINTER(convention, type, name, params, cache_aware) \
    extern type (convention *system_##name) params;
SYSTEM_ROUTINES(SYSTEM_ROUTINE_POINTER)

#define ExInitializeRundownProtection               system_ExInitializeRundownProtection
#define ExReInitializeRundownProtection             system_ExReInitializeRundownProtection
#define ExRundownCompleted                          system_ExRundownCompleted
#define ExAcquireRundownProtection                  system_ExAcquireRundownProtection
#define ExAcquireRundownProtectionEx                system_ExAcquireRundownProtectionEx
#define ExReleaseRundownProtection                  system_ExReleaseRundownProtection
#define ExReleaseRundownProtectionEx                system_ExReleaseRundownProtectionEx
#define ExWaitForRundownProtectionRelease           system_ExWaitForRundownProtectionRelease

#define ExSizeOfRundownProtectionCacheAware         system_ExSizeOfRundownProtectionCacheAware
#define ExInitializeRundownProtectionCacheAware     system_ExInitializeRundownProtectionCacheAware
#define ExAllocateCacheAwareRundownProtection       system_ExAllocateCacheAwareRundownProtection
#define ExFreeCacheAwareRundownProtection           system_ExFreeCacheAwareRundownProtection
#define ExAcquireRundownProtectionCacheAware        system_ExAcquireRundownProtectionCacheAware
#define ExAcquireRundownProtectionCacheAwareEx      system_ExAcquireRundownProtectionCacheAwareEx
#define ExReleaseRundownProtectionCacheAware        system_ExReleaseRundownProtectionCacheAware
#define ExReleaseRundownProtectionCacheAwareEx      system_ExReleaseRundownProtectionCacheAwareEx
#define ExWaitForRundownProtectionReleaseCacheAware system_ExWaitForRundownProtectionReleaseCacheAware
#define ExReInitializeRundownProtectionCacheAware   system_ExReInitializeRundownProtectionCacheAware
#define ExRundownCompletedCacheAware                system_ExRundownCompletedCacheAware

#endif /* NTRUNDOWN_SYSTEM_ROUTINES_H */
