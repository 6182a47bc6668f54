// The ELF reader on arbitrary bytes: every entry point either returns or throws InputError.
#include <memory>

#include "defined_imports.hpp"
#include "elf_file.hpp"
#include "error.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = osv::fuzz::input_file(data, size);
    try {
        osv::read_elf_symbols(path);
    } catch (const osv::InputError&) {
    }
    try {  // as an app's input: definitions by their .gnu.hash, then read again
        auto names = std::make_shared<osv::SymbolNames>();
        osv::DefinedImports defined(names);
        defined.start_file(0);
        const auto program = osv::read_elf_imports(path, names, &defined);
        for (const char* name : {"f", "counter", "main"}) names->intern(name);  // imported later: a reread
        if (program)
            (void)defined.finish([&](std::size_t, osv::DefinitionSink& sink) { osv::read_elf_definitions(*program, sink); });
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
