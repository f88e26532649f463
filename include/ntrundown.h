/*
 * ntrundown: the Windows kernel's rundown protection routines
 *
 * Copyright 2026 The ntrundown authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

/*
 * What wdm.h declares of rundown protection: EX_RUNDOWN_REF and its
 * constants, the opaque EX_RUNDOWN_REF_CACHE_AWARE, and the 19 routines with
 * Windows' names and calling conventions (dlls/ntoskrnl/ntrundown.spec is
 * the list; the "routines" test checks this header against it).
 *
 * Include it on its own on a POSIX host (it brings the few NT types it
 * needs), or after a <ddk/wdm.h>: MinGW-w64's declares all of this already,
 * and then this header adds nothing; Wine's, before Wine has the routines,
 * declares none of it.
 */

#ifndef NTRUNDOWN_H
#define NTRUNDOWN_H

#ifndef _WDMDDK_
# include "ntrundown_types.h"
#endif

#ifndef EX_RUNDOWN_ACTIVE

#ifdef __cplusplus
extern "C" {
#endif

#define EX_RUNDOWN_ACTIVE      0x1
#define EX_RUNDOWN_COUNT_SHIFT 0x1
#define EX_RUNDOWN_COUNT_INC   (1 << EX_RUNDOWN_COUNT_SHIFT)

typedef struct _EX_RUNDOWN_REF
{
    union
    {
        volatile ULONG_PTR Count;
        volatile PVOID Ptr;
    };
} EX_RUNDOWN_REF, *PEX_RUNDOWN_REF;

/* Opaque: allocate it with ExAllocateCacheAwareRundownProtection, or lay it
 * out in a buffer of ExSizeOfRundownProtectionCacheAware() bytes with
 * ExInitializeRundownProtectionCacheAware. */
typedef struct _EX_RUNDOWN_REF_CACHE_AWARE *PEX_RUNDOWN_REF_CACHE_AWARE;

/* The classic family. */
VOID FASTCALL ExInitializeRundownProtection(PEX_RUNDOWN_REF RunRef);
VOID FASTCALL ExReInitializeRundownProtection(PEX_RUNDOWN_REF RunRef);
VOID FASTCALL ExRundownCompleted(PEX_RUNDOWN_REF RunRef);
BOOLEAN FASTCALL ExAcquireRundownProtection(PEX_RUNDOWN_REF RunRef);
BOOLEAN FASTCALL ExAcquireRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count);
VOID FASTCALL ExReleaseRundownProtection(PEX_RUNDOWN_REF RunRef);
VOID FASTCALL ExReleaseRundownProtectionEx(PEX_RUNDOWN_REF RunRef, ULONG Count);
VOID FASTCALL ExWaitForRundownProtectionRelease(PEX_RUNDOWN_REF RunRef);

/* The cache-aware family. */
SIZE_T NTAPI ExSizeOfRundownProtectionCacheAware(VOID);
VOID NTAPI ExInitializeRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware, SIZE_T RunRefSize);
PEX_RUNDOWN_REF_CACHE_AWARE NTAPI ExAllocateCacheAwareRundownProtection(POOL_TYPE PoolType, ULONG PoolTag);
VOID NTAPI ExFreeCacheAwareRundownProtection(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);
BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);
BOOLEAN FASTCALL ExAcquireRundownProtectionCacheAwareEx(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware, ULONG Count);
VOID FASTCALL ExReleaseRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);
VOID FASTCALL ExReleaseRundownProtectionCacheAwareEx(PEX_RUNDOWN_REF_CACHE_AWARE RunRef, ULONG Count);
VOID FASTCALL ExWaitForRundownProtectionReleaseCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRef);
VOID FASTCALL ExReInitializeRundownProtectionCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);
VOID FASTCALL ExRundownCompletedCacheAware(PEX_RUNDOWN_REF_CACHE_AWARE RunRefCacheAware);

#ifdef __cplusplus
}
#endif

#endif /* EX_RUNDOWN_ACTIVE */

#endif /* NTRUNDOWN_H */
