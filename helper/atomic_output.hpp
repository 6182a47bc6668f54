// Writing results so that a build never sees half a file, a failed command changes no output,
// and an unchanged result keeps its timestamp (so Ninja's restat, and make, skip everything
// downstream of it).
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace osv {

// "-" means standard output.
bool is_stdout(const std::filesystem::path& path);

// A temporary file name beside `beside` (same folder, so rename() is atomic), removed on
// destruction unless it was moved into place.
class TemporaryFile {
public:
    explicit TemporaryFile(const std::filesystem::path& beside);
    ~TemporaryFile();
    TemporaryFile(TemporaryFile&& other) noexcept;
    TemporaryFile& operator=(TemporaryFile&&) = delete;
    TemporaryFile(const TemporaryFile&) = delete;
    TemporaryFile& operator=(const TemporaryFile&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// The outputs of one command, written all or nothing: every output whose content changes is
// first written to a temporary beside it, and only when all of them are written are they renamed
// into place. Outputs already holding the same bytes are not touched. Standard output is printed
// last. Devices (-o /dev/null) are written in place, never replaced.
class OutputBatch {
public:
    void add(const std::filesystem::path& path, std::string content);
    // A file produced elsewhere (a linked kernel), to be moved into `path`.
    void add_file(const std::filesystem::path& path, TemporaryFile finished);
    // UsageError when two outputs, or an output and one of `inputs`, name the same file. The
    // strings: a big app's file list, held as strings (a path carries its split components too).
    void refuse_overlap(const std::vector<std::filesystem::path>& inputs) const;
    void refuse_overlap(const std::vector<std::string>& inputs) const;
    // Returns the outputs that changed. Throws InputError (nothing changed) when a write fails.
    std::set<std::filesystem::path> commit();

private:
    template <typename Paths>
    void refuse_overlap_with(const Paths& inputs) const;

    struct Text {
        std::filesystem::path path;
        std::string content;
    };
    struct File {
        std::filesystem::path path;
        TemporaryFile finished;
    };
    std::vector<Text> texts_;
    std::vector<File> files_;
};

// A batch of one text output; returns whether the file changed.
bool write_if_changed(const std::filesystem::path& path, const std::string& content);

}  // namespace osv
