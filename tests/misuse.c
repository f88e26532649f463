/*
 * Misuse of the routines, one case per run, for the checked build's
 * diagnostics: each case must stop the program with ASSERT's message.
 * check_misuse.py runs every case and checks what it printed.
 */

#include <ddk/wdm.h>
#include <stdio.h>
#include <string.h>
#include "ntrundown.h"

static void release_unacquired(void)
{
    EX_RUNDOWN_REF ref;

    ExInitializeRundownProtection(&ref);
    ExReleaseRundownProtection(&ref);
}

static void release_after_rundown(void)
{
    EX_RUNDOWN_REF ref;

    ExInitializeRundownProtection(&ref);
    ExWaitForRundownProtectionRelease(&ref);
    ExReleaseRundownProtection(&ref);
}

static void reinitialize_active(void)
{
    EX_RUNDOWN_REF ref;

    ExInitializeRundownProtection(&ref);
    ExReInitializeRundownProtection(&ref);
}

static void completed_active(void)
{
    EX_RUNDOWN_REF ref;

    ExInitializeRundownProtection(&ref);
    ExRundownCompleted(&ref);
}

static void initialize_too_small(void)
{
    EX_RUNDOWN_REF_CACHE_AWARE ref;

    ExInitializeRundownProtectionCacheAware(&ref, sizeof(ref));
}

static void free_in_buffer(void)
{
    struct { EX_RUNDOWN_REF_CACHE_AWARE ref; EX_RUNDOWN_REF slot; } buffer;

    ExInitializeRundownProtectionCacheAware(&buffer.ref, sizeof(buffer));
    ExFreeCacheAwareRundownProtection(&buffer.ref);
}

static void wait_at_dispatch(void)
{
    EX_RUNDOWN_REF ref;
    KIRQL irql;

    ExInitializeRundownProtection(&ref);
    KeRaiseIrql(DISPATCH_LEVEL, &irql);
    ExWaitForRundownProtectionRelease(&ref);
}

static const struct { const char *name; void (*run)(void); } cases[] =
{
    { "release_unacquired", release_unacquired },
    { "release_after_rundown", release_after_rundown },
    { "reinitialize_active", reinitialize_active },
    { "completed_active", completed_active },
    { "initialize_too_small", initialize_too_small },
    { "free_in_buffer", free_in_buffer },
    { "wait_at_dispatch", wait_at_dispatch },
};

int main(int argc, char **argv)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    {
        if (argc == 1) printf("%s\n", cases[i].name);
        else if (!strcmp(argv[1], cases[i].name))
        {
            cases[i].run();
            printf("%s: no diagnostic\n", cases[i].name);
            return 0;
        }
    }
    return argc == 1 ? 0 : 2;
}
