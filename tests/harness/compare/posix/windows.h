/* The harness compared with Wine's on a POSIX host (see winbase.h). */
#include <windef.h>
#include <winbase.h>
