/* Program start-up and exit, glibc-compatible entry points. */
#include <kernel/libc.h>
#include <kernel/internal.h>

static char default_program_name[] = "app";

char *program_invocation_name = default_program_name;

int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv,
                      void (*init)(void), void (*fini)(void),
                      void (*rtld_fini)(void), void *stack_end)
{
    (void)stack_end;
    if (argc > 0 && argv && argv[0]) {
        program_invocation_name = argv[0];
    }
    if (rtld_fini) {
        atexit(rtld_fini);
    }
    if (fini) {
        atexit(fini);
    }
    if (init) {
        init();
    }
    exit(main(argc, argv, environ));
}

void exit(int status)
{
    __cxa_finalize(NULL);
    fflush(stdout);
    kernel_halt(status);
}
