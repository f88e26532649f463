/*
 * Win32 port: threads, on Win32 threads
 *
 * The thread primitives of hostkrnl_port.h; system_thread.c builds the
 * system threads of the kernel API on them.  This file includes
 * <windows.h>, and so nothing of wdm.h (see hostkrnl_port.h).
 *
 * A thread object is signaled only once the Win32 thread has ended, as a
 * kernel thread object is once the thread has terminated, and not as soon as
 * the thread has run its routine: its exit (the C runtime's, the DLLs'
 * detach, the system's) would otherwise still run after the caller's wait,
 * and into the end of the process.  32-bit Wine 8 kills the process with
 * SIGSEGV when ExitProcess stops such a thread (wineserver's SIGQUIT) while
 * it is already in pthread_exit.
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

BOOLEAN hostkrnl_start_thread(void *context, ULONG_PTR *host)
{
    /* _beginthreadex rather than CreateThread: the thread uses the C runtime */
    HANDLE thread = (HANDLE)_beginthreadex(NULL, 0, thread_start, context, 0, NULL);

    if (!thread) return FALSE;
    *host = (ULONG_PTR)thread;
    return TRUE;
}

BOOLEAN hostkrnl_wait_host_thread(ULONG_PTR host, BOOLEAN poll, const LONGLONG *deadline)
{
    /* The thread has run its routine, so its end is near: with a deadline,
     * wait in slices of a millisecond until it has passed on our clock. */
    while (WaitForSingleObject((HANDLE)host, poll ? 0 : deadline ? 1 : INFINITE) == WAIT_TIMEOUT)
    {
        if (poll || hostkrnl_monotonic_time() >= *deadline) return FALSE;
    }
    return TRUE;
}

void hostkrnl_close_host_thread(ULONG_PTR host)
{
    if (host) CloseHandle((HANDLE)host);
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
