// Folder inputs at their limits: trees 1,000 folders deep (walked in well under a second, every
// folder in the depfile), paths longer than PATH_MAX (refused in one line, exit 2, nothing written),
// through a folder named as an input and through a manifest's "/**" entry alike.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>

#include "test_support.hpp"

using namespace osv::test;

namespace {

// `depth` folders, each inside the last, named by `name(level)`, made with mkdirat() from the parent
// (no path beyond PATH_MAX can be given to mkdir()), and a copy of hello-pie at the bottom.
template <typename Name>
void nested_folders(const fs::path& root, int depth, Name name) {
    fs::create_directory(root);
    int fd = open(root.c_str(), O_RDONLY | O_DIRECTORY);
    REQUIRE(fd >= 0);
    for (int level = 0; level < depth; ++level) {
        const std::string folder = name(level);
        REQUIRE(mkdirat(fd, folder.c_str(), 0755) == 0);
        const int child = openat(fd, folder.c_str(), O_RDONLY | O_DIRECTORY);
        REQUIRE(child >= 0);
        close(fd);
        fd = child;
    }
    const int file = openat(fd, "hello", O_WRONLY | O_CREAT, 0644);
    const std::string bytes = read_file(fixtures() / "hello-pie");
    REQUIRE(write(file, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
    close(file);
    close(fd);
}

}  // namespace

TEST_CASE("folder walk: a tree 1,000 folders deep is walked quickly, every folder in the depfile") {
    const auto dir = scratch_dir();
    // Depth 1,000 of one-letter folders: a 2,000-byte path, within PATH_MAX.
    nested_folders(dir / "deep", 1000, [](int) { return std::string("d"); });
    fs::path bottom = dir / "deep";
    for (int level = 0; level < 1000; ++level) bottom /= "d";
    const auto start = std::chrono::steady_clock::now();
    const Run run = osv_symbols({"version-script", "--exports", fake_kernel(), "-o", (dir / "vs").string(), "--report",
                                 (dir / "r.yaml").string(), "--depfile", (dir / "vs.d").string(), (dir / "deep").string()});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CHECK(run.status == 0);
    CHECK(run.err == "");
    // The walk used to take 36 s and 314 MB here (canonical() for every folder and file); now well
    // under a second. The bound leaves room for a loaded machine and the sanitizers.
    CHECK(seconds < 10);
    CHECK(read_file(dir / "r.yaml").find((bottom / "hello").string()) != std::string::npos);
    const std::string depfile = read_file(dir / "vs.d");
    CHECK(depfile.find(bottom.string() + " ") != std::string::npos);  // the deepest folder: a new file there reruns
    CHECK(depfile.find((bottom / "hello").string()) != std::string::npos);

    // The same tree through a manifest, for the analysis and for an image (every file an input
    // that no output may overwrite): as quick, and the program lands at its guest path.
    write_file(dir / "deep.manifest", "/app/**: deep/**\n");
    const auto manifest_start = std::chrono::steady_clock::now();
    const Run through_manifest = osv_symbols({"needed", "--manifest", (dir / "deep.manifest").string()});
    const Run image = osv_symbols({"image", "rofs", "--manifest", (dir / "deep.manifest").string(), "-o",
                                   (dir / "deep.img").string()});
    CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - manifest_start).count() < 10);
    CHECK(through_manifest.status == 0);
    CHECK(through_manifest.out.find("puts") != std::string::npos);
    CHECK(image.status == 0);
    CHECK(image.out.find("rofs image") != std::string::npos);
}

TEST_CASE("folder walk: a path longer than PATH_MAX is refused, named input and manifest alike") {
    const auto dir = scratch_dir();
    // 20 folders of 250-byte names: 5,000 bytes.
    nested_folders(dir / "long", 20, [](int level) { return std::to_string(100 + level) + std::string(247, 'x'); });
    write_file(dir / "vs", "previous content\n");
    const Run named = osv_symbols({"version-script", "--exports", fake_kernel(), "-o", (dir / "vs").string(), "--report",
                                   (dir / "r.yaml").string(), (dir / "long").string()});
    CHECK(named.status == 2);
    CHECK(lines(named.err).size() == 1);
    CHECK(named.err.starts_with("osv-symbols: error: " + (dir / "long").string() + ": cannot walk the folder: the path "));
    CHECK(named.err.find(" bytes long, more than the system lets a program open (PATH_MAX, 4095 bytes); "
                         "shorten the folder names or the nesting\n") != std::string::npos);
    CHECK(read_file(dir / "vs") == "previous content\n");
    CHECK_FALSE(fs::exists(dir / "r.yaml"));

    write_file(dir / "long.manifest", "/app/**: long/**\n");
    const Run manifest = osv_symbols({"needed", "--manifest", (dir / "long.manifest").string()});
    CHECK(manifest.status == 2);
    CHECK(lines(manifest.err).size() == 1);
    CHECK(manifest.err.starts_with("osv-symbols: error: " + (dir / "long.manifest").string() + ":1:10: cannot walk " +
                                   (dir / "long").string() + ": the path "));
}
