/*
 * The libc-like API exported by the test kernel.  Every declaration here is
 * KERNEL_API (default visibility); the exported_symbols/ lists name them.
 */
#ifndef KERNEL_LIBC_H
#define KERNEL_LIBC_H

#include <kernel/api.h>
#include <kernel/types.h>

KERNEL_BEGIN_DECLS

typedef struct kernel_file FILE;

/* string.c */
KERNEL_API size_t strlen(const char *s);
KERNEL_API char *strcpy(char *dst, const char *src);
KERNEL_API char *strncpy(char *dst, const char *src, size_t n);
KERNEL_API char *strcat(char *dst, const char *src);
KERNEL_API int strcmp(const char *a, const char *b);
KERNEL_API int strncmp(const char *a, const char *b, size_t n);
KERNEL_API char *strchr(const char *s, int c);
KERNEL_API char *strrchr(const char *s, int c);
KERNEL_API char *strstr(const char *haystack, const char *needle);
KERNEL_API char *strdup(const char *s);
KERNEL_API void *memcpy(void *dst, const void *src, size_t n);
KERNEL_API void *memmove(void *dst, const void *src, size_t n);
KERNEL_API void *memset(void *dst, int c, size_t n);
KERNEL_API int memcmp(const void *a, const void *b, size_t n);

/* malloc.c */
KERNEL_API void *malloc(size_t size);
KERNEL_API void free(void *ptr);
KERNEL_API void *calloc(size_t nmemb, size_t size);
KERNEL_API void *realloc(void *ptr, size_t size);
KERNEL_API void *__libc_malloc(size_t size);

/* stdio.c */
KERNEL_API extern FILE *stdout;
KERNEL_API extern FILE *stderr;
KERNEL_API int puts(const char *s);
KERNEL_API int fputs(const char *s, FILE *f);
KERNEL_API int putchar(int c);
KERNEL_API int fflush(FILE *f);
KERNEL_API int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
KERNEL_API int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
KERNEL_API int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* stdlib.c */
KERNEL_API extern char **environ;
KERNEL_API int atoi(const char *s);
KERNEL_API long strtol(const char *s, char **end, int base);
KERNEL_API int abs(int x);
KERNEL_API void qsort(void *base, size_t nmemb, size_t size,
                      int (*compar)(const void *, const void *));
KERNEL_API void *bsearch(const void *key, const void *base, size_t nmemb,
                         size_t size, int (*compar)(const void *, const void *));
KERNEL_API char *getenv(const char *name);
KERNEL_API KERNEL_NORETURN void abort(void);

/* ctype.c */
KERNEL_API int isdigit(int c);
KERNEL_API int isalpha(int c);
KERNEL_API int isspace(int c);
KERNEL_API int isxdigit(int c);
KERNEL_API int toupper(int c);
KERNEL_API int tolower(int c);

/* errno.c */
KERNEL_API int *__errno_location(void);
KERNEL_API char *strerror(int errnum);
KERNEL_API void perror(const char *s);

/* start_main.c */
KERNEL_API extern char *program_invocation_name;
KERNEL_API int __libc_start_main(int (*main)(int, char **, char **), int argc,
                                 char **argv, void (*init)(void),
                                 void (*fini)(void), void (*rtld_fini)(void),
                                 void *stack_end);
KERNEL_API KERNEL_NORETURN void exit(int status);

/* cxa.cc */
KERNEL_API int __cxa_atexit(void (*func)(void *), void *arg, void *dso_handle);
KERNEL_API void __cxa_finalize(void *dso_handle);
KERNEL_API int atexit(void (*func)(void));

/* core/dl.cc */
#define RTLD_LAZY 1
#define RTLD_NOW 2
#define RTLD_DEFAULT ((void *)0)
KERNEL_API void *dlopen(const char *filename, int flags);
KERNEL_API void *dlsym(void *handle, const char *symbol);
KERNEL_API int dlclose(void *handle);
KERNEL_API char *dlerror(void);

/* core/checksum.c */
KERNEL_API unsigned long crc32(unsigned long crc, const unsigned char *buf,
                               unsigned int len);

KERNEL_END_DECLS

#endif
