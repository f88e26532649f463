/*
 * Host port: threads, on POSIX threads
 *
 * The thread primitives of hostkrnl_port.h; system_thread.c builds the
 * system threads of the kernel API on them.
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "hostkrnl_private.h"

static void *thread_start(void *context)
{
    hostkrnl_thread_main(context);
    return NULL;
}

BOOLEAN hostkrnl_start_thread(void *context, ULONG_PTR *host)
{
    pthread_attr_t attr;
    pthread_t thread;
    int err;

    if (!(err = pthread_attr_init(&attr)))
    {
        /* detached: the thread's end is observed through its thread object */
        err = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        if (!err) err = pthread_create(&thread, &attr, thread_start, context);
        pthread_attr_destroy(&attr);
    }
    *host = 0;
    return !err;
}

/* A detached thread cannot be waited for.  What it runs once it has signaled
 * its thread object (the wake, its last dereference, pthread_exit) touches
 * nothing of its waiters', and the end of the process stops it harmlessly. */
BOOLEAN hostkrnl_wait_host_thread(ULONG_PTR host, BOOLEAN poll, const LONGLONG *deadline)
{
    (void)host;
    (void)poll;
    (void)deadline;
    return TRUE;
}

void hostkrnl_close_host_thread(ULONG_PTR host)
{
    (void)host;
}

void hostkrnl_exit_thread(void)
{
    pthread_exit(NULL);
}

ULONG hostkrnl_process_id(void)
{
    return (ULONG)getpid();
}

LONGLONG hostkrnl_process_cpu_time(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)) return -1;
    return (LONGLONG)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
