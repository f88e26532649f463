/*
 * Kernel services that a driver built with MinGW-w64 cannot use as declared
 *
 * Driver builds (the export driver and the test drivers) force-include this
 * file, so that the module and the suite call the kernel by its documented
 * names everywhere else:
 *
 * - MinGW-w64's wdm.h declares PsThreadType with one indirection too many
 *   (a dllimport of a pointer to the POBJECT_TYPE *), so *PsThreadType reads
 *   the wrong word.  We bind the name to the import slot itself.
 * - Wine 8's ntoskrnl.exe exports KeGetRecommendedSharedDataAlignment as a
 *   stub that aborts the driver host; on Wine we answer 64, the cache line of
 *   every x86 and x64 processor Wine runs on.
 * - MinGW-w64 declares PsGetCurrentThreadId in ntddk.h only, which includes
 *   <wdm.h> from the ddk directory itself; Wine's wdm.h declares it, and so
 *   do we.
 * - MinGW-w64's headers (10.0) lack ReadAcquire, the acquire load of the
 *   Windows 8 WDK; we define it as the WDK does: a load that orders the
 *   loads and stores after it (a plain load on x86 and x64).
 */

#ifndef NTRUNDOWN_KERNEL_COMPAT_H
#define NTRUNDOWN_KERNEL_COMPAT_H

#include <ddk/wdm.h>

#ifdef __i386__
extern POBJECT_TYPE *compat_PsThreadType __asm__("__imp__PsThreadType");
#else
extern POBJECT_TYPE *compat_PsThreadType __asm__("__imp_PsThreadType");
#endif
#define PsThreadType compat_PsThreadType

NTKERNELAPI HANDLE NTAPI PsGetCurrentThreadId(VOID);

/* TRUE when ntoskrnl.exe is Wine's. */
BOOLEAN NTAPI compat_running_on_wine(void);

ULONG NTAPI compat_KeGetRecommendedSharedDataAlignment(void);
#define KeGetRecommendedSharedDataAlignment compat_KeGetRecommendedSharedDataAlignment

static inline LONG compat_ReadAcquire(LONG const volatile *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
#define ReadAcquire compat_ReadAcquire

#endif /* NTRUNDOWN_KERNEL_COMPAT_H */
