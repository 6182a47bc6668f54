// A file's SHA-256, to notice kit inputs that changed since capture. Cryptographic because a kit's
// fingerprints decide which files its link may read (helper/kit_commands.cpp): a 64-bit hash
// would let a crafted file pass for a captured one.
#pragma once

#include <filesystem>
#include <string>

namespace osv {

// 64 lowercase hex digits. Throws InputError when the file cannot be read.
std::string file_fingerprint(const std::filesystem::path& path);

// Whether `text` has the shape file_fingerprint gives (64 lowercase hex digits).
bool is_fingerprint(const std::string& text);

}  // namespace osv
