// Walking an input folder tree (a folder named as an app input, a manifest's "/**" entry): every
// regular file and every folder entered, in one fixed order, in time and memory that grow with the
// tree's size and not with the square of its depth.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace osv {

// Links to folders met inside the tree: followed (an app's lib/ is often one; each real folder is
// still entered once, so link cycles end) or skipped (OSv's manifest scripts use os.walk(), which
// does neither follow nor list them). The root is always entered, link or not; links to files are
// files either way; dangling links, link loops, sockets and devices are no files.
enum class FolderLinks { follow, skip };

struct WalkedFile {
    std::filesystem::path path;  // the root as given, then the names on the way
    std::string relative;        // from the root, '/'-separated
    std::string real_path;       // absolute, without links, "." or "..": what canonical() would say,
                                 // to recognise one file reached by two paths; `path` where unknown
};

struct WalkedTree {
    std::vector<std::filesystem::path> folders;  // the root and every folder entered, parents first
    std::vector<WalkedFile> files;               // parents' files before their subfolders', names sorted by bytes
};

// What went wrong, naming the path; the caller adds which input asked for the walk.
struct FolderWalkError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Throws FolderWalkError when a folder cannot be opened or read, or when the tree holds a path of
// PATH_MAX bytes or more (which no later step could open by name).
WalkedTree walk_folder(const std::filesystem::path& root, FolderLinks links);

}  // namespace osv
