/* Conversions, sorting/searching, the environment and abort(). */
#include <kernel/libc.h>
#include <kernel/internal.h>
#include <kernel/errno.h>

static char *initial_environment[] = {
    "PATH=/bin:/usr/bin",
    "HOME=/",
    "TERM=vt100",
    "OSV_TEST_KERNEL=1",
    NULL,
};

char **environ = initial_environment;

char *getenv(const char *name)
{
    size_t n = strlen(name);
    char **e;

    if (!environ || n == 0 || strchr(name, '=')) {
        return NULL;
    }
    for (e = environ; *e; e++) {
        if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') {
            return *e + n + 1;
        }
    }
    return NULL;
}

static int digit_value(int c)
{
    if (isdigit(c)) {
        return c - '0';
    }
    if (isalpha(c)) {
        return tolower(c) - 'a' + 10;
    }
    return 99;
}

long strtol(const char *s, char **end, int base)
{
    const char *p = s;
    unsigned long acc = 0, limit;
    int negative = 0, any = 0, overflow = 0;

    while (isspace((unsigned char)*p)) {
        p++;
    }
    if (*p == '-' || *p == '+') {
        negative = *p++ == '-';
    }
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        isxdigit((unsigned char)p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    if (base < 2 || base > 36) {
        errno = EINVAL;
        if (end) {
            *end = (char *)s;
        }
        return 0;
    }
    limit = negative ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
    for (;; p++) {
        int d = digit_value((unsigned char)*p);
        if (d >= base) {
            break;
        }
        any = 1;
        if (acc > (limit - (unsigned long)d) / (unsigned long)base) {
            overflow = 1;
        } else {
            acc = acc * (unsigned long)base + (unsigned long)d;
        }
    }
    if (end) {
        *end = (char *)(any ? p : s);
    }
    if (overflow) {
        errno = ERANGE;
        return negative ? LONG_MIN : LONG_MAX;
    }
    return negative ? (long)(0UL - acc) : (long)acc;
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

int abs(int x)
{
    return x < 0 ? -x : x;
}

/* ---- qsort: median-of-three quicksort with an explicit stack ------------- */

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    while (size--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void insertion_sort(unsigned char *base, size_t nmemb, size_t size,
                           int (*compar)(const void *, const void *))
{
    for (size_t i = 1; i < nmemb; i++) {
        for (size_t j = i; j > 0; j--) {
            unsigned char *cur = base + j * size;
            if (compar(cur - size, cur) <= 0) {
                break;
            }
            swap_bytes(cur - size, cur, size);
        }
    }
}

static unsigned char *median_of_three(unsigned char *a, unsigned char *b,
                                      unsigned char *c,
                                      int (*compar)(const void *, const void *))
{
    if (compar(a, b) < 0) {
        if (compar(b, c) < 0) {
            return b;
        }
        return compar(a, c) < 0 ? c : a;
    }
    if (compar(a, c) < 0) {
        return a;
    }
    return compar(b, c) < 0 ? c : b;
}

void qsort(void *base, size_t nmemb, size_t size,
           int (*compar)(const void *, const void *))
{
    struct range {
        unsigned char *lo;
        size_t n;
    } stack[64];
    int top = 0;

    if (nmemb < 2 || size == 0) {
        return;
    }
    stack[top++] = (struct range){ base, nmemb };
    while (top > 0) {
        struct range r = stack[--top];
        unsigned char *lo, *hi, *pivot, *store;
        size_t left, right;

        if (r.n <= 8) {
            insertion_sort(r.lo, r.n, size, compar);
            continue;
        }
        lo = r.lo;
        hi = r.lo + (r.n - 1) * size;
        pivot = median_of_three(lo, lo + (r.n / 2) * size, hi, compar);
        swap_bytes(pivot, hi, size);
        store = lo;
        for (unsigned char *p = lo; p < hi; p += size) {
            if (compar(p, hi) < 0) {
                swap_bytes(p, store, size);
                store += size;
            }
        }
        swap_bytes(store, hi, size);
        left = (size_t)(store - lo) / size;
        right = r.n - left - 1;
        /* Push the larger part first so the stack stays logarithmic. */
        if (left > right) {
            stack[top++] = (struct range){ lo, left };
            stack[top++] = (struct range){ store + size, right };
        } else {
            stack[top++] = (struct range){ store + size, right };
            stack[top++] = (struct range){ lo, left };
        }
    }
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*compar)(const void *, const void *))
{
    const unsigned char *b = base;
    while (nmemb > 0) {
        const unsigned char *mid = b + (nmemb / 2) * size;
        int c = compar(key, mid);
        if (c == 0) {
            return (void *)mid;
        }
        if (c > 0) {
            b = mid + size;
            nmemb -= nmemb / 2 + 1;
        } else {
            nmemb /= 2;
        }
    }
    return NULL;
}

/* Weak, so that a kernel built with a debugger stub could replace it. */
KERNEL_WEAK void abort(void)
{
    kernel_panic("abort() called");
}
