/*
 * ntrundown conformance tests in a kernel driver: the test driver
 *
 * The driver of service NAME creates \Device\NAME and the link
 * \DosDevices\NAME, so that the two flavours (and any other build) can be
 * loaded side by side under different service names.  On each request of the
 * loader (driver_ioctl.h) it runs one test of winetest_testlist, or all of
 * them, at PASSIVE_LEVEL in the requesting thread, on an expanded kernel
 * stack where the kernel offers one, and answers with the text the harness
 * wrote.  One run at a time: the harness counters are global.
 *
 * Built twice from the same test sources: linked against ntrundown.sys (the
 * reimplementation), and with NTRUNDOWN_SYSTEM_ROUTINES, calling the running
 * kernel's routines through system_routines.h.
 */

#include <ddk/wdm.h>
#include "driver_ioctl.h"
#include "support.h"
#include "winetest_kernel.h"
#include "winetest_backend.h"
#ifdef NTRUNDOWN_SYSTEM_ROUTINES
# include "system_routines.h"
#endif

/* from ntddk.h, which wants the ddk directory itself on the include path */
typedef VOID (NTAPI *PEXPAND_STACK_CALLOUT)(PVOID Parameter);

/* kernel stack for a run: the tests and the harness keep lines on the stack */
#define RUN_STACK_SIZE (32 * 1024)

static WCHAR device_buffer[sizeof("\\Device\\") + NTRD_NAME_MAX];
static WCHAR link_buffer[sizeof("\\DosDevices\\") + NTRD_NAME_MAX];
static UNICODE_STRING device_name, link_name;
static KEVENT run_lock;     /* a synchronization event: one run at a time */
static NTSTATUS (NTAPI *expand_stack_and_callout)(PEXPAND_STACK_CALLOUT, PVOID, SIZE_T);

static void append(UNICODE_STRING *str, const WCHAR *text, USHORT chars)
{
    USHORT i;

    for (i = 0; i < chars && str->Length + sizeof(WCHAR) < str->MaximumLength; i++)
        str->Buffer[str->Length / sizeof(WCHAR)] = text[i], str->Length += sizeof(WCHAR);
    str->Buffer[str->Length / sizeof(WCHAR)] = 0;
}

static void append_str(UNICODE_STRING *str, const WCHAR *text)
{
    USHORT chars = 0;

    while (text[chars]) chars++;
    append(str, text, chars);
}

/* The service name: the last component of the registry path. */
static NTSTATUS make_names(const UNICODE_STRING *registry_path)
{
    USHORT len = registry_path->Length / sizeof(WCHAR), start = len, i;
    const WCHAR *path = registry_path->Buffer;

    while (start && path[start - 1] != '\\') start--;
    if (len == start || len - start > NTRD_NAME_MAX) return STATUS_OBJECT_NAME_INVALID;
    for (i = start; i < len; i++)
    {
        WCHAR c = path[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return STATUS_OBJECT_NAME_INVALID;
    }

    device_name.Buffer = device_buffer;
    device_name.Length = 0;
    device_name.MaximumLength = sizeof(device_buffer);
    append_str(&device_name, L"\\Device\\");
    append(&device_name, path + start, len - start);

    link_name.Buffer = link_buffer;
    link_name.Length = 0;
    link_name.MaximumLength = sizeof(link_buffer);
    append_str(&link_name, L"\\DosDevices\\");
    append(&link_name, path + start, len - start);
    return STATUS_SUCCESS;
}

static NTSTATUS complete(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = information;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
}

static NTSTATUS NTAPI dispatch_create_close(PDEVICE_OBJECT device, PIRP irp)
{
    (void)device;
    return complete(irp, STATUS_SUCCESS, 0);
}

static void reply_init(struct ntrd_reply *reply)
{
    RtlZeroMemory(reply, sizeof(*reply));
    reply->magic = NTRD_MAGIC;
    reply->version = NTRD_VERSION;
    reply->capacity = WINETEST_KERNEL_OUTPUT_SIZE;
}

/* NTRD_IOCTL_INFO: the test names, one per line. */
static ULONG_PTR info(struct ntrd_reply *reply, ULONG out_size)
{
    const struct winetest_test *test;
    char *text = (char *)(reply + 1);
    ULONG room = out_size - sizeof(*reply), len = 0, i;

    reply_init(reply);
    for (test = winetest_testlist; test->name; test++)
    {
        reply->test_count++;
        for (i = 0; test->name[i]; i++)
        {
            if (len < room) text[len] = test->name[i];
            len++;
        }
        if (len < room) text[len] = '\n';
        len++;
    }
    if (len > room)
    {
        reply->truncated = 1;
        reply->lost_bytes = len - room;
        len = room;
    }
    reply->text_length = len;
    return sizeof(*reply) + len;
}

struct run
{
    const char *name;   /* empty: every test */
    int status;
};

static VOID NTAPI run_callout(PVOID context)
{
    struct run *run = context;

    run->status = run->name[0] ? winetest_run(run->name) : winetest_run_all();
}

/* NTRD_IOCTL_RUN */
static NTSTATUS run(PVOID buffer, ULONG in_size, ULONG out_size, ULONG_PTR *information)
{
    const struct ntrd_request *request = buffer;
    struct ntrd_reply *reply = buffer;
    char name[128];
    const char *strings, *text;
    ULONG strings_length, name_length, text_len, lost, overflow, copy;
    struct run run;

    if (KeGetCurrentIrql() != PASSIVE_LEVEL) return STATUS_INVALID_DEVICE_STATE;
    if (in_size < sizeof(*request) || request->magic != NTRD_MAGIC || request->version != NTRD_VERSION ||
        request->strings_length > in_size - sizeof(*request))
        return STATUS_INVALID_PARAMETER;

    /* the reply overwrites the request: take the name first */
    strings = (const char *)(request + 1);
    strings_length = request->strings_length;
    for (name_length = 0; name_length < strings_length && strings[name_length]; name_length++) ;
    if (name_length == strings_length || name_length >= sizeof(name)) return STATUS_INVALID_PARAMETER;
    RtlCopyMemory(name, strings, name_length + 1);

    KeWaitForSingleObject(&run_lock, Executive, KernelMode, FALSE, NULL);
    if (!winetest_kernel_set_env(strings + name_length + 1, strings_length - name_length - 1))
    {
        KeSetEvent(&run_lock, IO_NO_INCREMENT, FALSE);
        return STATUS_INVALID_PARAMETER;
    }
    winetest_kernel_begin();
    winetest_init(rundown_routines_platform());

    run.name = name;
    run.status = 0;
    if (!expand_stack_and_callout || !NT_SUCCESS(expand_stack_and_callout(run_callout, &run, RUN_STACK_SIZE)))
        run_callout(&run);

    text = winetest_kernel_end(&text_len, &lost, &overflow);
    reply_init(reply);
    copy = text_len <= out_size - sizeof(*reply) ? text_len : out_size - sizeof(*reply);
    RtlCopyMemory(reply + 1, text, copy);
    reply->status = run.status;
    reply->text_length = copy;
    reply->lost_bytes = lost + (text_len - copy);
    reply->truncated = reply->lost_bytes != 0;
    reply->thread_overflow = overflow;
    KeSetEvent(&run_lock, IO_NO_INCREMENT, FALSE);

    *information = sizeof(*reply) + copy;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI dispatch_device_control(PDEVICE_OBJECT device, PIRP irp)
{
    PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
    ULONG code = stack->Parameters.DeviceIoControl.IoControlCode;
    ULONG in_size = stack->Parameters.DeviceIoControl.InputBufferLength;
    ULONG out_size = stack->Parameters.DeviceIoControl.OutputBufferLength;
    PVOID buffer = irp->AssociatedIrp.SystemBuffer;
    ULONG_PTR information = 0;
    NTSTATUS status;

    (void)device;
    if (out_size < sizeof(struct ntrd_reply) || !buffer) return complete(irp, STATUS_BUFFER_TOO_SMALL, 0);
    switch (code)
    {
    case NTRD_IOCTL_INFO:
        information = info(buffer, out_size);
        status = STATUS_SUCCESS;
        break;
    case NTRD_IOCTL_RUN:
        status = run(buffer, in_size, out_size, &information);
        break;
    default:
        status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    return complete(irp, status, information);
}

static VOID NTAPI driver_unload(PDRIVER_OBJECT driver)
{
    IoDeleteSymbolicLink(&link_name);
    if (driver->DeviceObject) IoDeleteDevice(driver->DeviceObject);
    winetest_kernel_free();
}

NTSTATUS NTAPI DriverEntry(PDRIVER_OBJECT driver, PUNICODE_STRING registry_path)
{
    UNICODE_STRING routine;
    PDEVICE_OBJECT device;
    NTSTATUS status;

    if (!NT_SUCCESS(status = make_names(registry_path))) return status;
    if (!NT_SUCCESS(status = winetest_kernel_init())) return status;
#ifdef NTRUNDOWN_SYSTEM_ROUTINES
    system_routines_init();
#endif
    RtlInitUnicodeString(&routine, L"KeExpandKernelStackAndCallout");
    expand_stack_and_callout = (NTSTATUS (NTAPI *)(PEXPAND_STACK_CALLOUT, PVOID, SIZE_T))
        MmGetSystemRoutineAddress(&routine);
    KeInitializeEvent(&run_lock, SynchronizationEvent, TRUE);

    status = IoCreateDevice(driver, 0, &device_name, FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, FALSE, &device);
    if (!NT_SUCCESS(status))
    {
        winetest_kernel_free();
        return status;
    }
    status = IoCreateSymbolicLink(&link_name, &device_name);
    if (!NT_SUCCESS(status))
    {
        IoDeleteDevice(device);
        winetest_kernel_free();
        return status;
    }
    driver->MajorFunction[IRP_MJ_CREATE] = dispatch_create_close;
    driver->MajorFunction[IRP_MJ_CLOSE] = dispatch_create_close;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = dispatch_device_control;
    driver->DriverUnload = driver_unload;
    return STATUS_SUCCESS;
}
