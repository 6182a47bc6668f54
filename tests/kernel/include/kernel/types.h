/*
 * Basic types for the osv-specialize test kernel.  The kernel is built with
 * -nostdinc, so nothing from the host C library (or gcc's own headers) may be
 * included; everything needed is derived from compiler-predefined macros.
 */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __INTPTR_TYPE__ intptr_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef __UINT32_TYPE__ uint32_t;
typedef __UINT64_TYPE__ uint64_t;
typedef __INT64_TYPE__ int64_t;

typedef __builtin_va_list va_list;
#define va_start(ap, last) __builtin_va_start(ap, last)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#define va_end(ap) __builtin_va_end(ap)
#define va_copy(dst, src) __builtin_va_copy(dst, src)

#ifdef __cplusplus
#define NULL nullptr
#else
#define NULL ((void *)0)
#endif

#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-__LONG_MAX__ - 1L)
#define SIZE_MAX __SIZE_MAX__

#endif
