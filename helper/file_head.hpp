// The first bytes of a file, for the checks that tell file kinds apart by their magic numbers
// (ELF, ar archives, xz-compressed bundles) without reading the rest.
#pragma once

#include <filesystem>
#include <string>

namespace osv {

// Up to `bytes` bytes from the start of the file; fewer when it is shorter, none when it cannot be
// opened or read. Opened non-blocking, so a FIFO without a writer never blocks the caller.
std::string read_file_head(const std::filesystem::path& path, std::size_t bytes);

}  // namespace osv
