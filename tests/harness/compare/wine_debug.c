/*
 * The harness compared with Wine's: what Wine's <wine/debug.h> needs
 *
 * Only for the build against Wine's include/wine/test.h: its
 * winetest_elapsed() (WINETEST_TIME) formats with wine_dbg_sprintf(), which
 * hands the text to __wine_dbg_strdup().  Wine's ntdll.dll exports that, but
 * MinGW-w64's import library does not have it, and Windows' ntdll none at
 * all.  This one keeps the strings in a ring of static buffers, which is
 * all that the harness needs of it.  Our code, not Wine's.
 */

#include <string.h>

#ifdef _WIN32
# include <windows.h>
# define RING_NEXT(x) ((unsigned int)InterlockedIncrement( (x) ))
typedef LONG ring_counter;
#else
# define RING_NEXT(x) __atomic_add_fetch( (x), 1, __ATOMIC_SEQ_CST )
typedef unsigned int ring_counter;
#endif

#define RING_SIZE 32
#define STRING_MAX 256

const char *__wine_dbg_strdup( const char *str );

const char *__wine_dbg_strdup( const char *str )
{
    static char ring[RING_SIZE][STRING_MAX];
    static ring_counter next;
    char *buf = ring[RING_NEXT( &next ) % RING_SIZE];
    size_t len = strlen( str );

    if (len >= STRING_MAX) len = STRING_MAX - 1;
    memcpy( buf, str, len );
    buf[len] = 0;
    return buf;
}
