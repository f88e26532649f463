/*
 * NT base types for builds without a Windows DDK
 *
 * ntrundown.h and the host kernel-services layer use these when neither
 * MinGW-w64's nor Wine's <ddk/wdm.h> is in the translation unit.  They have
 * the Windows names, sizes and calling-convention macros, so that code written
 * against wdm.h compiles unchanged on a POSIX host.  On Windows (user mode,
 * MinGW-w64) they are exactly the types of the Windows headers, so that they
 * may meet <windows.h> in one program, or even in one file.
 */

#ifndef NTRUNDOWN_TYPES_H
#define NTRUNDOWN_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifndef FASTCALL
# if defined(__i386__) && defined(_WIN32)
#  define FASTCALL __fastcall
# elif defined(__i386__)
#  define FASTCALL __attribute__((fastcall))
# else
#  define FASTCALL
# endif
#endif
#ifndef NTAPI
# if defined(__i386__) && defined(_WIN32)
#  define NTAPI __stdcall
# elif defined(__i386__)
#  define NTAPI __attribute__((stdcall))
# else
#  define NTAPI
# endif
#endif

#ifndef VOID
# define VOID void
#endif

#ifndef TRUE
# define TRUE  1
# define FALSE 0
#endif

typedef unsigned char  BOOLEAN, *PBOOLEAN;
typedef unsigned char  UCHAR, *PUCHAR;
typedef char           CHAR, *PCHAR;
typedef unsigned short USHORT, *PUSHORT;
#ifdef _WIN32
/* Exactly the types of the Windows headers (winnt.h, basetsd.h), so that a
 * file may include <windows.h> as well: LONG is long there, and the pointer
 * sized types are long on Win32 and long long on Win64. */
typedef long               LONG, *PLONG;
typedef unsigned long      ULONG, *PULONG;
typedef long long          LONGLONG, *PLONGLONG;
typedef unsigned long long ULONGLONG, *PULONGLONG;
# ifdef _WIN64
typedef long long          LONG_PTR, *PLONG_PTR;
typedef unsigned long long ULONG_PTR, *PULONG_PTR;
# else
typedef long               LONG_PTR, *PLONG_PTR;
typedef unsigned long      ULONG_PTR, *PULONG_PTR;
# endif
#else
typedef int32_t        LONG, *PLONG;
typedef uint32_t       ULONG, *PULONG;
typedef int64_t        LONGLONG, *PLONGLONG;
typedef uint64_t       ULONGLONG, *PULONGLONG;
typedef intptr_t       LONG_PTR, *PLONG_PTR;
typedef uintptr_t      ULONG_PTR, *PULONG_PTR;
#endif
typedef ULONG_PTR      SIZE_T, *PSIZE_T;
typedef void          *PVOID;

typedef enum _POOL_TYPE
{
    NonPagedPool = 0,
    NonPagedPoolExecute = NonPagedPool,
    PagedPool = 1,
    NonPagedPoolMustSucceed = 2,
    DontUseThisType = 3,
    NonPagedPoolCacheAligned = 4,
    PagedPoolCacheAligned = 5,
    NonPagedPoolCacheAlignedMustS = 6,
    MaxPoolType = 7,
    NonPagedPoolNx = 512,
    NonPagedPoolNxCacheAligned = NonPagedPoolNx + 4,
} POOL_TYPE;

#endif /* NTRUNDOWN_TYPES_H */
