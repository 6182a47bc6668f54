/* Character classification driven by a 256-entry table. */
#include <kernel/libc.h>

enum {
    C_DIGIT = 1,
    C_UPPER = 2,
    C_LOWER = 4,
    C_SPACE = 8,
    C_XDIGIT = 16,
};

static const unsigned char ctype_table[256] = {
    ['0' ... '9'] = C_DIGIT | C_XDIGIT,
    ['A' ... 'F'] = C_UPPER | C_XDIGIT,
    ['G' ... 'Z'] = C_UPPER,
    ['a' ... 'f'] = C_LOWER | C_XDIGIT,
    ['g' ... 'z'] = C_LOWER,
    [' '] = C_SPACE,
    ['\t' ... '\r'] = C_SPACE,
};

static int has_class(int c, unsigned char mask)
{
    return c >= 0 && c < 256 && (ctype_table[c] & mask) != 0;
}

int isdigit(int c)
{
    return has_class(c, C_DIGIT);
}

int isalpha(int c)
{
    return has_class(c, C_UPPER | C_LOWER);
}

int isspace(int c)
{
    return has_class(c, C_SPACE);
}

int isxdigit(int c)
{
    return has_class(c, C_XDIGIT);
}

int toupper(int c)
{
    return has_class(c, C_LOWER) ? c - 'a' + 'A' : c;
}

int tolower(int c)
{
    return has_class(c, C_UPPER) ? c - 'A' + 'a' : c;
}
