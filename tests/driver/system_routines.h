/*
 * ntrundown conformance tests in a kernel driver: the "system" flavour
 *
 * Force-included (after kernel_compat.h) into every file of the driver that
 * tests the running kernel's routines.  The test sources call the 19
 * routines by name; each name becomes a pointer of the routine's type (its
 * declaration in wdm.h), which system_routines_init() fills from
 * MmGetSystemRoutineAddress() at DriverEntry.  A pointer stays NULL when the
 * kernel does not export the routine, or when the export is one of Wine's
 * stubs, which abort the driver host when called: each test asks
 * rundown_routines_available() first, and calls nothing it cannot.
 *
 * The list of the routines (rundown_routines.h) and the redirections
 * (system_routines_redirect.h) are generated from ntrundown.spec.
 */

#ifndef NTRUNDOWN_SYSTEM_ROUTINES_H
#define NTRUNDOWN_SYSTEM_ROUTINES_H

#include <ddk/wdm.h>
#include "rundown_routines.h"

/* DriverEntry: looks the routines up. */
void system_routines_init(void);

#define SYSTEM_ROUTINE_POINTER(name, cache_aware) extern __typeof__(&name) system_##name;
RUNDOWN_ROUTINES(SYSTEM_ROUTINE_POINTER)

#include "system_routines_redirect.h"

#endif /* NTRUNDOWN_SYSTEM_ROUTINES_H */
