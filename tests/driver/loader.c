/*
 * ntrundown conformance tests in a kernel driver: the user-mode loader
 *
 * usage: ntrundown_loader.exe DRIVER.sys SERVICE_NAME [test ...]
 *        ntrundown_loader.exe --start DRIVER.sys SERVICE_NAME
 *
 * With --start it only installs and starts DRIVER.sys, any kernel driver:
 * the exit status is 0 when the service started (its DriverEntry returned
 * success) and 1 when it did not; then it stops and deletes the service.
 *
 * Installs DRIVER.sys as the kernel-driver service SERVICE_NAME (replacing
 * a stale service of that name), starts it, runs each named test, or every
 * test of the driver's list, with one request each (driver_ioctl.h), and
 * prints the text the harness wrote in the driver, one test after the
 * other, through stdout in text mode, as a Wine harness program prints its
 * lines ("\r\n").  Then it stops and deletes the service.
 *
 * A driver that imports an export driver (ntrundown.sys) needs it where the
 * kernel looks for it, %SystemRoot%\System32\drivers: each DLL the driver
 * imports that sits beside it is copied there for the run, and removed
 * afterwards unless it was there before.
 *
 * The configuration goes to the driver: every WINETEST_* variable
 * (WINETEST_PLATFORM, WINETEST_DEBUG, ...) and NTRUNDOWN_* variable of the
 * environment that is not empty (Wine's harness takes an empty one for
 * unset), WINETEST_COLOR as 0 or 1, decided here as Wine's harness decides
 * it for its stdout ("auto": whether it is a terminal).  Without
 * WINETEST_PLATFORM the driver picks its platform (driver.c).
 *
 * The exit status is the sum of the tests' failures, capped at 255, where
 * an unknown test and a truncated output count one each.  A failure to set
 * up or to talk to the driver (a service that cannot be created or started,
 * a device that cannot be opened, a request that fails, as when the driver
 * host crashed) is reported on stderr with exit status 255.  The loader's
 * own messages all go to stderr; stdout carries the harness text only.
 */

#include <windows.h>
#include <io.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "driver_ioctl.h"

#ifndef ERROR_INVALID_IMAGE_HASH
# define ERROR_INVALID_IMAGE_HASH 577
#endif

#define SETUP_ERROR 255
#define MAX_STAGED  8

static const char *prog = "ntrundown_loader";

/* The loader's own messages go to stderr; stdout is the harness text. */
static void message(const char *kind, const char *fmt, va_list args)
{
    fflush(stdout);
    fprintf(stderr, "%s: %s", prog, kind);
    vfprintf(stderr, fmt, args);
    fflush(stderr);
}

static void error(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    message("error: ", fmt, args);
    va_end(args);
}

static void note(const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    message("", fmt, args);
    va_end(args);
}

static const char *wine_version(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    const char *(CDECL *get_version)(void);

    if (!ntdll) return NULL;
    get_version = (const char *(CDECL *)(void))(void (*)(void))GetProcAddress(ntdll, "wine_get_version");
    return get_version ? get_version() : NULL;
}

/* ---- configuration ------------------------------------------------------ */

static char env_block[2048];
static size_t env_length;

static BOOL env_add(const char *name, const char *value)
{
    int len = snprintf(env_block + env_length, sizeof(env_block) - env_length, "%s=%s", name, value);

    if (len < 0 || (size_t)len + 2 > sizeof(env_block) - env_length)
    {
        error("the value of %s is too long\n", name);
        return FALSE;
    }
    env_length += (size_t)len + 1;
    return TRUE;
}

#ifndef ENABLE_VIRTUAL_TERMINAL_PROCESSING
# define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#endif

/* WINETEST_COLOR for our stdout, as Wine's harness takes it */
static int stdout_color(const char *setting)
{
    BOOL automode = !strcmp(setting, "auto");
    int color = automode ? _isatty(_fileno(stdout)) : atoi(setting);

    if (color)
    {
        HANDLE out = (HANDLE)_get_osfhandle(_fileno(stdout));
        DWORD mode;

        if (GetConsoleMode(out, &mode) &&
            !SetConsoleMode(out, mode | ENABLE_PROCESSED_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING) && automode)
            color = 0;
    }
    return color;
}

/* Every WINETEST_* and NTRUNDOWN_* variable of the environment that is not
 * empty; WINETEST_COLOR resolved for our stdout. */
static BOOL make_env(void)
{
    char *strings = GetEnvironmentStringsA(), *entry;
    BOOL ok = TRUE;

    if (!strings) return TRUE;
    for (entry = strings; ok && *entry; entry += strlen(entry) + 1)
    {
        char *equals = strchr(entry, '=');

        if (!equals || equals == entry || !equals[1]) continue;
        if (strncmp(entry, "WINETEST_", 9) && strncmp(entry, "NTRUNDOWN_", 10)) continue;
        *equals = 0;
        if (!strcmp(entry, "WINETEST_COLOR")) ok = env_add(entry, stdout_color(equals + 1) ? "1" : "0");
        else ok = env_add(entry, equals + 1);
        *equals = '=';
    }
    FreeEnvironmentStringsA(strings);
    return ok;
}

/* ---- the export drivers the driver imports ------------------------------ */

struct staged
{
    char path[MAX_PATH];
    BOOL remove;        /* we put it there */
};

static struct staged staged[MAX_STAGED];
static unsigned int staged_count;

static unsigned char *read_file(const char *path, DWORD *size)
{
    HANDLE file = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
    unsigned char *data = NULL;
    DWORD got;

    if (file == INVALID_HANDLE_VALUE) return NULL;
    *size = GetFileSize(file, NULL);
    if (*size != INVALID_FILE_SIZE && *size < 64 * 1024 * 1024 && (data = malloc(*size ? *size : 1)))
    {
        if (!ReadFile(file, data, *size, &got, NULL) || got != *size)
        {
            free(data);
            data = NULL;
        }
    }
    CloseHandle(file);
    return data;
}

/* the file offset of an RVA, or 0 */
static DWORD rva_to_offset(const IMAGE_SECTION_HEADER *sections, unsigned int count, DWORD rva)
{
    unsigned int i;

    for (i = 0; i < count; i++)
    {
        DWORD size = sections[i].Misc.VirtualSize ? sections[i].Misc.VirtualSize : sections[i].SizeOfRawData;
        if (rva >= sections[i].VirtualAddress && rva - sections[i].VirtualAddress < size &&
            rva - sections[i].VirtualAddress < sections[i].SizeOfRawData)
            return sections[i].PointerToRawData + (rva - sections[i].VirtualAddress);
    }
    return 0;
}

/* Calls found() with each DLL name in the import table of a PE file; FALSE
 * when the file is no PE image, or when found() says so. */
static BOOL for_each_import(const char *path, BOOL (*found)(const char *dll, const char *dir), const char *dir)
{
    const IMAGE_DOS_HEADER *dos;
    const IMAGE_NT_HEADERS32 *nt;
    const IMAGE_SECTION_HEADER *sections;
    const IMAGE_DATA_DIRECTORY *imports;
    unsigned char *data;
    unsigned int count;
    DWORD size, offset, pos;
    BOOL ret = TRUE;

    if (!(data = read_file(path, &size)))
    {
        error("cannot read %s: error %lu\n", path, GetLastError());
        return FALSE;
    }
    dos = (const IMAGE_DOS_HEADER *)data;
    if (size < sizeof(*dos) || dos->e_magic != IMAGE_DOS_SIGNATURE || dos->e_lfanew < 0 ||
        size < sizeof(IMAGE_NT_HEADERS64) || (DWORD)dos->e_lfanew > size - sizeof(IMAGE_NT_HEADERS64))
        goto not_pe;
    nt = (const IMAGE_NT_HEADERS32 *)(data + dos->e_lfanew);
    if (nt->Signature != IMAGE_NT_SIGNATURE) goto not_pe;
    if (nt->OptionalHeader.Magic == IMAGE_NT_OPTIONAL_HDR64_MAGIC)
        imports = &((const IMAGE_NT_HEADERS64 *)nt)->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    else if (nt->OptionalHeader.Magic == IMAGE_NT_OPTIONAL_HDR32_MAGIC)
        imports = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    else
        goto not_pe;
    sections = (const IMAGE_SECTION_HEADER *)((const unsigned char *)&nt->OptionalHeader +
                                              nt->FileHeader.SizeOfOptionalHeader);
    count = nt->FileHeader.NumberOfSections;
    if ((const unsigned char *)(sections + count) > data + size) goto not_pe;
    if (!imports->VirtualAddress || !(offset = rva_to_offset(sections, count, imports->VirtualAddress)))
        goto done;
    for (pos = offset; pos + sizeof(IMAGE_IMPORT_DESCRIPTOR) <= size; pos += sizeof(IMAGE_IMPORT_DESCRIPTOR))
    {
        const IMAGE_IMPORT_DESCRIPTOR *desc = (const IMAGE_IMPORT_DESCRIPTOR *)(data + pos);
        DWORD name;

        if (!desc->Name) break;
        name = rva_to_offset(sections, count, desc->Name);
        if (!name || !memchr(data + name, 0, size - name)) continue;
        if (!(ret = found((const char *)data + name, dir))) break;
    }
    goto done;
not_pe:
    error("%s is not a PE image\n", path);
    ret = FALSE;
done:
    free(data);
    return ret;
}

static BOOL same_contents(const char *a, const char *b)
{
    DWORD size_a, size_b;
    unsigned char *data_a = read_file(a, &size_a), *data_b = read_file(b, &size_b);
    BOOL same = data_a && data_b && size_a == size_b && !memcmp(data_a, data_b, size_a);

    free(data_a);
    free(data_b);
    return same;
}

/* An imported DLL that sits beside the driver goes to System32\drivers. */
static BOOL stage_import(const char *dll, const char *dir)
{
    char source[MAX_PATH], target[MAX_PATH], system[MAX_PATH];
    struct staged *entry;
    BOOL existed;

    if (strchr(dll, '\\') || strchr(dll, '/')) return TRUE;
    if (snprintf(source, sizeof(source), "%s%s", dir, dll) >= (int)sizeof(source)) return TRUE;
    if (GetFileAttributesA(source) == INVALID_FILE_ATTRIBUTES) return TRUE;    /* a system module */
    if (!GetSystemDirectoryA(system, sizeof(system)) ||
        snprintf(target, sizeof(target), "%s\\drivers\\%s", system, dll) >= (int)sizeof(target))
    {
        error("no path in the system directory for %s\n", dll);
        return FALSE;
    }
    if (staged_count == MAX_STAGED)
    {
        error("the driver imports too many modules beside it\n");
        return FALSE;
    }
    existed = GetFileAttributesA(target) != INVALID_FILE_ATTRIBUTES;
    if (existed && same_contents(source, target)) return TRUE;
    /* A 32-bit loader in a 64-bit Wine prefix sees SysWOW64 here, which may
     * lack the folder; Windows always has it. */
    *strrchr(target, '\\') = 0;
    CreateDirectoryA(target, NULL);
    target[strlen(target)] = '\\';
    if (!CopyFileA(source, target, FALSE))
    {
        error("cannot copy %s to %s, which the driver imports it from: error %lu\n", source, target,
              GetLastError());
        return FALSE;
    }
    if (existed) note("replaced %s with %s (left there after the run)\n", target, source);
    entry = &staged[staged_count++];
    strcpy(entry->path, target);
    entry->remove = !existed;
    return TRUE;
}

static void unstage_imports(void)
{
    while (staged_count)
    {
        struct staged *entry = &staged[--staged_count];

        if (entry->remove && !DeleteFileA(entry->path))
            note("cannot remove %s: error %lu\n", entry->path, GetLastError());
    }
}

/* ---- the service -------------------------------------------------------- */

static BOOL wait_state(SC_HANDLE service, DWORD state, DWORD timeout_ms)
{
    DWORD start = GetTickCount();
    SERVICE_STATUS status;

    for (;;)
    {
        if (!QueryServiceStatus(service, &status)) return FALSE;
        if (status.dwCurrentState == state) return TRUE;
        if (status.dwCurrentState == SERVICE_STOPPED && state == SERVICE_RUNNING) return FALSE;
        if (GetTickCount() - start > timeout_ms) return FALSE;
        Sleep(10);
    }
}

static void stop_service(SC_HANDLE service)
{
    SERVICE_STATUS status;

    if (ControlService(service, SERVICE_CONTROL_STOP, &status)) wait_state(service, SERVICE_STOPPED, 10000);
}

static void remove_stale_service(SC_HANDLE manager, const char *name)
{
    SC_HANDLE service = OpenServiceA(manager, name, SERVICE_ALL_ACCESS);

    if (!service) return;
    note("removing the stale service %s\n", name);
    stop_service(service);
    if (!DeleteService(service) && GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE)
        note("DeleteService(%s) failed: error %lu\n", name, GetLastError());
    CloseServiceHandle(service);
}

static SC_HANDLE create_service(SC_HANDLE manager, const char *name, const char *image)
{
    SC_HANDLE service;
    unsigned int tries;

    for (tries = 0; ; tries++)
    {
        service = CreateServiceA(manager, name, name, SERVICE_ALL_ACCESS, SERVICE_KERNEL_DRIVER,
                                 SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL, image,
                                 NULL, NULL, NULL, NULL, NULL);
        if (service || GetLastError() != ERROR_SERVICE_MARKED_FOR_DELETE || tries == 100) break;
        Sleep(50);  /* someone still holds a handle of the deleted service */
    }
    if (!service) error("CreateService(%s, %s) failed: error %lu\n", name, image, GetLastError());
    return service;
}

static const char *start_hint(DWORD code, BOOL wine)
{
    switch (code)
    {
    case ERROR_INVALID_HANDLE:
        return wine ? " (under Wine: the driver host crashed earlier in this wineserver session; "
                      "end the session with 'wineserver -k')" : "";
    case ERROR_DLL_INIT_FAILED:
    case ERROR_MOD_NOT_FOUND:
    case ERROR_PROC_NOT_FOUND:
        return " (a module or routine the driver imports is missing)";
    case ERROR_INVALID_IMAGE_HASH:
        return " (the driver is not signed: enable test signing and sign it, see tools/windows/sign_driver.sh)";
    default:
        return "";
    }
}

/* ---- requests ----------------------------------------------------------- */

static BOOL request_info(HANDLE device, struct ntrd_reply **reply_ret)
{
    DWORD size = sizeof(struct ntrd_reply) + 4096, got = 0;
    struct ntrd_reply *reply = calloc(1, size);

    if (!reply) return FALSE;
    if (!DeviceIoControl(device, NTRD_IOCTL_INFO, NULL, 0, reply, size, &got, NULL))
    {
        error("DeviceIoControl(INFO) failed: error %lu\n", GetLastError());
        free(reply);
        return FALSE;
    }
    if (got < sizeof(*reply) || reply->magic != NTRD_MAGIC || reply->version != NTRD_VERSION ||
        reply->text_length > got - sizeof(*reply) || reply->truncated)
    {
        error("the driver's INFO reply is not understood\n");
        free(reply);
        return FALSE;
    }
    *reply_ret = reply;
    return TRUE;
}

/* Runs one test ("" for all) and prints its text; FALSE on a setup error. */
static BOOL request_run(HANDLE device, const char *name, DWORD capacity, long *failures)
{
    size_t name_len = strlen(name);
    DWORD in_size = (DWORD)(sizeof(struct ntrd_request) + name_len + 1 + env_length + 1);
    DWORD out_size = sizeof(struct ntrd_reply) + capacity, got = 0;
    struct ntrd_request *request;
    struct ntrd_reply *reply;
    char *strings;
    BOOL ret = FALSE;

    request = calloc(1, in_size);
    reply = calloc(1, out_size);
    if (!request || !reply)
    {
        error("out of memory\n");
        goto done;
    }
    request->magic = NTRD_MAGIC;
    request->version = NTRD_VERSION;
    request->strings_length = (unsigned int)(name_len + 1 + env_length + 1);
    strings = (char *)(request + 1);
    memcpy(strings, name, name_len + 1);
    memcpy(strings + name_len + 1, env_block, env_length);
    strings[name_len + 1 + env_length] = 0;

    if (!DeviceIoControl(device, NTRD_IOCTL_RUN, request, in_size, reply, out_size, &got, NULL))
    {
        DWORD code = GetLastError();
        error("DeviceIoControl(RUN %s) failed: error %lu%s\n", *name ? name : "(all)", code,
              wine_version() ? " (under Wine the driver host may have crashed: see the Wine messages above)" : "");
        goto done;
    }
    if (got < sizeof(*reply) || reply->magic != NTRD_MAGIC || reply->version != NTRD_VERSION ||
        reply->text_length > got - sizeof(*reply))
    {
        error("the driver's RUN reply is not understood\n");
        goto done;
    }
    fwrite(reply + 1, 1, reply->text_length, stdout);
    fflush(stdout);
    if (reply->status < 0) *failures += 1;  /* unknown test: the text says which */
    else *failures += reply->status;
    if (reply->truncated)
    {
        note("%s: %u bytes of output lost\n", *name ? name : "(all)", reply->lost_bytes);
        *failures += 1;
    }
    if (reply->thread_overflow)
        note("%s: %u checks from threads beyond the driver's thread table\n", *name ? name : "(all)",
             reply->thread_overflow);
    ret = TRUE;
done:
    free(request);
    free(reply);
    return ret;
}

/* ---- main --------------------------------------------------------------- */

static BOOL run_tests(const char *service_name, int argc, char **argv, long *failures)
{
    char device_path[sizeof("\\\\.\\") + NTRD_NAME_MAX];
    struct ntrd_reply *info = NULL;
    HANDLE device;
    BOOL ret = TRUE;
    int i;

    snprintf(device_path, sizeof(device_path), "\\\\.\\%s", service_name);
    device = CreateFileA(device_path, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (device == INVALID_HANDLE_VALUE)
    {
        error("cannot open %s: error %lu\n", device_path, GetLastError());
        return FALSE;
    }
    if (!request_info(device, &info)) ret = FALSE;
    else if (argc)
    {
        for (i = 0; i < argc && ret; i++) ret = request_run(device, argv[i], info->capacity, failures);
    }
    else
    {
        /* every test of the driver's list, one request each */
        char *names = malloc(info->text_length + 1), *name, *end;

        if (!names)
        {
            error("out of memory\n");
            ret = FALSE;
        }
        else
        {
            memcpy(names, info + 1, info->text_length);
            names[info->text_length] = 0;
            for (name = names; ret && *name; name = end + 1)
            {
                if (!(end = strchr(name, '\n'))) break;
                *end = 0;
                if (*name) ret = request_run(device, name, info->capacity, failures);
            }
            free(names);
        }
    }
    free(info);
    CloseHandle(device);
    return ret;
}

int main(int argc, char **argv)
{
    char image[MAX_PATH], dir[MAX_PATH], *file_part = NULL;
    const char *service_name, *wine;
    SC_HANDLE manager, service;
    long failures = 0;
    BOOL ok = FALSE, start_only = FALSE, started = FALSE;
    DWORD len;
    size_t i;

    if (argc > 1 && !strcmp(argv[1], "--start"))
    {
        start_only = TRUE;
        argc--;
        argv++;
    }
    if (argc < 3 || (start_only && argc != 3))
    {
        fprintf(stderr, "usage: %s DRIVER.sys SERVICE_NAME [test ...]\n"
                        "       %s --start DRIVER.sys SERVICE_NAME\n", argv[0], argv[0]);
        return SETUP_ERROR;
    }
    service_name = argv[2];
    if (!*service_name || strlen(service_name) > NTRD_NAME_MAX ||
        strspn(service_name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") !=
        strlen(service_name))
    {
        error("the service name must be 1 to %u letters, digits, '_', '-' or '.'\n", NTRD_NAME_MAX);
        return SETUP_ERROR;
    }

    wine = wine_version();
    if (!make_env()) return SETUP_ERROR;

    len = GetFullPathNameA(argv[1], sizeof(image), image, &file_part);
    if (!len || len >= sizeof(image) || !file_part)
    {
        error("bad driver path %s\n", argv[1]);
        return SETUP_ERROR;
    }
    if (GetFileAttributesA(image) == INVALID_FILE_ATTRIBUTES)
    {
        error("cannot access the driver %s: error %lu\n", image, GetLastError());
        return SETUP_ERROR;
    }
    for (i = 0; image + i < file_part; i++) dir[i] = image[i];
    dir[i] = 0;

    if (!(manager = OpenSCManagerA(NULL, NULL, SC_MANAGER_ALL_ACCESS)))
    {
        error("OpenSCManager failed: error %lu (run as an administrator)\n", GetLastError());
        return SETUP_ERROR;
    }
    remove_stale_service(manager, service_name);
    if (!for_each_import(image, stage_import, dir)) goto done;
    if (!(service = create_service(manager, service_name, image))) goto done;
    if (!StartServiceA(service, 0, NULL))
    {
        DWORD code = GetLastError();
        error("StartService(%s) failed: error %lu%s\n", service_name, code, start_hint(code, wine != NULL));
    }
    else if (!wait_state(service, SERVICE_RUNNING, 30000))
        error("the service %s did not reach the running state\n", service_name);
    else if (start_only)
        started = ok = TRUE;
    else
        ok = run_tests(service_name, argc - 3, argv + 3, &failures);

    stop_service(service);
    if (!DeleteService(service)) note("DeleteService(%s) failed: error %lu\n", service_name, GetLastError());
    CloseServiceHandle(service);
done:
    CloseServiceHandle(manager);
    unstage_imports();
    if (start_only)
    {
        note("%s %s\n", service_name, started ? "started" : "did not start");
        return started ? 0 : 1;
    }
    if (!ok) return SETUP_ERROR;
    return failures > 255 ? 255 : (int)failures;
}
