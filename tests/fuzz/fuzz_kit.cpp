// Kits: whatever reads must render and read back to the same kit (same rendering).
#include <cstdlib>
#include <fstream>

#include "error.hpp"
#include "fuzz_input.hpp"
#include "kit.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto path = osv::fuzz::input_file(data, size, "kit.yaml");
    try {
        const osv::Kit kit = osv::read_kit(path);
        const std::string rendered = osv::render_kit(kit);
        const auto again = osv::fuzz::scratch() / "again.yaml";
        std::ofstream(again, std::ios::trunc) << rendered;
        if (osv::render_kit(osv::read_kit(again)) != rendered) std::abort();
    } catch (const osv::InputError&) {
    }
    return 0;
}
