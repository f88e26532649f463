/*
 * Kernel services that a driver built with MinGW-w64 cannot use as declared
 *
 * See kernel_compat.h.  This file is built without the forced include.
 */

#include <ddk/wdm.h>

BOOLEAN NTAPI compat_running_on_wine(void);
ULONG NTAPI compat_KeGetRecommendedSharedDataAlignment(void);

BOOLEAN NTAPI compat_running_on_wine(void)
{
    UNICODE_STRING name;

    /* An export of Wine's ntoskrnl.exe that Windows has never had. */
    RtlInitUnicodeString(&name, L"wine_ntoskrnl_main_loop");
    return MmGetSystemRoutineAddress(&name) != NULL;
}

ULONG NTAPI compat_KeGetRecommendedSharedDataAlignment(void)
{
    if (compat_running_on_wine()) return 64;
    return KeGetRecommendedSharedDataAlignment();
}
