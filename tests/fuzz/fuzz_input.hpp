// What the libFuzzer harnesses share: the readers take paths, so each input is written to a file
// in a private, otherwise empty folder (a manifest's relative paths then find nothing else).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace osv::fuzz {

// A folder of this process's own under $TMPDIR, made once.
const std::filesystem::path& scratch();

// Writes the input to scratch()/name and returns that path.
std::filesystem::path input_file(const std::uint8_t* data, std::size_t size, const char* name = "input");

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

}  // namespace osv::fuzz
