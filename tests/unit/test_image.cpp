// The image writers, read back by the independent readers of support/image_readers: every
// file's bytes, every folder and symlink, the same bytes for the same inputs, and errors that
// name the entry.
#include <doctest/doctest.h>

#include <algorithm>

#include "image_bootfs.hpp"
#include "image_disk.hpp"
#include "image_readers.hpp"
#include "image_rofs.hpp"
#include "image_tree.hpp"
#include "input_error_of.hpp"
#include "test_support.hpp"

using namespace osv;
using test::GuestListing;

namespace {

// An app of every entry kind: files of 0, 1, 512 and 1,300 bytes, nested and "/**" copies, an
// empty folder, a host folder named as a folder, a symlink, and a second manifest overriding a file.
struct App {
    std::filesystem::path dir;
    std::vector<std::filesystem::path> manifests;
    GuestListing expected;
};

App make_app(bool reversed_lines = false) {
    App app;
    app.dir = test::scratch_dir();
    const auto& d = app.dir;
    std::filesystem::create_directories(d / "lib/sub");
    std::filesystem::create_directories(d / "empty");
    const std::string big(1300, 'b');
    test::write_file(d / "hello", "ELF-ish hello");
    test::write_file(d / "blank", "");
    test::write_file(d / "one", "1");
    test::write_file(d / "block", std::string(512, 'k'));
    test::write_file(d / "lib/liba.so", big);
    test::write_file(d / "lib/sub/libb.so", "libb");
    test::write_file(d / "hosts", "127.0.0.1 localhost\n");
    test::write_file(d / "hosts.override", "10.0.0.1 app\n");
    std::vector<std::string> lines = {
        "/hello: hello",          "/etc/empty-file: blank",     "/one: one",
        "/block: block",          "/usr/lib/**: lib/**",        "/tmp: empty",
        "/etc/mnttab: ->/proc/mounts", "/etc/hosts: ${here}/hosts",
    };
    if (reversed_lines) std::reverse(lines.begin(), lines.end());
    std::string text = "[manifest]\n";
    for (const auto& line : lines) text += line + "\n";
    test::write_file(d / "usr.manifest", text);
    test::write_file(d / "override.manifest", "/etc/hosts: hosts.override\n");
    app.manifests = {d / "usr.manifest", d / "override.manifest"};
    app.expected = {
        {"/block", {"file", std::string(512, 'k')}},
        {"/etc", {"dir", ""}},
        {"/etc/empty-file", {"file", ""}},
        {"/etc/hosts", {"file", "10.0.0.1 app\n"}},
        {"/etc/mnttab", {"link", "/proc/mounts"}},
        {"/hello", {"file", "ELF-ish hello"}},
        {"/one", {"file", "1"}},
        {"/tmp", {"dir", ""}},
        {"/usr", {"dir", ""}},
        {"/usr/lib", {"dir", ""}},
        {"/usr/lib/liba.so", {"file", big}},
        {"/usr/lib/sub", {"dir", ""}},
        {"/usr/lib/sub/libb.so", {"file", "libb"}},
    };
    return app;
}

GuestTree tree_of(const App& app) { return build_guest_tree(app.manifests, {{"here", app.dir.string()}}); }

std::string rofs_disk(const App& app) { return partitioned_disk(rofs_image(tree_of(app))); }

}  // namespace

TEST_CASE("image: a rofs disk holds every file, folder and symlink") {
    const App app = make_app();
    const std::string disk = rofs_disk(app);
    CHECK(test::read_rofs_disk(disk) == app.expected);
}

TEST_CASE("image: a bootfs archive holds every file, folder and symlink") {
    const App app = make_app();
    const std::string archive = bootfs_archive(tree_of(app));
    CHECK(test::read_bootfs(archive) == app.expected);
}

TEST_CASE("image: the same inputs give the same bytes, whatever the manifest's line order") {
    const App app = make_app();
    const App reversed = make_app(true);
    CHECK(rofs_disk(app) == rofs_disk(app));
    CHECK(bootfs_archive(tree_of(app)) == bootfs_archive(tree_of(app)));
    // A different scratch folder holds the same bytes: only the guest paths and contents matter.
    CHECK(rofs_disk(app) == rofs_disk(reversed));
    CHECK(bootfs_archive(tree_of(app)) == bootfs_archive(tree_of(reversed)));
}

TEST_CASE("image: the guest tree lists what it read, for a depfile") {
    const App app = make_app();
    const GuestTree tree = tree_of(app);
    const auto& read = tree.files_read;
    for (const char* name : {"usr.manifest", "override.manifest", "hello", "blank", "lib/liba.so", "lib/sub/libb.so"})
        CHECK(std::find(read.begin(), read.end(), app.dir / name) != read.end());
}

TEST_CASE("image: a '!host' symlink stays a symlink, other host symlinks are followed") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "libz.so.1.3", "zlib");
    std::filesystem::create_symlink("libz.so.1.3", dir / "libz.so.1");
    test::write_file(dir / "usr.manifest", "/lib/libz.so.1: !libz.so.1\n/lib/libz.so: libz.so.1\n");
    const GuestListing listing = test::read_bootfs(bootfs_archive(build_guest_tree({dir / "usr.manifest"}, {})));
    CHECK(listing.at("/lib/libz.so.1") == test::GuestItem{"link", "libz.so.1.3"});
    CHECK(listing.at("/lib/libz.so") == test::GuestItem{"file", "zlib"});
}

TEST_CASE("image: names the formats cannot hold, and trees that contradict themselves") {
    const auto dir = test::scratch_dir();
    const auto manifest = dir / "usr.manifest";
    const std::string where = manifest.string() + ":1: ";
    test::write_file(dir / "f", "x");

    const std::string long_name = "/" + std::string(110, 'n');
    test::write_file(manifest, long_name + ": f\n");
    const GuestTree tree = build_guest_tree({manifest}, {});
    CHECK(test::input_error_of([&] { bootfs_archive(tree); }) ==
          where + "guest path '" + long_name + "' is 111 bytes, bootfs holds at most 110; shorten it or put the file in a rofs image");
    CHECK(test::read_rofs_disk(partitioned_disk(rofs_image(tree))).size() == 1);  // rofs takes it

    test::write_file(manifest, "/" + std::string(109, 'd') + ": .\n");  // a folder gets a '/': 111 bytes
    CHECK(test::input_error_of([&] { bootfs_archive(build_guest_tree({manifest}, {})); }).find("is 111 bytes") != std::string::npos);

    test::write_file(manifest, "/" + std::string(70000, 'r') + ": f\n");
    CHECK(test::input_error_of([&] { rofs_image(build_guest_tree({manifest}, {})); }) ==
          where + "the name of '/" + std::string(40, 'r') + "...' is 70000 bytes, rofs holds at most 65535; shorten it");

    test::write_file(manifest, "/etc: f\n/etc/hosts: f\n");
    CHECK(test::input_error_of([&] { build_guest_tree({manifest}, {}); }) ==
          manifest.string() + ":2: '/etc/hosts' would be inside '/etc', which " + where.substr(0, where.size() - 2) +
              " makes a file or symlink; remove one of the two entries");
    test::write_file(manifest, "/usr/../etc: f\n");
    CHECK(test::input_error_of([&] { build_guest_tree({manifest}, {}); }) ==
          where + "guest path '/usr/../etc' holds '..'; write the path without it");
    test::write_file(manifest, "relative: f\n");
    CHECK(test::input_error_of([&] { build_guest_tree({manifest}, {}); }) ==
          where + "guest path 'relative' is not absolute; start it with '/'");
}
