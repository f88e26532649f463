/*
 * The harness compared with Wine's on a POSIX host: the Windows types that
 * Wine's include/wine/test.h and wine/debug.h use, for building them with
 * the host's C library (see winbase.h).  Our code, not Wine's.
 */

#ifndef COMPARE_POSIX_WINDEF_H
#define COMPARE_POSIX_WINDEF_H

#include <stddef.h>
#include <stdint.h>

#define WINAPI
#define CALLBACK
#define CDECL
#define __cdecl
#define TRUE 1
#define FALSE 0

typedef int BOOL;
typedef int INT;
typedef unsigned int UINT;
typedef int LONG;             /* 32 bits, as in Wine's headers on Unix */
typedef unsigned int ULONG;
typedef unsigned int DWORD;
typedef unsigned short WORD;
typedef unsigned short WCHAR;
typedef unsigned long long ULONGLONG;
typedef uintptr_t ULONG_PTR;
typedef intptr_t INT_PTR;
typedef void *HANDLE;
typedef void *HMODULE;
typedef INT_PTR (*FARPROC)(void);

#define LOWORD(l) ((WORD)((ULONG_PTR)(l) & 0xffff))

typedef struct { LONG x, y; } POINT;
typedef struct { LONG left, top, right, bottom; } RECT;

#endif
