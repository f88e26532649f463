/*
 * Wine's KeGetCurrentProcessorNumberEx and KeGetRecommendedSharedDataAlignment
 *
 * A fragment of Wine's dlls/ntoskrnl.exe/ntoskrnl.c, not a file of its own:
 * make-series.py replaces Wine's KeGetCurrentProcessorNumberEx (a semi-stub
 * that calls FIXME and NtGetCurrentProcessorNumber, about 230 ns, each time)
 * with everything below this comment.  It is Wine code, LGPL 2.1 or later
 * like the rest of ntoskrnl.c, and uses Wine's headers and conventions.
 *
 * KeGetRecommendedSharedDataAlignment answers the cache line size that
 * CPUID reports (64 on every x86 processor of the last twenty years).
 *
 * The cache-aware rundown routines ask for the processor on every acquire
 * and release, so the answer must be cheap.  On Linux the kernel keeps
 * (node << 12) | cpu in the TSC_AUX register of each processor, which RDPID
 * (or the slower RDTSCP) reads in user mode; it is used once it has been
 * seen to agree with NtGetCurrentProcessorNumber, and the system call stays
 * the fallback everywhere else.
 */

/* How the current processor is found: not yet decided, or one of these. */
enum processor_source { PROCESSOR_UNKNOWN, PROCESSOR_RDPID, PROCESSOR_RDTSCP, PROCESSOR_SYSCALL };
static LONG processor_source;

#if defined(__i386__) || defined(__x86_64__)

static ULONG tsc_aux_rdpid(void)
{
    ULONG_PTR aux;
    __asm__ __volatile__( "rdpid %0" : "=r" (aux) );
    return aux;
}

static ULONG tsc_aux_rdtscp(void)
{
    ULONG low, high, aux;
    __asm__ __volatile__( "rdtscp" : "=a" (low), "=d" (high), "=c" (aux) );
    return aux;
}

static void cpuid( ULONG leaf, ULONG regs[4] )
{
    __asm__ __volatile__( "cpuid" : "=a" (regs[0]), "=b" (regs[1]), "=c" (regs[2]), "=d" (regs[3])
                          : "a" (leaf), "c" (0) );
}

static BOOL host_is_linux(void)
{
    void (CDECL *get_host_version)( const char **sysname, const char **release );
    const char *sysname = NULL, *release = NULL;

    get_host_version = (void *)GetProcAddress( GetModuleHandleW( L"ntdll.dll" ), "wine_get_host_version" );
    if (get_host_version) get_host_version( &sysname, &release );
    return sysname && !strcmp( sysname, "Linux" );
}

/* TRUE when TSC_AUX, read with `read`, names the processor that
 * NtGetCurrentProcessorNumber names, every time the thread did not move
 * between the reads. */
static BOOL tsc_aux_agrees( ULONG (*read)(void) )
{
    unsigned int i, agreed = 0;

    for (i = 0; i < 64; i++)
    {
        ULONG before = read(), number = NtGetCurrentProcessorNumber(), after = read();

        if (before != after) continue;
        if ((before & 0xfff) != number) return FALSE;
        agreed++;
    }
    return agreed >= 16;
}

static enum processor_source find_processor_source(void)
{
    ULONG regs[4], max_leaf;

    if (!host_is_linux()) return PROCESSOR_SYSCALL;
    cpuid( 0, regs );
    max_leaf = regs[0];
    if (max_leaf >= 7)
    {
        cpuid( 7, regs );
        if ((regs[2] & (1 << 22)) && tsc_aux_agrees( tsc_aux_rdpid )) return PROCESSOR_RDPID;
    }
    cpuid( 0x80000000, regs );
    if (regs[0] >= 0x80000001)
    {
        cpuid( 0x80000001, regs );
        if ((regs[3] & (1 << 27)) && tsc_aux_agrees( tsc_aux_rdtscp )) return PROCESSOR_RDTSCP;
    }
    return PROCESSOR_SYSCALL;
}

#else

static enum processor_source find_processor_source(void)
{
    return PROCESSOR_SYSCALL;
}

#endif

static ULONG current_processor_index(void)
{
    LONG source = ReadNoFence( &processor_source );

    if (source == PROCESSOR_UNKNOWN)
    {
        source = find_processor_source();
        InterlockedExchange( &processor_source, source );
        TRACE( "processor index from %s\n", source == PROCESSOR_RDPID ? "RDPID" :
               source == PROCESSOR_RDTSCP ? "RDTSCP" : "NtGetCurrentProcessorNumber" );
    }
#if defined(__i386__) || defined(__x86_64__)
    if (source == PROCESSOR_RDPID) return tsc_aux_rdpid() & 0xfff;
    if (source == PROCESSOR_RDTSCP) return tsc_aux_rdtscp() & 0xfff;
#endif
    return NtGetCurrentProcessorNumber();
}

/***********************************************************************
 *          KeGetCurrentProcessorNumberEx   (NTOSKRNL.EXE.@)
 */
ULONG WINAPI KeGetCurrentProcessorNumberEx(PPROCESSOR_NUMBER process_number)
{
    ULONG index = current_processor_index();

    TRACE("%p\n", process_number);

    if (process_number)
    {
        process_number->Group = index / 64;
        process_number->Number = index % 64;
        process_number->Reserved = 0;
    }

    return index;
}

/***********************************************************************
 *          KeGetRecommendedSharedDataAlignment   (NTOSKRNL.EXE.@)
 *
 * The cache line size the processor reports.
 */
ULONG WINAPI KeGetRecommendedSharedDataAlignment(void)
{
    static LONG alignment;
    LONG line = ReadNoFence( &alignment );

    TRACE("\n");

    if (line) return line;
#if defined(__i386__) || defined(__x86_64__)
    {
        ULONG regs[4];

        cpuid( 1, regs );
        line = ((regs[1] >> 8) & 0xff) * 8;  /* the CLFLUSH line size */
    }
#endif
    if (!line) line = 64;
    InterlockedExchange( &alignment, line );
    return line;
}
