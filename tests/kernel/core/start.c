/*
 * Kernel entry point.  _start deliberately references very little: the
 * console and the halt loop.  Everything else in the kernel is reachable
 * only through exported symbols.
 */
#include <kernel/libc.h>
#include <kernel/internal.h>

static const char banner[] =
    "osv-specialize test kernel (hide_symbols="
    KERNEL_STRINGIFY(CONF_hide_symbols) ")\n";

void kernel_halt(int status)
{
    (void)status;
    console_flush();
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}

void kernel_panic(const char *msg)
{
    static const char prefix[] = "panic: ";
    console_write(prefix, sizeof(prefix) - 1);
    console_write(msg, strlen(msg));
    console_write("\n", 1);
    kernel_halt(-1);
}

KERNEL_NORETURN void _start(void);

void _start(void)
{
    console_init();
    console_write(banner, sizeof(banner) - 1);
    kernel_halt(0);
}
