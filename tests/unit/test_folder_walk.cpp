// walk_folder on its own: order, links followed or skipped, each real folder once, the real paths
// that the app's inputs are told apart by (the same as canonical() would give, without asking it).
#include <doctest/doctest.h>

#include "folder_walk.hpp"
#include "test_support.hpp"

using namespace osv;
using namespace osv::test;

namespace {

std::vector<std::string> relatives(const WalkedTree& tree) {
    std::vector<std::string> out;
    for (const auto& file : tree.files) out.push_back(file.relative);
    return out;
}

}  // namespace

TEST_CASE("folder walk: links to folders followed once or skipped, loops and dangling links no files") {
    const auto dir = scratch_dir();
    fs::create_directories(dir / "app/lib/sub");
    fs::create_directories(dir / "elsewhere");
    write_file(dir / "app/b", "b");
    write_file(dir / "app/a", "a");
    write_file(dir / "app/lib/sub/deep", "d");
    write_file(dir / "elsewhere/outside", "o");
    fs::create_directory_symlink("../elsewhere", dir / "app/link-out");
    fs::create_directory_symlink("..", dir / "app/lib/up");  // a cycle back to app/
    fs::create_symlink("a", dir / "app/link-to-a");
    fs::create_symlink("nowhere", dir / "app/dangling");
    fs::create_symlink("loop2", dir / "app/loop1");
    fs::create_symlink("loop1", dir / "app/loop2");

    const WalkedTree followed = walk_folder(dir / "app", FolderLinks::follow);
    CHECK(relatives(followed) == std::vector<std::string>{"a", "b", "link-to-a", "lib/sub/deep", "link-out/outside"});
    CHECK(followed.folders == std::vector<fs::path>{dir / "app", dir / "app/lib", dir / "app/lib/sub", dir / "app/link-out"});
    for (const auto& file : followed.files) CHECK(file.real_path == fs::canonical(file.path).string());

    const WalkedTree skipped = walk_folder(dir / "app", FolderLinks::skip);
    CHECK(relatives(skipped) == std::vector<std::string>{"a", "b", "link-to-a", "lib/sub/deep"});
    CHECK(skipped.folders == std::vector<fs::path>{dir / "app", dir / "app/lib", dir / "app/lib/sub"});

    CHECK_THROWS_AS(walk_folder(dir / "absent", FolderLinks::follow), FolderWalkError);
}
