/*
 * ntrundown conformance tests: the kernel-mode back end of the harness
 *
 * Implements winetest_backend.h inside a Windows kernel driver:
 *
 * - output goes to a nonpaged text buffer that the driver owns and hands to
 *   the loader at the end of a run; a writer reserves its bytes with one
 *   interlocked compare-exchange, so lines written by concurrent threads
 *   never interleave, and what does not fit is counted and marked;
 * - formatting is ntoskrnl's _vsnprintf, which does not terminate a string
 *   that fills the buffer: we do;
 * - a line longer than the harness's stack buffer (WINETEST_LINE_STACK)
 *   goes to nonpaged pool, up to the size of the text buffer; a longer one
 *   could not be handed to the loader whole anyway, and is cut (the only
 *   limit on a line that Wine's harness does not have);
 * - WINETEST_COLOR comes resolved from the loader ("auto" is its terminal's
 *   business: here it means no colour);
 * - the environment is a small table of "NAME=value" strings that the loader
 *   sends with each run (WINETEST_PLATFORM, WINETEST_DEBUG, ...);
 * - the kernel has no thread-local storage: each thread that calls ok()
 *   claims a slot of a fixed table, keyed by PsGetCurrentThread(), with an
 *   interlocked compare-exchange.  The slot holds a reference on the thread
 *   object, so that the address cannot come back as another thread's while
 *   the slot is in use; slots of threads that have ended are reclaimed when
 *   the table is full, and all are released at the end of a run;
 * - the process id is PsGetCurrentProcessId(), the clock the interrupt time.
 *
 * Everything here may run at IRQL <= DISPATCH_LEVEL.
 */

#include <ddk/wdm.h>
#include "winetest_kernel.h"
#include "winetest_backend.h"

#define POOL_TAG 0x4e725774 /* 'tWrN' */

/* ntoskrnl.exe exports it; no C library is linked into a driver */
int __cdecl _vsnprintf(char *buffer, size_t count, const char *format, va_list args);

/* ntddk.h declares it, but that header wants the ddk directory itself on
 * the include path */
NTKERNELAPI HANDLE NTAPI PsGetCurrentProcessId(VOID);

/* wdm.h makes PsGetCurrentThread() an inline read of the processor block
 * (gs:[188h] on x64, fs:[124h] on i386), which Wine, where a driver runs in
 * user mode, does not provide: call ntoskrnl's export instead, which both
 * systems have. */
#ifdef __i386__
extern PVOID NTAPI exported_PsGetCurrentThread(VOID) __asm__("_PsGetCurrentThread@0");
#else
extern PVOID NTAPI exported_PsGetCurrentThread(VOID) __asm__("PsGetCurrentThread");
#endif

/* ---- output ------------------------------------------------------------- */

/* the end of the buffer is kept for the truncation mark */
#define MARK_ROOM 128

static char *output_buffer;
static volatile LONG output_used;       /* bytes reserved, at most the usable size */
static volatile LONG output_lost;       /* bytes that did not fit, saturated */

static SIZE_T text_length(const char *text)
{
    const char *p = text;

    while (*p) p++;
    return (SIZE_T)(p - text);
}

static void add_lost(SIZE_T bytes)
{
    LONG old, new;

    do
    {
        old = output_lost;
        new = (ULONG)old + bytes > MAXLONG ? MAXLONG : (LONG)(old + bytes);
    } while (InterlockedCompareExchange(&output_lost, new, old) != old);
}

void winetest_backend_output(const char *text)
{
    const LONG usable = WINETEST_KERNEL_OUTPUT_SIZE - MARK_ROOM;
    SIZE_T len = text_length(text);
    LONG used, end;

    if (!output_buffer || !len) return;
    do
    {
        used = output_used;
        if (used >= usable)
        {
            add_lost(len);
            return;
        }
        end = len >= (SIZE_T)(usable - used) ? usable : used + (LONG)len;
    } while (InterlockedCompareExchange(&output_used, end, used) != used);

    RtlCopyMemory(output_buffer + used, text, end - used);
    if ((SIZE_T)(end - used) < len) add_lost(len - (end - used));
}

int winetest_backend_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    int ret;

    if (!size) return -1;
    ret = _vsnprintf(buf, size - 1, fmt, args);
    buf[size - 1] = 0;
    if (ret >= 0 && (size_t)ret < size) buf[ret] = 0;
    return ret;
}

/* ---- memory for long lines -------------------------------------------- */

void *winetest_backend_alloc(size_t size)
{
    if (size > WINETEST_KERNEL_OUTPUT_SIZE) return NULL;
    return ExAllocatePoolWithTag(NonPagedPool, size, POOL_TAG);
}

void winetest_backend_free(void *ptr)
{
    ExFreePoolWithTag(ptr, POOL_TAG);
}

int winetest_backend_color(int automode, int value)
{
    return automode ? 0 : value;
}

/* ---- environment -------------------------------------------------------- */

#define ENV_SIZE    2048
#define ENV_ENTRIES 32

static char env_strings[ENV_SIZE];
static const char *env_table[ENV_ENTRIES];
static ULONG env_count;

BOOLEAN winetest_kernel_set_env(const char *strings, SIZE_T length)
{
    SIZE_T pos = 0, len;

    env_count = 0;
    if (length > sizeof(env_strings)) return FALSE;
    RtlCopyMemory(env_strings, strings, length);
    while (pos < length && env_strings[pos])
    {
        for (len = 0; pos + len < length && env_strings[pos + len]; len++) ;
        if (pos + len == length || env_count == ENV_ENTRIES)
        {
            env_count = 0;      /* not terminated, or too many */
            return FALSE;
        }
        env_table[env_count++] = env_strings + pos;
        pos += len + 1;
    }
    return TRUE;
}

const char *winetest_backend_getenv(const char *name)
{
    ULONG i;
    SIZE_T j;

    for (i = 0; i < env_count; i++)
    {
        const char *entry = env_table[i];

        for (j = 0; name[j] && entry[j] == name[j]; j++) ;
        if (!name[j] && entry[j] == '=') return entry + j + 1;
    }
    return NULL;
}

/* ---- thread data -------------------------------------------------------- */

#define THREAD_SLOTS 128
#define SLOT_RECLAIMING ((PVOID)(ULONG_PTR)1)

struct thread_slot
{
    PVOID volatile thread;      /* the owner (referenced), NULL, or SLOT_RECLAIMING */
    struct winetest_thread_data data;
};

static struct thread_slot *thread_slots;
static struct winetest_thread_data overflow_data;   /* shared by threads that found no slot */
static volatile LONG thread_overflow;

static BOOLEAN thread_has_ended(PVOID thread)
{
    LARGE_INTEGER zero;

    zero.QuadPart = 0;
    return KeWaitForSingleObject(thread, Executive, KernelMode, FALSE, &zero) == STATUS_SUCCESS;
}

static struct winetest_thread_data *claim_slot(PVOID self)
{
    ULONG i;

    for (i = 0; i < THREAD_SLOTS; i++)
    {
        if (InterlockedCompareExchangePointer(&thread_slots[i].thread, self, NULL) == NULL)
        {
            ObReferenceObject(self);
            return &thread_slots[i].data;
        }
    }
    return NULL;
}

/* Frees the slots of threads that have ended; their data is no one's. */
static void reclaim_slots(PVOID self)
{
    ULONG i;

    for (i = 0; i < THREAD_SLOTS; i++)
    {
        PVOID thread = thread_slots[i].thread;

        if (!thread || thread == SLOT_RECLAIMING || thread == self || !thread_has_ended(thread)) continue;
        if (InterlockedCompareExchangePointer(&thread_slots[i].thread, SLOT_RECLAIMING, thread) != thread)
            continue;
        RtlZeroMemory(&thread_slots[i].data, sizeof(thread_slots[i].data));
        ObDereferenceObject(thread);
        InterlockedExchangePointer(&thread_slots[i].thread, NULL);
    }
}

struct winetest_thread_data *winetest_backend_thread_data(void)
{
    PVOID self = exported_PsGetCurrentThread();
    struct winetest_thread_data *data;
    ULONG i;

    if (!thread_slots) return &overflow_data;
    for (i = 0; i < THREAD_SLOTS; i++)
        if (thread_slots[i].thread == self) return &thread_slots[i].data;

    if ((data = claim_slot(self))) return data;
    reclaim_slots(self);
    if ((data = claim_slot(self))) return data;
    InterlockedIncrement(&thread_overflow);
    return &overflow_data;
}

static void release_slots(void)
{
    ULONG i;

    for (i = 0; i < THREAD_SLOTS; i++)
    {
        PVOID thread = InterlockedExchangePointer(&thread_slots[i].thread, SLOT_RECLAIMING);

        RtlZeroMemory(&thread_slots[i].data, sizeof(thread_slots[i].data));
        if (thread && thread != SLOT_RECLAIMING) ObDereferenceObject(thread);
        InterlockedExchangePointer(&thread_slots[i].thread, NULL);
    }
    RtlZeroMemory(&overflow_data, sizeof(overflow_data));
    thread_overflow = 0;
}

/* ---- process, clock ----------------------------------------------------- */

unsigned long winetest_backend_pid(void)
{
    return (unsigned long)(ULONG_PTR)PsGetCurrentProcessId();
}

/* The interrupt time, in 100 ns units, as milliseconds modulo 2^32, with
 * 32-bit divisions only: i386 has no 64-bit one, and the helper that gcc
 * would call (__udivdi3) is in libgcc, which a driver does not link. */
static unsigned long interrupt_time_ms(ULONGLONG time)
{
    ULONG high = (ULONG)(time >> 32), low = (ULONG)time, rest, part, high_part, low_part;

    rest = high % 10000;                            /* < 2^14 */
    part = (rest << 16) | (low >> 16);              /* < 2^30 */
    high_part = part / 10000;
    part = ((part % 10000) << 16) | (low & 0xffff);
    low_part = part / 10000;
    return (unsigned long)((high_part << 16) + low_part);
}

#ifdef _WIN64
/* On x64 wdm.h makes KeQueryInterruptTime() a read of KUSER_SHARED_DATA at
 * its kernel address, which Wine does not map; ntoskrnl.exe exports the
 * function too (Wine's does), so call that when it is there. */
static ULONGLONG (NTAPI *query_interrupt_time)(void);

static void init_clock(void)
{
    UNICODE_STRING name;

    RtlInitUnicodeString(&name, L"KeQueryInterruptTime");
    query_interrupt_time = (ULONGLONG (NTAPI *)(void))MmGetSystemRoutineAddress(&name);
}

unsigned long winetest_backend_ticks(void)
{
    return interrupt_time_ms(query_interrupt_time ? query_interrupt_time() : KeQueryInterruptTime());
}
#else
static void init_clock(void)
{
}

unsigned long winetest_backend_ticks(void)
{
    return interrupt_time_ms(KeQueryInterruptTime());
}
#endif

/* ---- runs --------------------------------------------------------------- */

static void format(char *buf, SIZE_T size, const char *fmt, ...) WINETEST_PRINTF_ATTR(3, 4);
static void format(char *buf, SIZE_T size, const char *fmt, ...)
{
    va_list args;

    va_start(args, fmt);
    winetest_backend_vsnprintf(buf, size, fmt, args);
    va_end(args);
}

NTSTATUS winetest_kernel_init(void)
{
    init_clock();
    output_buffer = ExAllocatePoolWithTag(NonPagedPool, WINETEST_KERNEL_OUTPUT_SIZE, POOL_TAG);
    thread_slots = ExAllocatePoolWithTag(NonPagedPool, sizeof(*thread_slots) * THREAD_SLOTS, POOL_TAG);
    if (!output_buffer || !thread_slots)
    {
        winetest_kernel_free();
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlZeroMemory(thread_slots, sizeof(*thread_slots) * THREAD_SLOTS);
    output_used = output_lost = 0;
    return STATUS_SUCCESS;
}

void winetest_kernel_free(void)
{
    if (thread_slots)
    {
        release_slots();
        ExFreePoolWithTag(thread_slots, POOL_TAG);
        thread_slots = NULL;
    }
    if (output_buffer)
    {
        ExFreePoolWithTag(output_buffer, POOL_TAG);
        output_buffer = NULL;
    }
}

void winetest_kernel_begin(void)
{
    release_slots();
    InterlockedExchange(&output_used, 0);
    InterlockedExchange(&output_lost, 0);
}

const char *winetest_kernel_end(ULONG *length, ULONG *lost, ULONG *overflow)
{
    ULONG used = (ULONG)output_used;

    *lost = (ULONG)output_lost;
    *overflow = (ULONG)thread_overflow;
    if (*lost)
    {
        /* the lines were cut anywhere: end the last one, then say so */
        char *mark = output_buffer + used;
        SIZE_T room = WINETEST_KERNEL_OUTPUT_SIZE - used;

        if (used && output_buffer[used - 1] != '\n') *mark++ = '\n', room--;
        format(mark, room, "ntrundown driver: output truncated, %lu bytes lost\n", (unsigned long)*lost);
        used = (ULONG)(mark - output_buffer) + (ULONG)text_length(mark);
    }
    release_slots();
    *length = used;
    return output_buffer;
}
