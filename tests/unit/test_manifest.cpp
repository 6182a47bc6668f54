#include <doctest/doctest.h>

#include "error.hpp"
#include "input_error_of.hpp"
#include "manifest.hpp"
#include "test_support.hpp"

using namespace osv;

namespace {
std::vector<std::string> guests(const ExpandedManifest& m) {
    std::vector<std::string> out;
    for (const auto& f : m.files) out.push_back(f.guest_path);
    return out;
}
std::string error_of(const std::filesystem::path& manifest) {
    return test::input_error_of([&] { read_manifest(manifest, {}); });
}
}  // namespace

TEST_CASE("manifest: OSv's format, every feature") {
    const auto dir = test::scratch_dir();
    std::filesystem::create_directories(dir / "app/lib/sub");
    test::write_file(dir / "app/hello", "x");
    test::write_file(dir / "app/lib/b.so", "x");
    test::write_file(dir / "app/lib/sub/a.so", "x");
    test::write_file(dir / "libz.so.1", "x");
    test::write_file(dir / "usr.manifest",
                     "[manifest]\n"
                     "# a comment\n"
                     "/hello: app/hello\n"
                     "/lib/**: app/lib/**\n"
                     "/usr/lib/&/libz.so.1: ${root}/&\n"
                     "/usr/lib/libz.so: ->/usr/lib/libz.so.1\n"
                     "/py: %(root)s/libz.so.1\n"
                     "/raw: !app/hello\n"
                     "/etc: app/lib\n");
    const auto m = read_manifest(dir / "usr.manifest", {{"root", dir.string()}});
    CHECK(guests(m) == std::vector<std::string>{"/hello", "/lib/b.so", "/lib/sub/a.so", "/usr/lib/libz.so.1", "/py", "/raw"});
    CHECK(m.files[0].host_path == dir / "app/hello");
    CHECK(m.files[3].host_path.lexically_normal() == (dir / "libz.so.1").lexically_normal());
    CHECK(m.folders.size() == 2);  // app/lib and app/lib/sub
}

TEST_CASE("manifest: errors carry file, line and column") {
    const auto dir = test::scratch_dir();
    const auto file = dir / "usr.manifest";
    const std::string name = file.string();
    test::write_file(file, "[manifest]\n/hello app/hello\n");
    CHECK(error_of(file) == name + ":2:1: expected 'guest/path: host/path'");
    test::write_file(file, "/hello: ${missing}/hello\n");
    CHECK(error_of(file) == name + ":1:9: undefined variable 'missing'; pass --define missing=VALUE");
    test::write_file(file, "/hello: ${open\n");
    CHECK(error_of(file) == name + ":1:9: unterminated variable reference, expected '}'");
    test::write_file(file, "# ok\n/hello: nowhere/hello\n");
    CHECK(error_of(file) == name + ":2:9: host file '" + (dir / "nowhere/hello").string() + "' does not exist");
    test::write_file(file, "/lib/**: lib\n");
    CHECK(error_of(file) == name + ":1:10: a recursive entry needs '/**' on both sides");
    CHECK(error_of(dir / "absent.manifest") == (dir / "absent.manifest").string() + ": cannot open: No such file or directory; check the path");
}

TEST_CASE("manifest: image entries add folders and symlinks to the files, in manifest order") {
    const auto dir = test::scratch_dir();
    std::filesystem::create_directories(dir / "app/lib");
    std::filesystem::create_directories(dir / "empty");
    test::write_file(dir / "app/hello", "x");
    test::write_file(dir / "app/lib/a.so", "x");
    test::write_file(dir / "usr.manifest",
                     "/hello: app/hello\n/etc/mnttab: ->${proc}/mounts\n/tmp: empty\n/lib/**: app/lib/**\n");
    const auto m = read_manifest(dir / "usr.manifest", {{"proc", "/proc"}});
    CHECK(guests(m) == std::vector<std::string>{"/hello", "/lib/a.so"});  // the analysis sees files only
    REQUIRE(m.image_entries.size() == 4);
    CHECK(m.image_entries[0].guest_path == "/hello");
    CHECK(m.image_entries[0].kind == ImageEntryKind::file);
    CHECK(m.image_entries[1].kind == ImageEntryKind::symlink);
    CHECK(m.image_entries[1].link_target == "/proc/mounts");
    CHECK(m.image_entries[1].line == 2);
    CHECK(m.image_entries[2].kind == ImageEntryKind::folder);
    CHECK(m.image_entries[2].guest_path == "/tmp");
    CHECK(m.image_entries[3].guest_path == "/lib/a.so");
    CHECK(m.image_entries[3].host_path == dir / "app/lib/a.so");
}
