// osv-symbols image: the command line around the writers (unit/test_image.cpp tests the formats):
// outputs read back, unchanged outputs kept, a depfile, and bad input leaving no output.
#include <doctest/doctest.h>

#include "image_readers.hpp"
#include "test_support.hpp"

using namespace osv::test;

namespace {

fs::path small_app(const fs::path& dir) {
    fs::create_directories(dir / "files/dev");
    write_file(dir / "files/hello", "hello bytes");
    write_file(dir / "usr.manifest", "[manifest]\n/hello: files/hello\n/dev: files/dev\n/etc/mnttab: ->/proc/mounts\n");
    return dir / "usr.manifest";
}

const GuestListing small_app_listing = {
    {"/dev", {"dir", ""}},
    {"/etc", {"dir", ""}},
    {"/etc/mnttab", {"link", "/proc/mounts"}},
    {"/hello", {"file", "hello bytes"}},
};

}  // namespace

TEST_CASE("cli image: rofs and bootfs from a manifest, kept when unchanged, with a depfile") {
    const auto dir = scratch_dir();
    const auto manifest = small_app(dir);
    const Run rofs = osv_symbols({"image", "rofs", "--manifest", manifest.string(), "--depfile",
                                  (dir / "app.img.d").string(), "-o", (dir / "app.img").string()});
    CHECK(rofs.status == 0);
    CHECK(rofs.err.empty());
    CHECK(read_rofs_disk(read_file(dir / "app.img")) == small_app_listing);
    CHECK(read_file(dir / "app.img.d") == (dir / "app.img").string() + ": \\\n  " + (dir / "files/hello").string() +
                                              " \\\n  " + manifest.string() + "\n");

    const Run bootfs = osv_symbols({"image", "bootfs", "--manifest", manifest.string(), "-o", (dir / "bootfs.bin").string()});
    CHECK(bootfs.status == 0);
    CHECK(read_bootfs(read_file(dir / "bootfs.bin")) == small_app_listing);

    const auto stamp = fs::last_write_time(dir / "app.img");
    fs::last_write_time(dir / "app.img", stamp - std::chrono::hours(1));
    const auto older = fs::last_write_time(dir / "app.img");
    CHECK(osv_symbols({"image", "rofs", "--manifest", manifest.string(), "-o", (dir / "app.img").string()}).status == 0);
    CHECK(fs::last_write_time(dir / "app.img") == older);  // same bytes: not rewritten
}

TEST_CASE("cli image: a name bootfs cannot hold is exit 2, one line, and no output") {
    const auto dir = scratch_dir();
    write_file(dir / "f", "x");
    const std::string name = "/" + std::string(120, 'x');
    write_file(dir / "usr.manifest", "/ok: f\n" + name + ": f\n");
    const Run run = osv_symbols({"image", "bootfs", "--manifest", (dir / "usr.manifest").string(), "-o",
                                 (dir / "bootfs.bin").string()});
    CHECK(run.status == 2);
    CHECK(run.err == "osv-symbols: error: " + (dir / "usr.manifest").string() + ":2: guest path '" + name +
                         "' is 121 bytes, bootfs holds at most 110; shorten it or put the file in a rofs image\n");
    CHECK_FALSE(fs::exists(dir / "bootfs.bin"));
    for (const auto& entry : fs::directory_iterator(dir)) CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
}

TEST_CASE("cli image: usage errors") {
    const auto dir = scratch_dir();
    const auto manifest = small_app(dir);
    const Run no_format = osv_symbols({"image", "--manifest", manifest.string()});
    CHECK(no_format.status == 2);
    CHECK(no_format.err.starts_with("osv-symbols: error: image: expected 'image rofs' or 'image bootfs'"));
    const Run no_output = osv_symbols({"image", "rofs", "--manifest", manifest.string()});
    CHECK(no_output.status == 2);
    CHECK(no_output.err.starts_with("osv-symbols: error: image rofs: -o FILE is required (the image is binary)"));
    const Run no_manifest = osv_symbols({"image", "bootfs", "-o", (dir / "b.bin").string()});
    CHECK(no_manifest.status == 2);
    CHECK(no_manifest.err.starts_with("osv-symbols: error: image bootfs: --manifest FILE is required"));
    const Run help = osv_symbols({"image", "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.starts_with("usage: osv-symbols image rofs"));
}
