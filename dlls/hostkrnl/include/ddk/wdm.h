/*
 * Host kernel services: the subset of <ddk/wdm.h> that ntrundown uses
 *
 * The rundown module and the conformance suite are Windows kernel code.  On a
 * POSIX host they include this file instead of a DDK's wdm.h and link against
 * libhostkrnl, a small user-mode emulation of exactly these services.  Names,
 * types and semantics are Windows'; only the implementation is the host's.
 *
 * As in the WDK, this header also declares the rundown protection routines
 * (through ntrundown.h).  The emulation's own switches for the tests, which
 * are not Windows API, are in hostkrnl.h.
 *
 * Built with HOSTKRNL_INTERLOCKED_HOOKS, every interlocked operation and
 * every ReadAcquire / ReadNoFence first calls the hook that
 * HostKrnlSetInterlockedHook() installed, if any: a test can then act at an
 * exact point of a routine, as another processor would (hostkrnl.h).
 */

#ifndef NTRUNDOWN_HOSTKRNL_WDM_H
#define NTRUNDOWN_HOSTKRNL_WDM_H

#define _WDMDDK_

#include "ntrundown_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- more base types ---------------------------------------------------- */

typedef LONG NTSTATUS;
typedef void *HANDLE;
typedef HANDLE *PHANDLE;
typedef ULONG_PTR KAFFINITY, *PKAFFINITY;
typedef UCHAR KIRQL, *PKIRQL;
typedef LONG KPRIORITY;
typedef CHAR KPROCESSOR_MODE;
typedef ULONG ACCESS_MASK;

typedef union _LARGE_INTEGER
{
    struct { ULONG LowPart; LONG HighPart; };
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

#define NT_SUCCESS(status) ((NTSTATUS)(status) >= 0)
#define STATUS_SUCCESS                 ((NTSTATUS)0x00000000)
#define STATUS_TIMEOUT                 ((NTSTATUS)0x00000102)
#define STATUS_INVALID_PARAMETER       ((NTSTATUS)0xC000000D)
#define STATUS_INVALID_HANDLE          ((NTSTATUS)0xC0000008)
#define STATUS_INSUFFICIENT_RESOURCES  ((NTSTATUS)0xC000009A)

#define PASSIVE_LEVEL  0
#define APC_LEVEL      1
#define DISPATCH_LEVEL 2

#define KernelMode 0
#define UserMode   1

typedef enum _KWAIT_REASON { Executive = 0 } KWAIT_REASON;

#define SYNCHRONIZE     0x00100000
#define THREAD_ALL_ACCESS 0x001FFFFF

#define ALL_PROCESSOR_GROUPS 0xffff

#define IO_NO_INCREMENT 0

#ifndef FIELD_OFFSET
# define FIELD_OFFSET(type, field) ((LONG)__builtin_offsetof(type, field))
#endif

#define RtlZeroMemory(dst, len)      __builtin_memset((dst), 0, (len))
#define RtlFillMemory(dst, len, val) __builtin_memset((dst), (val), (len))
#define RtlCopyMemory(dst, src, len) __builtin_memcpy((dst), (src), (len))

/* ---- checked-build diagnostics ------------------------------------------ */

/* Prints the failed assertion and aborts the process. */
VOID NTAPI RtlAssert(PVOID FailedAssertion, PVOID FileName, ULONG LineNumber, PCHAR Message);

#if defined(DBG) && DBG
# define ASSERT(exp) ((void)((exp) ? 0 : (RtlAssert((PVOID)#exp, (PVOID)__FILE__, __LINE__, NULL), 0)))
# define ASSERTMSG(msg, exp) ((void)((exp) ? 0 : (RtlAssert((PVOID)#exp, (PVOID)__FILE__, __LINE__, (PCHAR)(msg)), 0)))
#else
# define ASSERT(exp) ((void)0)
# define ASSERTMSG(msg, exp) ((void)0)
#endif

ULONG DbgPrint(const char *Format, ...) __attribute__((format(printf, 1, 2)));

/* ---- interlocked operations (full barriers, as on Windows) ------------- */

#define NTRUNDOWN_SEQ __ATOMIC_SEQ_CST

#ifdef HOSTKRNL_INTERLOCKED_HOOKS
void hostkrnl_interlocked_hook(const volatile void *address);
# define HOSTKRNL_HOOK(p) hostkrnl_interlocked_hook((const volatile void *)(p))
#else
# define HOSTKRNL_HOOK(p) ((void)0)
#endif

static inline LONG InterlockedIncrement(LONG volatile *p) { HOSTKRNL_HOOK(p); return __atomic_add_fetch(p, 1, NTRUNDOWN_SEQ); }
static inline LONG InterlockedDecrement(LONG volatile *p) { HOSTKRNL_HOOK(p); return __atomic_sub_fetch(p, 1, NTRUNDOWN_SEQ); }
static inline LONG InterlockedExchange(LONG volatile *p, LONG v) { HOSTKRNL_HOOK(p); return __atomic_exchange_n(p, v, NTRUNDOWN_SEQ); }
static inline LONG InterlockedExchangeAdd(LONG volatile *p, LONG v) { HOSTKRNL_HOOK(p); return __atomic_fetch_add(p, v, NTRUNDOWN_SEQ); }
static inline LONG InterlockedAnd(LONG volatile *p, LONG v) { HOSTKRNL_HOOK(p); return __atomic_fetch_and(p, v, NTRUNDOWN_SEQ); }
static inline LONG InterlockedOr(LONG volatile *p, LONG v) { HOSTKRNL_HOOK(p); return __atomic_fetch_or(p, v, NTRUNDOWN_SEQ); }
static inline LONG InterlockedCompareExchange(LONG volatile *p, LONG v, LONG cmp)
{
    HOSTKRNL_HOOK(p);
    __atomic_compare_exchange_n(p, &cmp, v, 0, NTRUNDOWN_SEQ, NTRUNDOWN_SEQ);
    return cmp;
}
static inline LONGLONG InterlockedIncrement64(LONGLONG volatile *p) { HOSTKRNL_HOOK(p); return __atomic_add_fetch(p, 1, NTRUNDOWN_SEQ); }
static inline LONGLONG InterlockedDecrement64(LONGLONG volatile *p) { HOSTKRNL_HOOK(p); return __atomic_sub_fetch(p, 1, NTRUNDOWN_SEQ); }
static inline LONGLONG InterlockedExchange64(LONGLONG volatile *p, LONGLONG v) { HOSTKRNL_HOOK(p); return __atomic_exchange_n(p, v, NTRUNDOWN_SEQ); }
static inline LONGLONG InterlockedExchangeAdd64(LONGLONG volatile *p, LONGLONG v) { HOSTKRNL_HOOK(p); return __atomic_fetch_add(p, v, NTRUNDOWN_SEQ); }
static inline LONGLONG InterlockedCompareExchange64(LONGLONG volatile *p, LONGLONG v, LONGLONG cmp)
{
    HOSTKRNL_HOOK(p);
    __atomic_compare_exchange_n(p, &cmp, v, 0, NTRUNDOWN_SEQ, NTRUNDOWN_SEQ);
    return cmp;
}
static inline PVOID InterlockedExchangePointer(PVOID volatile *p, PVOID v) { HOSTKRNL_HOOK(p); return __atomic_exchange_n(p, v, NTRUNDOWN_SEQ); }
static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *p, PVOID v, PVOID cmp)
{
    HOSTKRNL_HOOK(p);
    __atomic_compare_exchange_n(p, &cmp, v, 0, NTRUNDOWN_SEQ, NTRUNDOWN_SEQ);
    return cmp;
}
static inline SIZE_T hostkrnl_exchange_add_size(SIZE_T volatile *p, SIZE_T v)
{
    HOSTKRNL_HOOK(p);
    return __atomic_fetch_add(p, v, NTRUNDOWN_SEQ);
}
#define InterlockedExchangeAddSizeT(p, v) hostkrnl_exchange_add_size((SIZE_T volatile *)(p), (SIZE_T)(v))
#define InterlockedIncrementSizeT(p) (InterlockedExchangeAddSizeT(p, 1) + 1)
#define InterlockedDecrementSizeT(p) (InterlockedExchangeAddSizeT(p, -1) - 1)

/* Loads of words other processors update (Windows 8 wdm.h): NoFence is a
 * plain load, Acquire orders the loads and stores after it. */
static inline LONG ReadNoFence(LONG const volatile *p) { HOSTKRNL_HOOK(p); return __atomic_load_n(p, __ATOMIC_RELAXED); }
static inline LONG ReadAcquire(LONG const volatile *p) { HOSTKRNL_HOOK(p); return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void WriteRelease(LONG volatile *p, LONG v) { HOSTKRNL_HOOK(p); __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static inline void KeMemoryBarrier(void) { __atomic_thread_fence(NTRUNDOWN_SEQ); }
#if defined(__i386__) || defined(__x86_64__)
# define YieldProcessor() __builtin_ia32_pause()
#else
# define YieldProcessor() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#endif

/* ---- IRQL (per thread; PASSIVE_LEVEL unless raised) --------------------- */

KIRQL KeGetCurrentIrql(void);
VOID KeRaiseIrql(KIRQL NewIrql, PKIRQL OldIrql);
VOID KeLowerIrql(KIRQL NewIrql);

/* ---- dispatcher objects ------------------------------------------------- */

typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;

/* Type tags of the emulation's dispatcher objects (first field of each). */
#define HOSTKRNL_EVENT_OBJECT  0x4b455645 /* 'KEVE' */
#define HOSTKRNL_THREAD_OBJECT 0x4b544852 /* 'KTHR' */

typedef struct _KEVENT
{
    LONG Type;              /* HOSTKRNL_EVENT_OBJECT */
    EVENT_TYPE EventType;
    volatile LONG State;    /* 0 clear, 1 signaled, 2 clear with sleepers (futex word) */
} KEVENT, *PKEVENT, *PRKEVENT;

VOID NTAPI KeInitializeEvent(PRKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
LONG NTAPI KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
LONG NTAPI KeResetEvent(PRKEVENT Event);
VOID NTAPI KeClearEvent(PRKEVENT Event);
LONG NTAPI KeReadStateEvent(PRKEVENT Event);

/* Object: a KEVENT or a thread object from ObReferenceObjectByHandle.
 * Timeout: NULL (forever) or a relative interval (negative, 100 ns units);
 * absolute times are not emulated.  Returns STATUS_SUCCESS or STATUS_TIMEOUT. */
NTSTATUS NTAPI KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode,
                                     BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSTATUS NTAPI KeDelayExecutionThread(KPROCESSOR_MODE WaitMode, BOOLEAN Alertable, PLARGE_INTEGER Interval);
/* A monotonic counter and, if PerformanceFrequency is not NULL, its ticks
 * per second. */
LARGE_INTEGER NTAPI KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency);

/* ---- system threads ----------------------------------------------------- */

typedef VOID (NTAPI *PKSTART_ROUTINE)(PVOID StartContext);
typedef struct _CLIENT_ID { HANDLE UniqueProcess; HANDLE UniqueThread; } CLIENT_ID, *PCLIENT_ID;
typedef struct _OBJECT_ATTRIBUTES
{
    ULONG Length;
    HANDLE RootDirectory;
    PVOID ObjectName;
    ULONG Attributes;
    PVOID SecurityDescriptor;
    PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;
#define OBJ_KERNEL_HANDLE 0x00000200
#define InitializeObjectAttributes(p, n, a, r, s) \
    do { (p)->Length = sizeof(OBJECT_ATTRIBUTES); (p)->RootDirectory = (r); (p)->ObjectName = (n); \
         (p)->Attributes = (a); (p)->SecurityDescriptor = (s); (p)->SecurityQualityOfService = NULL; } while (0)

typedef struct _OBJECT_TYPE *POBJECT_TYPE;
extern POBJECT_TYPE *PsThreadType;

NTSTATUS NTAPI PsCreateSystemThread(PHANDLE ThreadHandle, ULONG DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                    HANDLE ProcessHandle, PCLIENT_ID ClientId, PKSTART_ROUTINE StartRoutine,
                                    PVOID StartContext);
NTSTATUS NTAPI PsTerminateSystemThread(NTSTATUS ExitStatus);
/* The calling thread's ID (or the one HostKrnlSetCurrentThreadId simulates). */
HANDLE NTAPI PsGetCurrentThreadId(void);
NTSTATUS NTAPI ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                         KPROCESSOR_MODE AccessMode, PVOID *Object, PVOID HandleInformation);
VOID NTAPI ObDereferenceObject(PVOID Object);
NTSTATUS NTAPI ZwClose(HANDLE Handle);

/* ---- processors --------------------------------------------------------- */

typedef struct _PROCESSOR_NUMBER { USHORT Group; UCHAR Number; UCHAR Reserved; } PROCESSOR_NUMBER, *PPROCESSOR_NUMBER;

/* System-wide index of the processor the thread runs on. */
ULONG NTAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER ProcNumber);
/* Online processors (or the simulated count, see HostKrnlSetActiveProcessorCount). */
ULONG NTAPI KeQueryActiveProcessorCountEx(USHORT GroupNumber);
/* Largest cache line size of the system; 64 when the system does not say. */
ULONG NTAPI KeGetRecommendedSharedDataAlignment(VOID);
/* Pins the calling thread to the processors in Affinity (bit i = processor i). */
KAFFINITY NTAPI KeSetSystemAffinityThreadEx(KAFFINITY Affinity);
VOID NTAPI KeRevertToUserAffinityThreadEx(KAFFINITY Affinity);

/* ---- pool --------------------------------------------------------------- */

PVOID NTAPI ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
/* Aborts with a diagnostic on a tag that does not match the allocation's. */
VOID NTAPI ExFreePoolWithTag(PVOID P, ULONG Tag);
VOID NTAPI ExFreePool(PVOID P);
PVOID NTAPI ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes);

/* Reports the bug check on stderr and aborts the process. */
VOID NTAPI KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
    __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

/* ---- rundown protection, as the WDK's wdm.h declares it ---------------- */

#include "ntrundown.h"

#endif /* NTRUNDOWN_HOSTKRNL_WDM_H */
