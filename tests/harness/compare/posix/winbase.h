/*
 * The harness compared with Wine's on a POSIX host: the Win32 functions
 * that Wine's include/wine/test.h calls, over POSIX, so that its harness
 * builds into a host program as the project's does with winetest_host.c.
 * Our code, not Wine's; a stand-in for the comparison only.
 *
 * What the host has no answer for is answered as the project's POSIX back
 * end answers it: the host counts as Wine (ntdll "exports"
 * wine_server_call, so the default platform is "wine"); the output is no
 * console; the exception filter is called for the signals that
 * winetest_host.c reports, with the same codes, and the signal then kills
 * the process; the print mutex is one of the process only.
 */

#ifndef COMPARE_POSIX_WINBASE_H
#define COMPARE_POSIX_WINBASE_H

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <windef.h>

#define WAIT_OBJECT_0 0
#define WAIT_ABANDONED 0x80
#define WAIT_TIMEOUT 258
#define HEAP_ZERO_MEMORY 0x8
#define SEM_FAILCRITICALERRORS 0x1
#define SEM_NOGPFAULTERRORBOX 0x2
#define ENABLE_PROCESSED_OUTPUT 0x1
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x4
#define EXCEPTION_EXECUTE_HANDLER 1

typedef struct
{
    DWORD ExceptionCode;
    DWORD ExceptionFlags;
    void *ExceptionRecord;
    void *ExceptionAddress;
} EXCEPTION_RECORD;

typedef struct
{
    EXCEPTION_RECORD *ExceptionRecord;
    void *ContextRecord;
} EXCEPTION_POINTERS;

typedef LONG (CALLBACK *LPTOP_LEVEL_EXCEPTION_FILTER)( EXCEPTION_POINTERS * );

static inline DWORD GetLastError(void) { return 0; }
static inline void SetLastError( DWORD error ) { (void)error; }

static inline DWORD TlsAlloc(void)
{
    pthread_key_t key;
    return pthread_key_create( &key, NULL ) ? ~0u : (DWORD)key;
}
static inline void *TlsGetValue( DWORD index ) { return pthread_getspecific( (pthread_key_t)index ); }
static inline BOOL TlsSetValue( DWORD index, void *value )
{
    return !pthread_setspecific( (pthread_key_t)index, value );
}

static inline HANDLE GetProcessHeap(void) { return (HANDLE)1; }
/* Wine's harness never frees its threads' data: the blocks stay reachable
 * from here, so that a leak checker (AddressSanitizer's) does not count them */
static inline void *HeapAlloc( HANDLE heap, DWORD flags, size_t size )
{
    static void *blocks[256];
    static unsigned int count;
    void *ptr = flags & HEAP_ZERO_MEMORY ? calloc( 1, size ) : malloc( size );
    unsigned int slot = __atomic_fetch_add( &count, 1, __ATOMIC_SEQ_CST );

    (void)heap;
    if (slot < sizeof(blocks) / sizeof(blocks[0])) blocks[slot] = ptr;
    return ptr;
}

static inline LONG InterlockedIncrement( LONG *value ) { return __atomic_add_fetch( value, 1, __ATOMIC_SEQ_CST ); }

static inline DWORD GetTickCount(void)
{
    struct timespec ts;

    clock_gettime( CLOCK_MONOTONIC, &ts );
    return (DWORD)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static inline DWORD GetCurrentProcessId(void) { return (DWORD)getpid(); }
static inline DWORD GetProcessId( HANDLE process ) { (void)process; return 0; }
static inline BOOL GetExitCodeProcess( HANDLE process, DWORD *code ) { (void)process; *code = 0; return FALSE; }

static inline void ExitProcess( UINT code ) { _exit( (int)code ); }

/* the print mutex, within the process (a recursive one, as Windows' are) */
static inline HANDLE CreateMutexA( void *attr, BOOL owner, const char *name )
{
    static pthread_mutex_t mutex;
    pthread_mutexattr_t mattr;

    (void)attr; (void)owner; (void)name;
    pthread_mutexattr_init( &mattr );
    pthread_mutexattr_settype( &mattr, PTHREAD_MUTEX_RECURSIVE );
    pthread_mutex_init( &mutex, &mattr );
    pthread_mutexattr_destroy( &mattr );
    return &mutex;
}
static inline DWORD WaitForSingleObject( HANDLE handle, DWORD timeout )
{
    (void)timeout;
    return pthread_mutex_lock( (pthread_mutex_t *)handle ) ? WAIT_TIMEOUT : WAIT_OBJECT_0;
}
static inline BOOL ReleaseMutex( HANDLE handle ) { return !pthread_mutex_unlock( (pthread_mutex_t *)handle ); }

/* as Windows: 0 for an unset or empty variable; the size needed, without
 * copying, when it does not fit */
static inline DWORD GetEnvironmentVariableA( const char *name, char *buf, DWORD size )
{
    const char *value = getenv( name );
    size_t len = value ? strlen( value ) : 0;

    if (!len) return 0;
    if (len >= size) return (DWORD)len + 1;
    memcpy( buf, value, len + 1 );
    return (DWORD)len;
}

static inline HMODULE GetModuleHandleA( const char *name )
{
    return strcmp( name, "ntdll.dll" ) ? NULL : (HMODULE)1;
}
static inline INT_PTR compare_posix_wine_export(void) { return 0; }
static inline FARPROC GetProcAddress( HMODULE module, const char *name )
{
    return module && !strcmp( name, "wine_server_call" ) ? compare_posix_wine_export : NULL;
}

static LPTOP_LEVEL_EXCEPTION_FILTER compare_posix_filter;

static void compare_posix_signal( int sig, siginfo_t *info, void *context )
{
    EXCEPTION_RECORD record = { 0, 0, NULL, info->si_addr };
    EXCEPTION_POINTERS ptrs = { &record, context };

    switch (sig)
    {
    case SIGSEGV:
    case SIGBUS: record.ExceptionCode = 0xc0000005; break;
    case SIGILL: record.ExceptionCode = 0xc000001d; break;
    case SIGFPE: record.ExceptionCode = 0xc0000094; break;
    default:     record.ExceptionCode = 0x80000000 | (DWORD)sig; break;
    }
    compare_posix_filter( &ptrs );
    raise( sig );
}

static inline LPTOP_LEVEL_EXCEPTION_FILTER SetUnhandledExceptionFilter( LPTOP_LEVEL_EXCEPTION_FILTER filter )
{
    static const int signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
    LPTOP_LEVEL_EXCEPTION_FILTER old = compare_posix_filter;
    struct sigaction sa;
    size_t i;

    compare_posix_filter = filter;
    memset( &sa, 0, sizeof(sa) );
    sa.sa_sigaction = compare_posix_signal;
    sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
    sigemptyset( &sa.sa_mask );
    for (i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) sigaction( signals[i], &sa, NULL );
    return old;
}
static inline UINT SetErrorMode( UINT mode ) { (void)mode; return 0; }
static inline BOOL GetConsoleMode( HANDLE handle, DWORD *mode ) { (void)handle; (void)mode; return FALSE; }
static inline BOOL SetConsoleMode( HANDLE handle, DWORD mode ) { (void)handle; (void)mode; return FALSE; }

static inline BOOL IsBadStringPtrA( const char *str, ULONG_PTR max ) { (void)max; return !str; }
static inline BOOL IsBadStringPtrW( const WCHAR *str, ULONG_PTR max ) { (void)max; return !str; }

#endif
