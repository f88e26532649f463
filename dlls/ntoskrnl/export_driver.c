/*
 * ntrundown.sys: the rundown module as a kernel-mode export driver
 *
 * Other drivers import the routines from it; Windows loads it for them and
 * calls DllInitialize, never DriverEntry.  Wine calls neither, so nothing
 * here may be needed for the routines to work.
 */

#include <ddk/wdm.h>

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS NTAPI DllInitialize(PUNICODE_STRING RegistryPath);
NTSTATUS NTAPI DllUnload(void);

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    (void)DriverObject;
    (void)RegistryPath;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI DllInitialize(PUNICODE_STRING RegistryPath)
{
    (void)RegistryPath;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI DllUnload(void)
{
    return STATUS_SUCCESS;
}
