// A fast 64-bit fingerprint of a file's bytes, to notice kit inputs that changed since capture.
// Not cryptographic: it guards against stale builds, not against attackers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace osv {

// 16 lowercase hex digits. Throws InputError when the file cannot be read.
std::string file_fingerprint(const std::filesystem::path& path);

}  // namespace osv
