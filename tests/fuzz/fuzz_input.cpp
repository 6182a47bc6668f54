#include "fuzz_input.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace osv::fuzz {

const std::filesystem::path& scratch() {
    static const std::filesystem::path dir = [] {
        std::string pattern = (std::filesystem::temp_directory_path() / "osv-fuzz-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) std::abort();
        return std::filesystem::path(pattern);
    }();
    return dir;
}

std::filesystem::path input_file(const std::uint8_t* data, std::size_t size, const char* name) {
    const auto path = scratch() / name;
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                    static_cast<std::streamsize>(size));
    return path;
}

}  // namespace osv::fuzz
