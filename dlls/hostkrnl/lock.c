/*
 * Host kernel services: a small internal mutex
 *
 * The lock word is 0 when free, 1 when held, 2 when held with possible
 * sleepers; only the unlock of a lock in state 2 has to wake anyone.
 */

#include "hostkrnl_private.h"

void hostkrnl_lock(volatile LONG *lock)
{
    LONG state = 0;

    if (__atomic_compare_exchange_n(lock, &state, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) return;
    if (state != 2) state = __atomic_exchange_n(lock, 2, __ATOMIC_ACQUIRE);
    while (state != 0)
    {
        hostkrnl_wait_on_address(lock, 2, NULL);
        state = __atomic_exchange_n(lock, 2, __ATOMIC_ACQUIRE);
    }
}

void hostkrnl_unlock(volatile LONG *lock)
{
    if (__atomic_exchange_n(lock, 0, __ATOMIC_RELEASE) == 2) hostkrnl_wake_address(lock, FALSE);
}
