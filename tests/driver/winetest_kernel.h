/*
 * ntrundown conformance tests: the kernel-mode back end of the harness,
 * what the test driver uses besides winetest_backend.h
 */

#ifndef NTRUNDOWN_WINETEST_KERNEL_H
#define NTRUNDOWN_WINETEST_KERNEL_H

#include <ddk/wdm.h>

/* size of the driver's text buffer; a reply carries at most this much text */
#ifndef WINETEST_KERNEL_OUTPUT_SIZE
# define WINETEST_KERNEL_OUTPUT_SIZE (1024 * 1024)
#endif

/* DriverEntry: allocates the text buffer and the thread-data table. */
NTSTATUS winetest_kernel_init(void);
/* DriverUnload: frees them. */
void winetest_kernel_free(void);

/* Replaces the configuration that winetest_backend_getenv() answers from:
 * "NAME=value" strings, each NUL-terminated, ended by an empty string or by
 * the end of the length bytes.  FALSE (and an empty table) when it does not
 * fit.  Only between runs: the harness keeps pointers into the table. */
BOOLEAN winetest_kernel_set_env(const char *strings, SIZE_T length);

/* Starts a run: empties the text buffer and forgets every thread. */
void winetest_kernel_begin(void);

/* Ends a run, once every thread that wrote has finished: marks a truncation
 * at the end of the text and releases the thread-data slots.  Returns the
 * text, of *length bytes (no NUL); *lost is the number of bytes that did not
 * fit, *thread_overflow the checks made by threads that found no slot. */
const char *winetest_kernel_end(ULONG *length, ULONG *lost, ULONG *thread_overflow);

#endif /* NTRUNDOWN_WINETEST_KERNEL_H */
