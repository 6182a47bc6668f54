/*
 * A tiny first-fit allocator over a static arena.  Freed blocks go on a
 * free list and are reused whole; the arena itself only grows.
 */
#include <kernel/libc.h>
#include <kernel/errno.h>

#define ARENA_SIZE (256 * 1024)
#define ALIGNMENT 16

struct block {
    size_t size;        /* usable bytes after the header */
    struct block *next; /* free-list link, NULL while allocated */
};

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(ALIGNMENT)));
static size_t arena_used;
static struct block *free_list;

static size_t round_up(size_t n)
{
    return (n + ALIGNMENT - 1) & ~(size_t)(ALIGNMENT - 1);
}

static struct block *header_of(void *ptr)
{
    return (struct block *)ptr - 1;
}

void *malloc(size_t size)
{
    struct block **link = &free_list;
    struct block *b;

    if (size > ARENA_SIZE) {
        errno = ENOMEM;
        return NULL;
    }
    size = round_up(size ? size : 1);
    for (b = free_list; b; link = &b->next, b = b->next) {
        if (b->size >= size) {
            *link = b->next;
            b->next = NULL;
            return b + 1;
        }
    }
    if (arena_used + sizeof(struct block) + size > ARENA_SIZE) {
        errno = ENOMEM;
        return NULL;
    }
    b = (struct block *)(void *)(arena + arena_used);
    arena_used += sizeof(struct block) + size;
    b->size = size;
    b->next = NULL;
    return b + 1;
}

void free(void *ptr)
{
    struct block *b;
    if (!ptr) {
        return;
    }
    b = header_of(ptr);
    b->next = free_list;
    free_list = b;
}

void *calloc(size_t nmemb, size_t size)
{
    void *p;
    if (size && nmemb > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    p = malloc(nmemb * size);
    if (p) {
        memset(p, 0, nmemb * size);
    }
    return p;
}

void *realloc(void *ptr, size_t size)
{
    size_t old;
    void *p;

    if (!ptr) {
        return malloc(size);
    }
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    old = header_of(ptr)->size;
    if (old >= size) {
        return ptr;
    }
    p = malloc(size);
    if (p) {
        memcpy(p, ptr, old);
        free(ptr);
    }
    return p;
}

/* glibc-compatible name; weak so an application could interpose it. */
KERNEL_WEAK void *__libc_malloc(size_t size) __attribute__((alias("malloc")));
