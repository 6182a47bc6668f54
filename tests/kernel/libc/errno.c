/* errno storage, strerror() with its message table, perror(). */
#include <kernel/libc.h>
#include <kernel/errno.h>

static int errno_value;

int *__errno_location(void)
{
    return &errno_value;
}

#define MESSAGE_COUNT (ELOOP + 1)

/* A 2-D array (not an array of pointers) so the text sits in this
 * function's own .rodata section and is dropped with it. */
static const char messages[MESSAGE_COUNT][32] = {
    [0] = "Success",
    [EPERM] = "Operation not permitted",
    [ENOENT] = "No such file or directory",
    [ESRCH] = "No such process",
    [EINTR] = "Interrupted system call",
    [EIO] = "I/O error",
    [ENXIO] = "No such device or address",
    [E2BIG] = "Argument list too long",
    [ENOEXEC] = "Exec format error",
    [EBADF] = "Bad file descriptor",
    [ECHILD] = "No child process",
    [EAGAIN] = "Resource temporarily unavailable",
    [ENOMEM] = "Out of memory",
    [EACCES] = "Permission denied",
    [EFAULT] = "Bad address",
    [ENOTBLK] = "Block device required",
    [EBUSY] = "Resource busy",
    [EEXIST] = "File exists",
    [EXDEV] = "Cross-device link",
    [ENODEV] = "No such device",
    [ENOTDIR] = "Not a directory",
    [EISDIR] = "Is a directory",
    [EINVAL] = "Invalid argument",
    [ENFILE] = "Too many open files in system",
    [EMFILE] = "No file descriptors available",
    [ENOTTY] = "Not a tty",
    [ETXTBSY] = "Text file busy",
    [EFBIG] = "File too large",
    [ENOSPC] = "No space left on device",
    [ESPIPE] = "Invalid seek",
    [EROFS] = "Read-only file system",
    [EMLINK] = "Too many links",
    [EPIPE] = "Broken pipe",
    [EDOM] = "Domain error",
    [ERANGE] = "Result not representable",
    [EDEADLK] = "Resource deadlock would occur",
    [ENAMETOOLONG] = "Filename too long",
    [ENOLCK] = "No locks available",
    [ENOSYS] = "Function not implemented",
    [ENOTEMPTY] = "Directory not empty",
    [ELOOP] = "Symbolic link loop",
};

char *strerror(int errnum)
{
    if (errnum < 0 || errnum >= MESSAGE_COUNT || !messages[errnum][0]) {
        return (char *)"Unknown error";
    }
    return (char *)messages[errnum];
}

void perror(const char *s)
{
    const char *msg = strerror(errno);
    if (s && *s) {
        fputs(s, stderr);
        fputs(": ", stderr);
    }
    fputs(msg, stderr);
    fputs("\n", stderr);
}
