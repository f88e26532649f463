/*
 * ntrundown: the Windows kernel's rundown protection routines
 *
 * The public interface: EX_RUNDOWN_REF, EX_RUNDOWN_REF_CACHE_AWARE with its
 * Windows layout, and the 19 Ex*Rundown* routines with Windows' names and
 * calling conventions.
 *
 * Include it on its own on a POSIX host, or after <ddk/wdm.h> in Windows
 * kernel code: MinGW-w64's wdm.h already declares the routines, the classic
 * type and an opaque cache-aware type, which this header completes; Wine's
 * wdm.h declares none of them, and this header adds them all.
 */

#ifndef NTRUNDOWN_H
#define NTRUNDOWN_H

#if !defined(_WDMDDK_) && !defined(NTRUNDOWN_HOSTKRNL)
# include "ntrundown_types.h"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef NTRUNDOWN_API
# define NTRUNDOWN_API
#endif

/* MinGW-w64's wdm.h is the one that defines these. */
#ifndef EX_RUNDOWN_ACTIVE
# define NTRUNDOWN_DECLARE_CLASSIC 1

# define EX_RUNDOWN_ACTIVE      0x1
# define EX_RUNDOWN_COUNT_SHIFT 0x1
# define EX_RUNDOWN_COUNT_INC   (1 << EX_RUNDOWN_COUNT_SHIFT)

typedef struct _EX_RUNDOWN_REF
{
    union
    {
        volatile ULONG_PTR Count;
        volatile PVOID Ptr;
    };
} EX_RUNDOWN_REF, *PEX_RUNDOWN_REF;

typedef struct _EX_RUNDOWN_REF_CACHE_AWARE *PEX_RUNDOWN_REF_CACHE_AWARE;
#endif

/* Opaque to drivers; the layout is the one in ntoskrnl's public symbols. */
typedef struct _EX_RUNDOWN_REF_CACHE_AWARE
{
    PEX_RUNDOWN_REF RunRefs;    /* slot i at (PUCHAR)RunRefs + i * RunRefSize */
    PVOID PoolToFree;           /* slot array as allocated, or EX_RUNDOWN_NOT_POOL */
    ULONG RunRefSize;           /* distance between slots */
    ULONG Number;               /* number of slots */
} EX_RUNDOWN_REF_CACHE_AWARE;

/* PoolToFree of an object laid out in the caller's buffer. */
#define EX_RUNDOWN_NOT_POOL ((PVOID)(ULONG_PTR)0x0BADCA11)

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
# define NTRUNDOWN_LAYOUT_CHECK(expr) _Static_assert(expr, #expr)
#elif defined(__cplusplus) && __cplusplus >= 201103L
# define NTRUNDOWN_LAYOUT_CHECK(expr) static_assert(expr, #expr)
#else
# define NTRUNDOWN_LAYOUT_CHECK(expr) typedef char ntrundown_layout_check_##__LINE__[(expr) ? 1 : -1]
#endif

NTRUNDOWN_LAYOUT_CHECK(sizeof(EX_RUNDOWN_REF) == sizeof(void *));
#if defined(_WIN64) || defined(__x86_64__) || defined(__aarch64__) || (defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ == 8)
NTRUNDOWN_LAYOUT_CHECK(__builtin_offsetof(EX_RUNDOWN_REF_CACHE_AWARE, RunRefs) == 0x0);
NTRUNDOWN_LAYOUT_CHECK(__builtin_offsetof(EX_RUNDOWN_REF_CACHE_AWARE, PoolToFree) == 0x8);
NTRUNDOWN_LAYOUT_CHECK(__builtin_offsetof(EX_RUNDOWN_REF_CACHE_AWARE, RunRefSize) == 0x10);
NTRUNDOWN_LAYOUT_CHECK(__builtin_offsetof(EX_RUNDOWN_REF_CACHE_AWARE, Number) == 0x14);
NTRUNDOWN_LAYOUT_CHECK(sizeof(EX_RUNDOWN_REF_CACHE_AWARE) == 0x18);
#else
NTRUNDOWN_LAYOUT_CHECK(__builtin_offsetof(EX_RUNDOWN_REF_CACHE_AWARE, RunRefs) == 0x0);
NTRUNDOWN_LAYOUT_CHECK(__builtin_offsetof(EX_RUNDOWN_REF_CACHE_AWARE, PoolToFree) == 0x4);
NTRUNDOWN_LAYOUT_CHECK(__builtin_offsetof(EX_RUNDOWN_REF_CACHE_AWARE, RunRefSize) == 0x8);
NTRUNDOWN_LAYOUT_CHECK(__builtin_offsetof(EX_RUNDOWN_REF_CACHE_AWARE, Number) == 0xC);
NTRUNDOWN_LAYOUT_CHECK(sizeof(EX_RUNDOWN_REF_CACHE_AWARE) == 0x10);
#endif

#ifdef NTRUNDOWN_DECLARE_CLASSIC
#undef NTRUNDOWN_DECLARE_CLASSIC

/* The classic family. */
NTRUNDOWN_API VOID FASTCALL ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef);
NTRUNDOWN_API VOID FASTCALL ExReInitializeRundownProtection(PEX_RUNDOWN_REF RunRef);
NTRUNDOWN_API VOID FASTCALL ExRundownCompleted(PEX_RUNDOWN_REF RunRef);
NTRUNDOWN_API BOOLEAN FASTCALL ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef);
NTRUNDOWN_API BOOLEAN FASTCALL ExAcquireRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count);
NTRUNDOWN_API VOID FASTCALL ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef);
NTRUNDOWN_API VOID FASTCALL ExReleaseRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count);
NTRUNDOWN_API VOID FASTCALL ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef);

/* The cache-aware family. */
NTRUNDOWN_API SIZE_T NTAPI ExSizeOfRundownProtectionCacheAware(VOID);
NTRUNDOWN_API VOID NTAPI ExInitializeRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware,
                                                                SIZE_T RunRefSize);
NTRUNDOWN_API PEX_RUNDOWN_REF_CACHE_AWARE NTAPI ExAllocateCacheAwareRundownProtection(POOL_TYPE PoolType,
                                                                                     ULONG PoolTag);
NTRUNDOWN_API VOID NTAPI ExFreeCacheAwareRundownProtection(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);
NTRUNDOWN_API BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);
NTRUNDOWN_API BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAwareEx(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware,
                                                                     ULONG Count);
NTRUNDOWN_API VOID FASTCALL ExReleaseRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);
NTRUNDOWN_API VOID FASTCALL ExReleaseRundownProtectionCacheAwareEx(PEX_RUNDOWN_REF_CACHE_AWARE RunRef, ULONG Count);
NTRUNDOWN_API VOID FASTCALL ExWaitForRundownProtectionReleaseCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRef);
NTRUNDOWN_API VOID FASTCALL ExReInitializeRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);
NTRUNDOWN_API VOID FASTCALL ExRundownCompletedCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);

#endif /* NTRUNDOWN_DECLARE_CLASSIC */

#ifdef __cplusplus
}
#endif

#endif /* NTRUNDOWN_H */
