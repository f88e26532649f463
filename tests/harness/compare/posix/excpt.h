/* The harness compared with Wine's on a POSIX host: nothing is needed of excpt.h. */
