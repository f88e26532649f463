/*
 * The Wine series' tests: what goes into dlls/ntoskrnl.exe/tests/driver.c
 *
 * Copyright 2026 The ntrundown authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * You should have received a copy of the GNU Lesser General Public
 * License along with this library; if not, write to the Free Software
 * Foundation, Inc., 51 Franklin St, Fifth Floor, Boston, MA 02110-1301, USA
 */

/*
 * Wine's testbot runs these tests on Windows too, so they check only what
 * Microsoft's documentation of the routines states (the project's suite,
 * tests/, has the rest), with short, bounded waits and no hooks.  They use
 * driver.c's own helpers (create_thread, wait_single_handle, ...).  Each
 * section below, from its "@@ name" line to the next, goes into driver.c
 * with the patch of that name (make_series.py), followed by a call of its
 * test function from main_test(); the sections keep to 100-250 lines.  This
 * file is not compiled on its own.
 */

/* @@ alignment */

static void test_shared_data_alignment(void)
{
    ULONG alignment = KeGetRecommendedSharedDataAlignment();

    ok(alignment >= sizeof(void *) && !(alignment & (alignment - 1)), "got alignment %lu\n", alignment);
}

/* @@ rundown */

static void test_rundown_protection(void)
{
    EX_RUNDOWN_REF ref;
    BOOLEAN ret;

    ref.Count = 0xdeadbeef;
    ExInitializeRundownProtection(&ref);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "got %u\n", ret);
    ret = ExAcquireRundownProtectionEx(&ref, 3);
    ok(ret == TRUE, "got %u\n", ret);
    ret = ExAcquireRundownProtectionEx(&ref, 1000);
    ok(ret == TRUE, "got %u\n", ret);
    ExReleaseRundownProtectionEx(&ref, 1000);
    ExReleaseRundownProtectionEx(&ref, 2);
    ExReleaseRundownProtection(&ref);
    ExReleaseRundownProtection(&ref);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "got %u\n", ret);
    ExReleaseRundownProtection(&ref);
}

/* @@ rundown wait */

static void WINAPI rundown_wait_thread(void *ref)
{
    ExWaitForRundownProtectionRelease(ref);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

/* Starts a wait for the rundown of ref in a thread; returns the thread once
 * the wait has had 20 ms to return, and whether it did. */
static HANDLE start_rundown_wait(PKSTART_ROUTINE proc, void *ref, BOOLEAN *returned)
{
    HANDLE thread = create_thread(proc, ref);

    *returned = wait_single_handle(thread, -20 * 10000) == STATUS_SUCCESS;
    return thread;
}

static void end_rundown_wait(HANDLE thread)
{
    NTSTATUS ret = wait_single_handle(thread, -10000 * 10000);

    ok(!ret, "the wait did not return, got %#lx\n", ret);
    if (!ret) ZwClose(thread);
}

static void test_rundown_wait(void)
{
    EX_RUNDOWN_REF ref;
    BOOLEAN ret, returned;
    HANDLE thread;

    ExInitializeRundownProtection(&ref);
    ret = ExAcquireRundownProtectionEx(&ref, 2);
    ok(ret == TRUE, "got %u\n", ret);
    ExReleaseRundownProtection(&ref);

    /* one protection is still outstanding */
    thread = start_rundown_wait(rundown_wait_thread, &ref, &returned);
    ok(!returned, "the wait returned with a protection outstanding\n");
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == FALSE, "got %u\n", ret);
    ret = ExAcquireRundownProtectionEx(&ref, 2);
    ok(ret == FALSE, "got %u\n", ret);
    ExReleaseRundownProtectionEx(&ref, 1);
    end_rundown_wait(thread);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == FALSE, "got %u\n", ret);

    /* a wait on a reference that is run down already has no effect */
    thread = start_rundown_wait(rundown_wait_thread, &ref, &returned);
    ok(returned, "the second wait did not return\n");
    end_rundown_wait(thread);

    ExRundownCompleted(&ref);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == FALSE, "got %u\n", ret);
    thread = start_rundown_wait(rundown_wait_thread, &ref, &returned);
    ok(returned, "the wait after ExRundownCompleted did not return\n");
    end_rundown_wait(thread);

    ExReInitializeRundownProtection(&ref);
    ret = ExAcquireRundownProtectionEx(&ref, 2);
    ok(ret == TRUE, "got %u\n", ret);
    ExReleaseRundownProtectionEx(&ref, 2);

    /* nothing outstanding: the wait returns at once */
    thread = start_rundown_wait(rundown_wait_thread, &ref, &returned);
    ok(returned, "the wait did not return\n");
    end_rundown_wait(thread);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == FALSE, "got %u\n", ret);
    ExReInitializeRundownProtection(&ref);
    ret = ExAcquireRundownProtection(&ref);
    ok(ret == TRUE, "got %u\n", ret);
    ExReleaseRundownProtection(&ref);
}

/* @@ cache-aware */

static void test_cache_aware_rundown_protection(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    SIZE_T size, i;
    BOOLEAN ret;
    UCHAR *buffer;

    size = ExSizeOfRundownProtectionCacheAware();
    ok(size > 0, "got size %Iu\n", size);

    /* the object stays within the size it is given */
    buffer = ExAllocatePool(NonPagedPool, size + 64);
    for (i = 0; i < size + 64; i++) buffer[i] = 0xcc;
    ref = (PEX_RUNDOWN_REF_CACHE_AWARE)buffer;
    ExInitializeRundownProtectionCacheAware(ref, size);
    ret = ExAcquireRundownProtectionCacheAware(ref);
    ok(ret == TRUE, "got %u\n", ret);
    ret = ExAcquireRundownProtectionCacheAwareEx(ref, 5);
    ok(ret == TRUE, "got %u\n", ret);
    ExReleaseRundownProtectionCacheAwareEx(ref, 5);
    ExReleaseRundownProtectionCacheAware(ref);
    for (i = size; i < size + 64; i++) if (buffer[i] != 0xcc) break;
    ok(i == size + 64, "byte %Iu past the object changed\n", i - size);
    ExFreePool(buffer);

    ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, 0x6e774452);
    ok(!!ref, "allocation failed\n");
    if (!ref) return;
    ret = ExAcquireRundownProtectionCacheAwareEx(ref, 2);
    ok(ret == TRUE, "got %u\n", ret);
    ExReleaseRundownProtectionCacheAwareEx(ref, 1);
    ExReleaseRundownProtectionCacheAware(ref);
    ExFreeCacheAwareRundownProtection(ref);
}

/* @@ cache-aware wait */

static void WINAPI cache_aware_wait_thread(void *ref)
{
    ExWaitForRundownProtectionReleaseCacheAware(ref);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void WINAPI cache_aware_release_thread(void *ref)
{
    ExReleaseRundownProtectionCacheAware(ref);
    PsTerminateSystemThread(STATUS_SUCCESS);
}

static void test_cache_aware_rundown_wait(void)
{
    PEX_RUNDOWN_REF_CACHE_AWARE ref;
    BOOLEAN ret, returned;
    HANDLE thread;

    ref = ExAllocateCacheAwareRundownProtection(NonPagedPool, 0x6e774452);
    ok(!!ref, "allocation failed\n");
    if (!ref) return;

    /* acquired here, released by another thread */
    ret = ExAcquireRundownProtectionCacheAwareEx(ref, 2);
    ok(ret == TRUE, "got %u\n", ret);
    run_thread(cache_aware_release_thread, ref);
    thread = start_rundown_wait(cache_aware_wait_thread, ref, &returned);
    ok(!returned, "the wait returned with a protection outstanding\n");
    ret = ExAcquireRundownProtectionCacheAware(ref);
    ok(ret == FALSE, "got %u\n", ret);
    ExReleaseRundownProtectionCacheAware(ref);
    end_rundown_wait(thread);
    ret = ExAcquireRundownProtectionCacheAwareEx(ref, 3);
    ok(ret == FALSE, "got %u\n", ret);

    ExRundownCompletedCacheAware(ref);
    ret = ExAcquireRundownProtectionCacheAware(ref);
    ok(ret == FALSE, "got %u\n", ret);
    thread = start_rundown_wait(cache_aware_wait_thread, ref, &returned);
    ok(returned, "the wait after ExRundownCompletedCacheAware did not return\n");
    end_rundown_wait(thread);

    ExReInitializeRundownProtectionCacheAware(ref);
    ret = ExAcquireRundownProtectionCacheAware(ref);
    ok(ret == TRUE, "got %u\n", ret);
    ExReleaseRundownProtectionCacheAware(ref);

    /* nothing outstanding: the wait returns at once */
    thread = start_rundown_wait(cache_aware_wait_thread, ref, &returned);
    ok(returned, "the wait did not return\n");
    end_rundown_wait(thread);
    ret = ExAcquireRundownProtectionCacheAware(ref);
    ok(ret == FALSE, "got %u\n", ret);
    ExFreeCacheAwareRundownProtection(ref);
}
