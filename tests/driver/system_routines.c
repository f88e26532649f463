/*
 * ntrundown conformance tests in a kernel driver: the "system" flavour's
 * routines, looked up in the running kernel
 *
 * See system_routines.h.  Wine's ntoskrnl.exe exports the classic routines
 * as stubs that abort the driver host (winedevice) when called, and lacks
 * the cache-aware ones; MmGetSystemRoutineAddress() returns NULL for a
 * routine that is not exported.  A stub is recognised by winebuild's code
 * for it on x86_64; elsewhere under Wine every export counts as a stub,
 * since calling one would take the driver host and every later test down.
 */

#include <ddk/wdm.h>
#include "support.h"
#include "winetest.h"

#define SYSTEM_ROUTINE_DEFINE(name, cache_aware) __typeof__(system_##name) system_##name;
RUNDOWN_ROUTINES(SYSTEM_ROUTINE_DEFINE)

enum routine_state { ROUTINE_NOT_LOOKED_UP, ROUTINE_AVAILABLE, ROUTINE_MISSING, ROUTINE_WINE_STUB };

struct routine
{
    const char *name;
    BOOLEAN cache_aware;
    enum routine_state state;
};

#define SYSTEM_ROUTINE_ONE(name, cache_aware) + 1
static struct routine routines[0 RUNDOWN_ROUTINES(SYSTEM_ROUTINE_ONE)];
static ULONG routine_count;

/* winebuild's stubs, which call __wine_spec_unimplemented_stub:
 *   x86_64: 48 83 ec 28            sub  $0x28,%rsp
 *           48 8d 0d XX XX XX XX   lea  dll_name(%rip),%rcx
 *           48 8d 15 XX XX XX XX   lea  function_name(%rip),%rdx
 *           e8 XX XX XX XX         call ...
 *   i386:   90 x 9                 nop (nine of them)
 *           83 ec 0c               sub  $0xc,%esp
 *           c7 44 24 04 XX XX XX XX movl $function_name,0x4(%esp)
 *           c7 04 24 XX XX XX XX   movl $dll_name,(%esp)
 *           e8 XX XX XX XX         call ... */
static BOOLEAN matches(const UCHAR *code, const UCHAR *pattern, ULONG size)
{
    ULONG i;

    for (i = 0; i < size; i++) if (pattern[i] != 0xff && code[i] != pattern[i]) return FALSE;
    return TRUE;
}

static BOOLEAN is_wine_stub(const UCHAR *code)
{
    /* 0xff: any byte */
    static const UCHAR stub_x86_64[] = { 0x48, 0x83, 0xec, 0x28, 0x48, 0x8d, 0x0d, 0xff, 0xff, 0xff, 0xff,
                                    0x48, 0x8d, 0x15, 0xff, 0xff, 0xff, 0xff, 0xe8 };
    static const UCHAR stub_i386[] = { 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x83, 0xec, 0x0c,
                                  0xc7, 0x44, 0x24, 0x04, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x04, 0x24 };

    if (sizeof(void *) == 8) return matches(code, stub_x86_64, sizeof(stub_x86_64));
    return matches(code, stub_i386, sizeof(stub_i386));
}

static PVOID resolve(const char *name, const WCHAR *wide_name, BOOLEAN cache_aware)
{
    struct routine *routine = &routines[routine_count++];
    UNICODE_STRING str;
    PVOID address;

    RtlInitUnicodeString(&str, wide_name);
    address = MmGetSystemRoutineAddress(&str);
    routine->name = name;
    routine->cache_aware = cache_aware;
    if (!address) routine->state = ROUTINE_MISSING;
    else if (compat_running_on_wine() && is_wine_stub(address)) routine->state = ROUTINE_WINE_STUB;
    else routine->state = ROUTINE_AVAILABLE;
    return routine->state == ROUTINE_AVAILABLE ? address : NULL;
}

#define WIDE_(str) L ## str
#define WIDE(str) WIDE_(str)
#define SYSTEM_ROUTINE_RESOLVE(name, cache_aware) \
    system_##name = (__typeof__(system_##name))resolve(#name, WIDE(#name), cache_aware);

void system_routines_init(void)
{
    routine_count = 0;
    RUNDOWN_ROUTINES(SYSTEM_ROUTINE_RESOLVE)
}

BOOLEAN rundown_routines_available(BOOLEAN cache_aware)
{
    BOOLEAN available = TRUE;
    ULONG i;

    for (i = 0; i < routine_count; i++)
    {
        const struct routine *routine = &routines[i];

        if (routine->cache_aware && !cache_aware) continue;
        switch (routine->state)
        {
        case ROUTINE_AVAILABLE:
            break;
        case ROUTINE_WINE_STUB:
            todo_wine win_skip("%s is a Wine stub that aborts the driver host; not called\n", routine->name);
            available = FALSE;
            break;
        default:
            todo_wine win_skip("%s is not exported by ntoskrnl.exe\n", routine->name);
            available = FALSE;
            break;
        }
    }
    if (!routine_count)
    {
        ok(0, "the routines were not looked up\n");
        available = FALSE;
    }
    return available;
}

const char *rundown_routines_platform(void)
{
    return compat_running_on_wine() ? "wine" : "windows";
}
