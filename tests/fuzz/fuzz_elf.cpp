// The ELF reader on arbitrary bytes: every entry point either returns or throws InputError.
#include "elf_file.hpp"
#include "error.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = osv::fuzz::input_file(data, size);
    try {
        osv::read_elf_symbols(path);
    } catch (const osv::InputError&) {
    }
    try {
        osv::read_elf_dependencies(path);
    } catch (const osv::InputError&) {
    }
    try {
        osv::read_rodata_identifiers(path);
    } catch (const osv::InputError&) {
    }
    try {
        osv::has_per_function_sections(path);
    } catch (const osv::InputError&) {
    }
    return 0;
}
