/*
 * ntrundown conformance tests in a kernel driver: the protocol between the
 * test driver (driver.c) and the user-mode loader (loader.c)
 *
 * The driver of service NAME creates \Device\NAME and \DosDevices\NAME, so
 * the loader opens \\.\NAME.  Both requests are METHOD_BUFFERED:
 *
 * NTRD_IOCTL_INFO  no input; answers a reply header and the names of the
 *                  tests in the driver's winetest_testlist, one per line.
 * NTRD_IOCTL_RUN   input: a request header, then strings_length bytes of
 *                  NUL-terminated strings: the name of the test to run (an
 *                  empty string runs them all), then the configuration as
 *                  "WINETEST_NAME=value" strings, ended by an empty string.
 *                  Answers a reply header and the text the harness wrote.
 *
 * Every field is 32 bits wide, so the layout is the same for a 32-bit and a
 * 64-bit process.
 */

#ifndef NTRUNDOWN_DRIVER_IOCTL_H
#define NTRUNDOWN_DRIVER_IOCTL_H

/* CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800 / 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS) */
#define NTRD_IOCTL_INFO 0x00222000u
#define NTRD_IOCTL_RUN  0x00222004u

#define NTRD_MAGIC      0x4452544eu     /* "NTRD" */
#define NTRD_VERSION    1u

/* longest service name, which is also the device name */
#define NTRD_NAME_MAX   64

struct ntrd_request
{
    unsigned int magic;             /* NTRD_MAGIC */
    unsigned int version;           /* NTRD_VERSION */
    unsigned int strings_length;    /* bytes of strings after the header */
    unsigned int reserved;
};

struct ntrd_reply
{
    unsigned int magic;             /* NTRD_MAGIC */
    unsigned int version;           /* NTRD_VERSION */
    int status;                     /* RUN: the failures winetest_run() returned, -1 for an unknown test */
    unsigned int test_count;        /* INFO: the number of tests */
    unsigned int text_length;       /* bytes of text after the header, no NUL */
    unsigned int truncated;         /* nonzero when text was lost, see lost_bytes */
    unsigned int lost_bytes;        /* bytes of output that did not fit */
    unsigned int capacity;          /* size of the driver's text buffer: the reply is at most
                                       sizeof(struct ntrd_reply) + capacity bytes */
    unsigned int thread_overflow;   /* checks made by threads that found no thread-data slot */
    unsigned int reserved[3];
};

#endif /* NTRUNDOWN_DRIVER_IOCTL_H */
