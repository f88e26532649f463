/*
 * Host kernel services: pool memory
 *
 * A pool block is carved out of a malloc'ed area: a header with the tag and
 * size sits right before the block, which starts at the alignment the
 * emulation promises.  Under AddressSanitizer the rest of the area is
 * poisoned, so that running off either end of a block is reported.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
# if __has_include(<sanitizer/asan_interface.h>)
#  include <sanitizer/asan_interface.h>
# endif
#endif
#ifndef ASAN_POISON_MEMORY_REGION
# define ASAN_POISON_MEMORY_REGION(addr, size)   ((void)(addr), (void)(size))
# define ASAN_UNPOISON_MEMORY_REGION(addr, size) ((void)(addr), (void)(size))
#endif

#include "hostkrnl_private.h"
#include "hostkrnl.h"

#define POOL_PAGE_SIZE   4096
#define POOL_LINE_SIZE   64
#define POOL_MAGIC       0x6c6f6f50 /* 'Pool' */
#define POOL_FREED_MAGIC 0x65657246 /* 'Free' */
/* Larger requests fail outright, as they would with the sanitizers' malloc
 * (which aborts instead of returning NULL). */
#define POOL_MAX_BLOCK   ((SIZE_T)1 << (sizeof(SIZE_T) > 4 ? 40 : 30))

struct pool_header
{
    void *base;         /* what malloc returned */
    SIZE_T size;        /* bytes asked for */
    ULONG tag;
    ULONG type;         /* POOL_TYPE */
    ULONG reserved;
    ULONG magic;        /* last, so that it is the first thing an underrun hits */
};

static volatile LONG outstanding;
static volatile ULONG line_offset = 16;
static volatile ULONGLONG fail_state;   /* allocations to let through << 32 | allocations to fail */

/* Bits of a POOL_TYPE, as on Windows. */
static BOOLEAN is_paged(ULONG type)
{
    return (type & PagedPool) != 0;
}

static BOOLEAN is_cache_aligned(ULONG type)
{
    return (type & NonPagedPoolCacheAligned) != 0;
}

static SIZE_T block_alignment(SIZE_T size)
{
    return size >= POOL_PAGE_SIZE ? POOL_PAGE_SIZE : POOL_LINE_SIZE;
}

/* Bytes to malloc for a block: room for the header and for aligning. */
static SIZE_T area_size(SIZE_T size)
{
    return sizeof(struct pool_header) + block_alignment(size) - 1 + size;
}

static BOOLEAN inject_failure(void)
{
    ULONGLONG state = __atomic_load_n(&fail_state, __ATOMIC_RELAXED), next;

    do
    {
        if (state >> 32) next = state - ((ULONGLONG)1 << 32);
        else if (state) next = state - 1;
        else return FALSE;
    } while (!__atomic_compare_exchange_n(&fail_state, &state, next, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED));
    return !(state >> 32);
}

static void check_pool_irql(const char *function, ULONG type)
{
    hostkrnl_check_irql(function, is_paged(type) ? APC_LEVEL : DISPATCH_LEVEL);
}

static struct pool_header read_header(PVOID p, const char *function)
{
    struct pool_header header;

    if (!p) hostkrnl_bug("BAD_POOL_CALLER: %s(NULL)", function);
    memcpy(&header, (char *)p - sizeof(header), sizeof(header));
    if (header.magic == POOL_FREED_MAGIC)
        hostkrnl_bug("BAD_POOL_CALLER: %s(%p): the block was freed already", function, p);
    if (header.magic != POOL_MAGIC)
        hostkrnl_bug("BAD_POOL_CALLER: %s(%p): not a pool block, or its header was overwritten", function, p);
    return header;
}

/* Formats a tag the way pool tools show it: its bytes in memory order. */
static const char *tag_string(ULONG tag, char buffer[5])
{
    int i;

    for (i = 0; i < 4; i++)
    {
        char c = (char)((tag >> (8 * i)) & 0xff);
        buffer[i] = c >= 0x20 && c < 0x7f ? c : '.';
    }
    buffer[4] = 0;
    return buffer;
}

static void free_block(PVOID p, const struct pool_header *header, const char *function)
{
    ULONG magic = POOL_FREED_MAGIC;

    check_pool_irql(function, header->type);
    /* what is read from a freed block is nonsense, as in a real pool */
    memset(p, 0xfe, header->size);
    memcpy((char *)p - sizeof(magic), &magic, sizeof(magic));
    ASAN_UNPOISON_MEMORY_REGION(header->base, area_size(header->size));
    free(header->base);
    __atomic_sub_fetch(&outstanding, 1, __ATOMIC_RELAXED);
}

/***********************************************************************
 *           ExAllocatePoolWithTag   (NTOSKRNL.EXE.@)
 */
PVOID NTAPI ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    SIZE_T align = block_alignment(NumberOfBytes), offset, total;
    struct pool_header header;
    uintptr_t start, block;
    char *base, *p;

    check_pool_irql("ExAllocatePoolWithTag", PoolType);
    if (!NumberOfBytes || NumberOfBytes > POOL_MAX_BLOCK) return NULL;
    if (inject_failure()) return NULL;

    total = area_size(NumberOfBytes);
    if (!(base = malloc(total))) return NULL;
    offset = align == POOL_LINE_SIZE && !is_cache_aligned(PoolType)
           ? __atomic_load_n(&line_offset, __ATOMIC_RELAXED) % POOL_LINE_SIZE : 0;
    start = (uintptr_t)base + sizeof(header);
    block = ((start - offset + align - 1) & ~(uintptr_t)(align - 1)) + offset;
    p = base + (block - (uintptr_t)base);

    header.base = base;
    header.size = NumberOfBytes;
    header.tag = Tag;
    header.type = (ULONG)PoolType;
    header.reserved = 0;
    header.magic = POOL_MAGIC;
    memcpy(p - sizeof(header), &header, sizeof(header));
    ASAN_POISON_MEMORY_REGION(base, (SIZE_T)(p - sizeof(header) - base));
    ASAN_POISON_MEMORY_REGION(p + NumberOfBytes, total - (SIZE_T)(p - base) - NumberOfBytes);

    __atomic_add_fetch(&outstanding, 1, __ATOMIC_RELAXED);
    return p;
}

/***********************************************************************
 *           ExFreePoolWithTag   (NTOSKRNL.EXE.@)
 *
 * A zero Tag is not checked: it frees like ExFreePool.
 */
VOID NTAPI ExFreePoolWithTag(PVOID P, ULONG Tag)
{
    struct pool_header header = read_header(P, "ExFreePoolWithTag");
    char wanted[5], actual[5];

    if (Tag && Tag != header.tag)
        hostkrnl_bug("BAD_POOL_CALLER: ExFreePoolWithTag(%p) with tag '%s' (0x%08x), "
                     "but the block was allocated with tag '%s' (0x%08x)",
                     P, tag_string(Tag, wanted), (unsigned int)Tag,
                     tag_string(header.tag, actual), (unsigned int)header.tag);
    free_block(P, &header, "ExFreePoolWithTag");
}

/***********************************************************************
 *           ExFreePool   (NTOSKRNL.EXE.@)
 */
VOID NTAPI ExFreePool(PVOID P)
{
    struct pool_header header = read_header(P, "ExFreePool");

    free_block(P, &header, "ExFreePool");
}

/***********************************************************************
 *           HostKrnlPoolFailAllocations   (hostkrnl)
 */
VOID HostKrnlPoolFailAllocations(ULONG skip, ULONG fail)
{
    __atomic_store_n(&fail_state, fail ? ((ULONGLONG)skip << 32) | fail : 0, __ATOMIC_RELAXED);
}

/***********************************************************************
 *           HostKrnlPoolOutstanding   (hostkrnl)
 */
LONG HostKrnlPoolOutstanding(VOID)
{
    return __atomic_load_n(&outstanding, __ATOMIC_RELAXED);
}

/***********************************************************************
 *           HostKrnlPoolSetLineOffset   (hostkrnl)
 */
VOID HostKrnlPoolSetLineOffset(ULONG offset)
{
    __atomic_store_n(&line_offset, offset, __ATOMIC_RELAXED);
}

/***********************************************************************
 *           ExAllocatePool   (NTOSKRNL.EXE.@)
 */
PVOID NTAPI ExAllocatePool(POOL_TYPE PoolType, SIZE_T NumberOfBytes)
{
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, 0x656e6f4e /* 'None' */);
}

/***********************************************************************
 *           HostKrnlPoolTag   (hostkrnl)
 */
ULONG HostKrnlPoolTag(PVOID P)
{
    return read_header(P, "HostKrnlPoolTag").tag;
}

/***********************************************************************
 *           HostKrnlPoolType   (hostkrnl)
 */
POOL_TYPE HostKrnlPoolType(PVOID P)
{
    return (POOL_TYPE)read_header(P, "HostKrnlPoolType").type;
}

/***********************************************************************
 *           HostKrnlPoolSize   (hostkrnl)
 */
SIZE_T HostKrnlPoolSize(PVOID P)
{
    return read_header(P, "HostKrnlPoolSize").size;
}
