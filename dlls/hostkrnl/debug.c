/*
 * Host kernel services: assertions and debug output
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "hostkrnl_private.h"

/***********************************************************************
 *           RtlAssert   (NTOSKRNL.EXE.@)
 */
VOID NTAPI RtlAssert(PVOID FailedAssertion, PVOID FileName, ULONG LineNumber, PCHAR Message)
{
    const char *expr = FailedAssertion ? FailedAssertion : "?";
    const char *file = FileName ? FileName : "?";

    if (Message)
        fprintf(stderr, "%s:%u: Assertion failed: %s (%s)\n", file, (unsigned int)LineNumber, expr, Message);
    else
        fprintf(stderr, "%s:%u: Assertion failed: %s\n", file, (unsigned int)LineNumber, expr);
    fflush(stderr);
    abort();
}

/***********************************************************************
 *           DbgPrint   (NTOSKRNL.EXE.@)
 */
ULONG DbgPrint(const char *Format, ...)
{
    va_list args;

    va_start(args, Format);
    vfprintf(stderr, Format, args);
    va_end(args);
    return STATUS_SUCCESS;
}

void hostkrnl_bug(const char *format, ...)
{
    va_list args;

    fputs("hostkrnl: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

/***********************************************************************
 *           KeBugCheckEx   (NTOSKRNL.EXE.@)
 */
VOID NTAPI KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    hostkrnl_bug("KeBugCheckEx(%#x, %p, %p, %p, %p)", (unsigned int)BugCheckCode,
                 (void *)P1, (void *)P2, (void *)P3, (void *)P4);
}
