// Linked into $(out)/dummy-shlib.so and then into loader.elf.
//
// ld drops the .dynamic section of an executable that does not link against
// any shared library, even with --export-dynamic; linking this otherwise
// useless library keeps the kernel's dynamic symbol table (like OSv does).
int test_kernel_dummy_shlib_marker;
