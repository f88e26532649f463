/*
 * Host kernel services: the handle table
 *
 * Handle values are (index + 1) * 4, so that a handle is never NULL and, as
 * in Wine, a multiple of four.  Each table entry owns one reference to
 * its object.
 */

#include <stdlib.h>
#include <string.h>

#include "hostkrnl_private.h"

static volatile LONG handle_lock;
static PVOID *handle_table;
static ULONG handle_table_size;

static HANDLE handle_from_index(ULONG index)
{
    return (HANDLE)(((ULONG_PTR)index + 1) * 4);
}

/* The entry of a live handle; NULL if there is none. Call with the lock held. */
static PVOID *find_entry(HANDLE handle)
{
    ULONG_PTR value = (ULONG_PTR)handle;

    if (!value || (value & 3) || value / 4 > handle_table_size) return NULL;
    if (!handle_table[value / 4 - 1]) return NULL;
    return &handle_table[value / 4 - 1];
}

NTSTATUS hostkrnl_create_handle(PVOID object, PHANDLE handle)
{
    ULONG index;

    hostkrnl_lock(&handle_lock);
    for (index = 0; index < handle_table_size; index++)
        if (!handle_table[index]) break;
    if (index == handle_table_size)
    {
        ULONG size = handle_table_size ? handle_table_size * 2 : 16;
        PVOID *table = size > handle_table_size ? realloc(handle_table, size * sizeof(*table)) : NULL;

        if (!table)
        {
            hostkrnl_unlock(&handle_lock);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        memset(table + handle_table_size, 0, (size - handle_table_size) * sizeof(*table));
        handle_table = table;
        handle_table_size = size;
    }
    handle_table[index] = object;
    hostkrnl_unlock(&handle_lock);
    *handle = handle_from_index(index);
    return STATUS_SUCCESS;
}

/***********************************************************************
 *           ObReferenceObjectByHandle   (NTOSKRNL.EXE.@)
 */
NTSTATUS NTAPI ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                         KPROCESSOR_MODE AccessMode, PVOID *Object, PVOID HandleInformation)
{
    PVOID *entry;

    (void)DesiredAccess;
    (void)AccessMode;
    (void)HandleInformation;
    hostkrnl_check_irql("ObReferenceObjectByHandle", PASSIVE_LEVEL);
    if (!Object) return STATUS_INVALID_PARAMETER;
    *Object = NULL;

    hostkrnl_lock(&handle_lock);
    if (!(entry = find_entry(Handle)))
    {
        hostkrnl_unlock(&handle_lock);
        return STATUS_INVALID_HANDLE;
    }
    /* thread objects are the only kind there is */
    if (ObjectType && ObjectType != *PsThreadType)
    {
        hostkrnl_unlock(&handle_lock);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    hostkrnl_reference_object(*entry);
    *Object = *entry;
    hostkrnl_unlock(&handle_lock);
    return STATUS_SUCCESS;
}

/***********************************************************************
 *           ZwClose   (NTOSKRNL.EXE.@)
 */
NTSTATUS NTAPI ZwClose(HANDLE Handle)
{
    PVOID *entry, object;

    hostkrnl_check_irql("ZwClose", PASSIVE_LEVEL);
    hostkrnl_lock(&handle_lock);
    if (!(entry = find_entry(Handle)))
    {
        hostkrnl_unlock(&handle_lock);
        return STATUS_INVALID_HANDLE;
    }
    object = *entry;
    *entry = NULL;
    hostkrnl_unlock(&handle_lock);
    ObDereferenceObject(object);
    return STATUS_SUCCESS;
}
