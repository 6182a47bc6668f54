/*
 * Console stdio: puts/fputs/putchar write straight to the kernel console,
 * printf/snprintf go through a table-driven vsnprintf.
 */
#include <kernel/libc.h>
#include <kernel/internal.h>

static FILE stdout_file = { 1, 0 };
static FILE stderr_file = { 2, 0 };

FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

int puts(const char *s)
{
    size_t n = strlen(s);
    if (console_write(s, n) != n || console_write("\n", 1) != 1) {
        return -1;
    }
    return (int)n + 1;
}

int fputs(const char *s, FILE *f)
{
    size_t n = strlen(s);
    if (f->fd != 1 && f->fd != 2) {
        return -1;
    }
    return console_write(s, n) == n ? (int)n : -1;
}

int putchar(int c)
{
    char ch = (char)c;
    return console_write(&ch, 1) == 1 ? (unsigned char)ch : -1;
}

int fflush(FILE *f)
{
    (void)f;
    console_flush();
    return 0;
}

/* ---- formatting ---------------------------------------------------------- */

enum conv_kind {
    CONV_NONE = 0,
    CONV_INT,
    CONV_STR,
    CONV_CHAR,
    CONV_PTR,
    CONV_PERCENT,
};

struct conv_spec {
    unsigned char kind;
    unsigned char base;
    unsigned char is_signed;
    unsigned char upper;
};

/* Indexed by conversion character. */
static const struct conv_spec conv_table[128] = {
    ['d'] = { CONV_INT, 10, 1, 0 },
    ['i'] = { CONV_INT, 10, 1, 0 },
    ['u'] = { CONV_INT, 10, 0, 0 },
    ['o'] = { CONV_INT, 8, 0, 0 },
    ['x'] = { CONV_INT, 16, 0, 0 },
    ['X'] = { CONV_INT, 16, 0, 1 },
    ['b'] = { CONV_INT, 2, 0, 0 },
    ['p'] = { CONV_PTR, 16, 0, 0 },
    ['s'] = { CONV_STR, 0, 0, 0 },
    ['c'] = { CONV_CHAR, 0, 0, 0 },
    ['%'] = { CONV_PERCENT, 0, 0, 0 },
};

static const char digit_chars[2][17] = {
    "0123456789abcdef",
    "0123456789ABCDEF",
};

enum {
    FLAG_LEFT = 1,
    FLAG_ZERO = 2,
    FLAG_PLUS = 4,
    FLAG_SPACE = 8,
    FLAG_ALT = 16,
};

struct sink {
    char *buf;
    size_t size;
    size_t len;
};

static void sink_put(struct sink *s, char c)
{
    if (s->len + 1 < s->size) {
        s->buf[s->len] = c;
    }
    s->len++;
}

static void sink_pad(struct sink *s, char c, int count)
{
    while (count-- > 0) {
        sink_put(s, c);
    }
}

static void format_number(struct sink *s, unsigned long long value, int negative,
                          const struct conv_spec *spec, int flags, int width,
                          int precision)
{
    char tmp[72];
    int n = 0;
    int sign = negative ? '-' : (flags & FLAG_PLUS) ? '+' : (flags & FLAG_SPACE) ? ' ' : 0;
    const char *digits = digit_chars[spec->upper];
    const char *prefix = "";
    int prefix_len, zeros, total;

    do {
        tmp[n++] = digits[value % spec->base];
        value /= spec->base;
    } while (value);
    if ((flags & FLAG_ALT) && spec->base == 16) {
        prefix = spec->upper ? "0X" : "0x";
    } else if ((flags & FLAG_ALT) && spec->base == 8 && tmp[n - 1] != '0') {
        prefix = "0";
    }
    prefix_len = (int)strlen(prefix);
    zeros = precision > n ? precision - n : 0;
    total = n + zeros + prefix_len + (sign ? 1 : 0);
    if ((flags & FLAG_ZERO) && !(flags & FLAG_LEFT) && precision < 0 && width > total) {
        zeros += width - total;
        total = width;
    }
    if (!(flags & FLAG_LEFT)) {
        sink_pad(s, ' ', width - total);
    }
    if (sign) {
        sink_put(s, (char)sign);
    }
    while (*prefix) {
        sink_put(s, *prefix++);
    }
    sink_pad(s, '0', zeros);
    while (n) {
        sink_put(s, tmp[--n]);
    }
    if (flags & FLAG_LEFT) {
        sink_pad(s, ' ', width - total);
    }
}

static void format_string(struct sink *s, const char *str, int flags, int width,
                          int precision)
{
    int len = 0;
    if (!str) {
        str = "(null)";
    }
    while (str[len] && (precision < 0 || len < precision)) {
        len++;
    }
    if (!(flags & FLAG_LEFT)) {
        sink_pad(s, ' ', width - len);
    }
    for (int i = 0; i < len; i++) {
        sink_put(s, str[i]);
    }
    if (flags & FLAG_LEFT) {
        sink_pad(s, ' ', width - len);
    }
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink s = { buf, size, 0 };

    while (*fmt) {
        int flags = 0, width = 0, precision = -1, longs = 0;
        const struct conv_spec *spec;
        unsigned char conv;

        if (*fmt != '%') {
            sink_put(&s, *fmt++);
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '-') {
                flags |= FLAG_LEFT;
            } else if (*fmt == '0') {
                flags |= FLAG_ZERO;
            } else if (*fmt == '+') {
                flags |= FLAG_PLUS;
            } else if (*fmt == ' ') {
                flags |= FLAG_SPACE;
            } else if (*fmt == '#') {
                flags |= FLAG_ALT;
            } else {
                break;
            }
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                flags |= FLAG_LEFT;
                width = -width;
            }
            fmt++;
        } else {
            while (isdigit((unsigned char)*fmt)) {
                width = width * 10 + (*fmt++ - '0');
            }
        }
        if (*fmt == '.') {
            fmt++;
            precision = 0;
            if (*fmt == '*') {
                precision = va_arg(ap, int);
                fmt++;
            } else {
                while (isdigit((unsigned char)*fmt)) {
                    precision = precision * 10 + (*fmt++ - '0');
                }
            }
        }
        for (;; fmt++) {
            if (*fmt == 'l') {
                longs++;
            } else if (*fmt == 'z') {
                longs = 1;
            } else if (*fmt != 'h') {
                break;
            }
        }
        conv = (unsigned char)*fmt;
        if (!conv) {
            break;
        }
        fmt++;
        spec = conv < 128 ? &conv_table[conv] : &conv_table[0];
        switch (spec->kind) {
        case CONV_INT: {
            unsigned long long v;
            int negative = 0;
            if (spec->is_signed) {
                long long sv = longs > 1 ? va_arg(ap, long long)
                             : longs ? va_arg(ap, long) : va_arg(ap, int);
                negative = sv < 0;
                v = negative ? 0ULL - (unsigned long long)sv : (unsigned long long)sv;
            } else {
                v = longs > 1 ? va_arg(ap, unsigned long long)
                  : longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            }
            format_number(&s, v, negative, spec, flags, width, precision);
            break;
        }
        case CONV_PTR:
            format_number(&s, (uintptr_t)va_arg(ap, void *), 0, spec,
                          flags | FLAG_ALT, width, precision);
            break;
        case CONV_STR:
            format_string(&s, va_arg(ap, const char *), flags, width, precision);
            break;
        case CONV_CHAR: {
            char c[2] = { (char)va_arg(ap, int), 0 };
            format_string(&s, c, flags, width, 1);
            break;
        }
        case CONV_PERCENT:
            sink_put(&s, '%');
            break;
        default:
            sink_put(&s, '%');
            sink_put(&s, (char)conv);
            break;
        }
    }
    if (size) {
        buf[s.len < size ? s.len : size - 1] = '\0';
    }
    return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    return n;
}
