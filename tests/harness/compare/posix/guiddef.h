/* The harness compared with Wine's on a POSIX host: GUID (see winbase.h). */

#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID
{
    unsigned int Data1;
    unsigned short Data2, Data3;
    unsigned char Data4[8];
} GUID;
#endif
