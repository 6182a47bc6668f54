// Writing results so that a build never sees half a file and an unchanged result keeps its
// timestamp (so Ninja's restat, and make, skip everything downstream of it).
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace osv {

// "-" means standard output.
bool is_stdout(const std::filesystem::path& path);

// Writes `content` via a temporary file in the same folder and rename(). Returns false, touching
// nothing, when the file already holds exactly this content. Throws InputError on I/O failure.
bool write_if_changed(const std::filesystem::path& path, std::string_view content);

// Moves a finished temporary file into place unless `path` already has the same bytes (then the
// temporary is removed). Returns whether `path` changed.
bool replace_if_changed(const std::filesystem::path& temporary, const std::filesystem::path& path);

// A temporary file name beside `path`, removed on destruction unless released.
class TemporaryFile {
public:
    explicit TemporaryFile(const std::filesystem::path& beside);
    ~TemporaryFile();
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// One batch of outputs: everything is computed first, then written, so a failure leaves every
// output as it was.
struct PendingOutput {
    std::filesystem::path path;
    std::string content;
};
void write_outputs(const std::vector<PendingOutput>& outputs);

}  // namespace osv
