// --config YAML files on arbitrary text: a result or an InputError.
#include "config.hpp"
#include "error.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        osv::read_app_config(osv::fuzz::input_file(data, size, "config.yaml"));
    } catch (const osv::InputError&) {
    }
    return 0;
}
