/*
 * Wine's KeGetRecommendedSharedDataAlignment
 *
 * A fragment of Wine's dlls/ntoskrnl.exe/ntoskrnl.c, not a file of its own:
 * make_series.py puts everything below this comment after Wine's
 * KeGetCurrentProcessorNumberEx.  It is Wine code, LGPL 2.1 or later like
 * the rest of ntoskrnl.c, and uses Wine's headers and conventions.
 *
 * The routine "returns the preferred alignment, in bytes, for memory
 * structures that can be shared by more than one processor", a value that
 * "minimizes cache effects" (its page on learn.microsoft.com).  That is the
 * largest line size of the processors' caches, which
 * SystemLogicalProcessorInformation reports (CACHE_DESCRIPTOR.LineSize);
 * the routine may be called at any IRQL, so it asks once.  (In a Wine whose
 * ntoskrnl.c defines NONAMELESSUNION, make_series.py writes info[i].u.Cache.)
 */

/***********************************************************************
 *          KeGetRecommendedSharedDataAlignment   (NTOSKRNL.EXE.@)
 */
ULONG WINAPI KeGetRecommendedSharedDataAlignment(void)
{
    static LONG alignment;
    SYSTEM_LOGICAL_PROCESSOR_INFORMATION *info = NULL;
    ULONG size = 16 * sizeof(*info), count, i;
    LONG line = ReadNoFence( &alignment );
    NTSTATUS status = STATUS_NO_MEMORY;

    if (line) return line;

    do
    {
        free( info );
        if (!(info = malloc( size ))) break;
        status = NtQuerySystemInformation( SystemLogicalProcessorInformation, info, size, &size );
    } while (status == STATUS_INFO_LENGTH_MISMATCH);

    count = info && !status ? size / sizeof(*info) : 0;
    for (i = 0; i < count; i++)
        if (info[i].Relationship == RelationCache && info[i].Cache.LineSize > line) line = info[i].Cache.LineSize;
    free( info );

    if (!line)
    {
        line = 64;
        FIXME( "no cache information, returning %ld.\n", line );
    }
    else TRACE( "returning %ld, the largest line size of the processor caches.\n", line );
    InterlockedExchange( &alignment, line );
    return line;
}
