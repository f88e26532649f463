/* The harness compared with Wine's on a POSIX host: the io.h functions of
 * Wine's test.h (see winbase.h). */

#ifndef COMPARE_POSIX_IO_H
#define COMPARE_POSIX_IO_H

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static inline intptr_t _get_osfhandle( int fd )
{
    return fd;
}

#endif
