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

BOOLEAN hostkrnl_start_thread(void *context)
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
    return !err;
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
