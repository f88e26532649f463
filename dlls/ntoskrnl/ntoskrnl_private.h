/*
 * What the module gets from Wine's ntoskrnl_private.h, outside Wine
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
 * rundown.c is written as a part of Wine's dlls/ntoskrnl.exe/sync.c: it
 * includes "ntoskrnl_private.h" and uses Wine's debug macros and fastcall
 * wrappers.  Inside Wine the series copies its body into sync.c and this file
 * is not used.  Everywhere else (the user-mode kernel services of
 * dlls/hostkrnl, and the MinGW-w64 drivers) this stand-in gives the same
 * names over whichever <ddk/wdm.h> the build uses:
 *
 * - TRACE: nothing;
 * - WARN, the diagnostic of a misuse: nothing in a free build; in a checked
 *   build (DBG=1) it stops in RtlAssert with its format string as the
 *   message, as ASSERTMSG would;
 * - the fastcall wrappers: nothing, since these compilers know __fastcall.
 */

#ifndef NTRUNDOWN_NTOSKRNL_PRIVATE_H
#define NTRUNDOWN_NTOSKRNL_PRIVATE_H

#include <ddk/wdm.h>

#define WINE_DEFAULT_DEBUG_CHANNEL(channel) struct __wine_debug_channel_##channel
#define TRACE(...) do { } while (0)

#if defined(DBG) && DBG
# define WARN(format, ...) RtlAssert((PVOID)"misuse", (PVOID)__FILE__, __LINE__, (PCHAR)(format))
#else
# define WARN(...) do { } while (0)
#endif

#ifndef WINAPI
# define WINAPI NTAPI
#endif

#define DEFINE_FASTCALL1_WRAPPER(func)
#define DEFINE_FASTCALL_WRAPPER(func, args)

#endif /* NTRUNDOWN_NTOSKRNL_PRIVATE_H */
