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

extern VOID (FASTCALL *system_ExInitializeRundownProtection)(PEX_RUNDOWN_REF);
extern VOID (FASTCALL *system_ExReInitializeRundownProtection)(PEX_RUNDOWN_REF);
extern VOID (FASTCALL *system_ExRundownCompleted)(PEX_RUNDOWN_REF);
extern BOOLEAN (FASTCALL *system_ExAcquireRundownProtection)(PEX_RUNDOWN_REF);
extern BOOLEAN (FASTCALL *system_ExAcquireRundownProtectionEx)(PEX_RUNDOWN_REF, ULONG);
extern VOID (FASTCALL *system_ExReleaseRundownProtection)(PEX_RUNDOWN_REF);
extern VOID (FASTCALL *system_ExReleaseRundownProtectionEx)(PEX_RUNDOWN_REF, ULONG);
extern VOID (FASTCALL *system_ExWaitForRundownProtectionRelease)(PEX_RUNDOWN_REF);

extern SIZE_T (NTAPI *system_ExSizeOfRundownProtectionCacheAware)(VOID);
extern VOID (NTAPI *system_ExInitializeRundownProtectionCacheAware)(PEX_RUNDOWN_REF_CACHE_AWARE, SIZE_T);
extern PEX_RUNDOWN_REF_CACHE_AWARE (NTAPI *system_ExAllocateCacheAwareRundownProtection)(POOL_TYPE, ULONG);
extern VOID (NTAPI *system_ExFreeCacheAwareRundownProtection)(PEX_RUNDOWN_REF_CACHE_AWARE);
extern BOOLEAN (FASTCALL *system_ExAcquireRundownProtectionCacheAware)(PEX_RUNDOWN_REF_CACHE_AWARE);
extern BOOLEAN (FASTCALL *system_ExAcquireRundownProtectionCacheAwareEx)(PEX_RUNDOWN_REF_CACHE_AWARE, ULONG);
extern VOID (FASTCALL *system_ExReleaseRundownProtectionCacheAware)(PEX_RUNDOWN_REF_CACHE_AWARE);
extern VOID (FASTCALL *system_ExReleaseRundownProtectionCacheAwareEx)(PEX_RUNDOWN_REF_CACHE_AWARE, ULONG);
extern VOID (FASTCALL *system_ExWaitForRundownProtectionReleaseCacheAware)(PEX_RUNDOWN_REF_CACHE_AWARE);
extern VOID (FASTCALL *system_ExReInitializeRundownProtectionCacheAware)(PEX_RUNDOWN_REF_CACHE_AWARE);
extern VOID (FASTCALL *system_ExRundownCompletedCacheAware)(PEX_RUNDOWN_REF_CACHE_AWARE);

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
