/*
 * Kernel-internal interfaces shared between object files.  None of these is
 * exported: they are hidden, so they only survive --gc-sections when an
 * exported function (or _start) reaches them.
 */
#ifndef KERNEL_INTERNAL_H
#define KERNEL_INTERNAL_H

#include <kernel/api.h>
#include <kernel/types.h>

KERNEL_BEGIN_DECLS

struct kernel_file {
    int fd;
    unsigned flags;
};

/* core/console.cc */
KERNEL_HIDDEN void console_init(void);
KERNEL_HIDDEN size_t console_write(const char *data, size_t len);
KERNEL_HIDDEN void console_flush(void);

/* core/start.c */
KERNEL_HIDDEN KERNEL_NORETURN void kernel_halt(int status);
KERNEL_HIDDEN KERNEL_NORETURN void kernel_panic(const char *msg);

KERNEL_END_DECLS

#endif
