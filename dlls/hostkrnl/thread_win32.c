/*
 * Win32 port: threads, on Win32 threads
 *
 * The thread primitives of hostkrnl_port.h; system_thread.c builds the
 * system threads of the kernel API on them.  This file includes
 * <windows.h>, and so nothing of wdm.h (see hostkrnl_port.h).
 */

#ifndef _WIN32_WINNT
# define _WIN32_WINNT 0x0602
#endif
#include <windows.h>
#include <process.h>
#include <stdlib.h>

#include "ntrundown_types.h"
#include "hostkrnl_port.h"

static unsigned int __stdcall thread_start(void *context)
{
    hostkrnl_thread_main(context);
    return 0;
}

BOOLEAN hostkrnl_start_thread(void *context)
{
    /* _beginthreadex rather than CreateThread: the thread uses the C runtime */
    HANDLE thread = (HANDLE)_beginthreadex(NULL, 0, thread_start, context, 0, NULL);

    if (!thread) return FALSE;
    /* detached: the thread's end is observed through its thread object */
    CloseHandle(thread);
    return TRUE;
}

void hostkrnl_exit_thread(void)
{
    _endthreadex(0);
    abort(); /* not reached */
}

ULONG hostkrnl_process_id(void)
{
    return GetCurrentProcessId();
}

LONGLONG hostkrnl_process_cpu_time(void)
{
    FILETIME creation, exit, kernel, user;

    if (!GetProcessTimes(GetCurrentProcess(), &creation, &exit, &kernel, &user)) return -1;
    return ((((LONGLONG)kernel.dwHighDateTime << 32) | kernel.dwLowDateTime) +
            (((LONGLONG)user.dwHighDateTime << 32) | user.dwLowDateTime)) * 100;
}
