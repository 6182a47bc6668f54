// Version scripts and symbol lists: whatever parses must render and parse back to the same names
// (a name that splits a line would not).
#include <cstdlib>

#include "error.hpp"
#include "exports.hpp"
#include "fuzz_input.hpp"
#include "version_script.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = osv::fuzz::text(data, size);
    try {
        const auto names = osv::parse_version_script_globals(text, "fuzz.vs");
        const std::string rendered = osv::render_version_script(names);
        if (osv::parse_version_script_globals(rendered, "rendered.vs") != names) std::abort();
    } catch (const osv::InputError&) {
    }
    try {
        auto names = osv::parse_symbol_list(text, "fuzz.list", false);
        std::string list;
        for (const auto& name : names) list += name + "\n";
        if (osv::parse_symbol_list(list, "rendered.list", false) != names) std::abort();
    } catch (const osv::InputError&) {
    }
    return 0;
}
