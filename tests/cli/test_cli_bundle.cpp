// Kit bundles and debug-stripped relinks on the OSv-shaped test kernel (compiled with -g): round
// trips, determinism across folders, the user cache, and damaged or hostile bundles.
#include <doctest/doctest.h>

#include <cstdlib>

#include "test_kernel.hpp"
#include "test_support.hpp"

using namespace osv::test;

namespace {

// The user cache of the commands run in one test case.
struct ScopedCache {
    fs::path path;
    std::string previous;
    explicit ScopedCache(const fs::path& dir) : path(dir / "cache") {
        if (const char* value = std::getenv("OSV_SPECIALIZE_CACHE")) previous = value;
        ::setenv("OSV_SPECIALIZE_CACHE", path.c_str(), 1);
    }
    ~ScopedCache() {
        if (previous.empty()) ::unsetenv("OSV_SPECIALIZE_CACHE");
        else ::setenv("OSV_SPECIALIZE_CACHE", previous.c_str(), 1);
    }
};

struct Prepared {
    fs::path dir, kit, script;
};

Prepared prepare() {
    Prepared p;
    p.dir = scratch_dir();
    p.kit = capture_test_kit(p.dir);
    p.script = p.dir / "app.version_script";
    REQUIRE(osv_symbols({"version-script", "--kit", p.kit.string(), "-o", p.script.string(), "hello-pie", "versioned"},
                        fixtures()).status == 0);
    return p;
}

Run relink(const fs::path& kit, const fs::path& script, const fs::path& output, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {"relink", "--kit", kit.string(), "--version-script", script.string(), "-o", output.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return osv_symbols(argv);
}

bool has_debug_info(const fs::path& file) {
    return run({"readelf", "-S", "-W", file.string()}).out.find(".debug_info") != std::string::npos;
}

int count_files(const fs::path& dir) {
    int files = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); ++it)
        files += it->is_regular_file();
    return files;
}

}  // namespace

TEST_CASE("relink: links cached debug-stripped inputs, and the kernel equals a relink of the originals") {
    Prepared p = prepare();
    ScopedCache cache(p.dir);
    REQUIRE(has_debug_info(test_kernel_root() / "build/release.x64/libc/string.o"));
    // --unstripped links the originals (the unstripped kernel keeps its debug info).
    const Run original = relink(p.kit, p.script, p.dir / "original.elf", {"--unstripped", (p.dir / "original.debug.elf").string()});
    REQUIRE_MESSAGE(original.status == 0, original.err);
    CHECK(has_debug_info(p.dir / "original.debug.elf"));
    CHECK_FALSE(fs::exists(cache.path));
    const Run fast = relink(p.kit, p.script, p.dir / "fast.elf", {"--depfile", (p.dir / "fast.d").string()});
    REQUIRE_MESSAGE(fast.status == 0, fast.err);
    CHECK(read_file(p.dir / "fast.elf") == read_file(p.dir / "original.elf"));
    // The copies: one per object or archive, without debug info, under the inputs' own names.
    const auto copy = cache.path / "stripped";
    int stripped = 0;
    for (auto& entry : fs::recursive_directory_iterator(copy)) {
        if (!entry.is_regular_file()) continue;
        ++stripped;
        CHECK_FALSE(has_debug_info(entry.path()));
    }
    CHECK(stripped == 12);
    // The depfile names the kit's inputs, so a rebuilt object still relinks.
    CHECK(read_file(p.dir / "fast.d").find((test_kernel_root() / "build/release.x64/libc/string.o").string()) != std::string::npos);
    // A second relink reuses the copies: the cache does not grow.
    const int files = count_files(cache.path);
    REQUIRE(relink(p.kit, p.script, p.dir / "again.elf", {"--linker", "lld"}).status == 0);
    CHECK(count_files(cache.path) == files);
}

TEST_CASE("kit bundle: a round trip gives the tree's kernel, the same bytes in any folder") {
    Prepared p = prepare();
    ScopedCache cache(p.dir);
    const Run bundled = osv_symbols({"kit", "bundle", "--kit", p.kit.string(), "-o", (p.dir / "osv-kit.tar.xz").string()});
    REQUIRE_MESSAGE(bundled.status == 0, bundled.err);
    CHECK(bundled.out.starts_with("bundle: " + (p.dir / "osv-kit.tar.xz").string() + ": 15 link inputs, "));
    // Deterministic: bundling again changes nothing, and a bundle made elsewhere has the same bytes.
    const std::string bytes = read_file(p.dir / "osv-kit.tar.xz");
    const auto stamp = fs::last_write_time(p.dir / "osv-kit.tar.xz");
    const Run again = osv_symbols({"kit", "bundle", "--kit", p.kit.string(), "-o", (p.dir / "osv-kit.tar.xz").string()});
    CHECK(again.out.ends_with(", unchanged\n"));
    CHECK(fs::last_write_time(p.dir / "osv-kit.tar.xz") == stamp);
    fs::create_directories(p.dir / "elsewhere");
    REQUIRE(osv_symbols({"kit", "bundle", "--kit", p.kit.string(), "-o", "copy.tar.xz"}, p.dir / "elsewhere").status == 0);
    CHECK(read_file(p.dir / "elsewhere" / "copy.tar.xz") == bytes);
    // What it holds: the kit with relative paths, debug-stripped inputs, the generic stripped kernel.
    const std::string listing = run({"tar", "-tJvf", (p.dir / "osv-kit.tar.xz").string()}).out;
    CHECK(listing.find(" kit.yaml\n") != std::string::npos);
    CHECK(listing.find(" kernel/loader-stripped.elf\n") != std::string::npos);
    CHECK(listing.find(" link/build/release.x64/libc/string.o\n") != std::string::npos);
    CHECK(listing.find(" link/arch/x64/loader.ld\n") != std::string::npos);
    CHECK(listing.find(" 0/0 ") != std::string::npos);
    CHECK(listing.find("1970-01-01") != std::string::npos);

    // The kernel from the bundle equals the kernel from the tree, in two folders and two caches.
    REQUIRE(relink(p.kit, p.script, p.dir / "tree.elf").status == 0);
    for (const char* where : {"one", "two"}) {
        fs::create_directories(p.dir / where);
        ::setenv("OSV_SPECIALIZE_CACHE", (p.dir / where / "cache").c_str(), 1);
        const Run from_bundle = relink(p.dir / "osv-kit.tar.xz", p.script, p.dir / where / "kernel.elf", {"--report", (p.dir / where / "r.yaml").string()});
        REQUIRE_MESSAGE(from_bundle.status == 0, from_bundle.err);
        CHECK(read_file(p.dir / where / "kernel.elf") == read_file(p.dir / "tree.elf"));
    }
    // version-script, check and exports take the bundle as --kit too.
    CHECK(osv_symbols({"exports", "--kit", (p.dir / "osv-kit.tar.xz").string()}).out ==
          osv_symbols({"exports", "--kit", p.kit.string()}).out);
    const Run script = osv_symbols({"version-script", "--kit", (p.dir / "osv-kit.tar.xz").string(), "-o",
                                    (p.dir / "from-bundle.vs").string(), "hello-pie", "versioned"}, fixtures());
    REQUIRE(script.status == 0);
    CHECK(read_file(p.dir / "from-bundle.vs") == read_file(p.script));
}

TEST_CASE("kit bundle: damaged and hostile bundles are refused with one line, writing nothing outside the cache") {
    Prepared p = prepare();
    ScopedCache cache(p.dir);
    REQUIRE(osv_symbols({"kit", "bundle", "--kit", p.kit.string(), "-o", (p.dir / "good.tar.xz").string()}).status == 0);
    const std::string good = read_file(p.dir / "good.tar.xz");
    const auto refused = [&](const fs::path& bundle, const std::string& expected_part) {
        const Run r = relink(bundle, p.script, p.dir / "kernel.elf");
        CAPTURE(r.err);
        CHECK(r.status == 2);
        CHECK(lines(r.err).size() == 1);
        CHECK(r.err.starts_with("osv-symbols: error: "));
        CHECK(r.err.find(expected_part) != std::string::npos);
        CHECK_FALSE(fs::exists(p.dir / "kernel.elf"));
    };
    write_file(p.dir / "truncated.tar.xz", good.substr(0, good.size() / 2));
    refused(p.dir / "truncated.tar.xz", ": truncated or corrupted (");
    std::string flipped = good;
    flipped[flipped.size() / 3] = static_cast<char>(flipped[flipped.size() / 3] ^ 0x40);
    write_file(p.dir / "flipped.tar.xz", flipped);
    refused(p.dir / "flipped.tar.xz", "corrupted");

    // Hostile members, packed with tar itself: "..", absolute paths, a symlink, a fifo.
    const auto hostile = p.dir / "hostile";
    fs::create_directories(hostile / "a");
    write_file(hostile / "kit.yaml", "format: 1\n");
    REQUIRE(run({"ln", "-s", "/etc/passwd", (hostile / "link").string()}).status == 0);
    REQUIRE(run({"mkfifo", (hostile / "fifo").string()}).status == 0);
    const bool can_make_devices = run({"mknod", (hostile / "device").string(), "c", "1", "3"}).status == 0;  // root
    const auto pack = [&](const std::string& name, std::vector<std::string> args) {
        std::vector<std::string> argv = {"tar", "-cJf", (p.dir / name).string(), "-C", hostile.string()};
        argv.insert(argv.end(), args.begin(), args.end());
        REQUIRE(run(argv).status == 0);
        return p.dir / name;
    };
    refused(pack("dotdot.tar.xz", {"kit.yaml", "--transform", "s|kit.yaml|a/../../escaped|"}), "member 'a/../../escaped' would land outside");
    refused(pack("absolute.tar.xz", {"-P", "--transform", "s|^kit.yaml|/tmp/escaped-by-bundle|", "kit.yaml"}),
            "member '/tmp/escaped-by-bundle' would land outside");
    refused(pack("symlink.tar.xz", {"link"}), "member 'link' is not a regular file or folder");
    refused(pack("fifo.tar.xz", {"fifo"}), "member 'fifo' is not a regular file or folder");
    if (can_make_devices) refused(pack("device.tar.xz", {"device"}), "member 'device' is not a regular file or folder");
    CHECK_FALSE(fs::exists(p.dir / "escaped"));
    CHECK_FALSE(fs::exists("/tmp/escaped-by-bundle"));
    // A member altered and the bundle re-packed: the kit's fingerprints notice.
    const auto unpacked = p.dir / "unpacked";
    fs::create_directories(unpacked);
    REQUIRE(run({"tar", "-xJf", (p.dir / "good.tar.xz").string(), "-C", unpacked.string()}).status == 0);
    const auto object = unpacked / "link/build/release.x64/libc/string.o";
    write_file(object, read_file(object) + "tampered");
    REQUIRE(run({"tar", "-cJf", (p.dir / "altered.tar.xz").string(), "-C", unpacked.string(), "."}).status == 0);
    refused(p.dir / "altered.tar.xz", "string.o' changed since the kit was captured");
    // Nothing half-unpacked stays in the cache.
    for (auto& entry : fs::directory_iterator(cache.path / "bundles"))
        CHECK(entry.path().filename().string().find(".staging.") == std::string::npos);
}

TEST_CASE("kit bundle: builds unpacking the same bundle at the same time share one cache folder") {
    Prepared p = prepare();
    ScopedCache cache(p.dir);
    REQUIRE(osv_symbols({"kit", "bundle", "--kit", p.kit.string(), "-o", (p.dir / "osv-kit.tar.xz").string()}).status == 0);
    // Four relinks started together, each into its own folder, all unpacking into one empty cache.
    std::string script;
    for (int i = 0; i < 4; ++i)
        script += "\"$0\" relink --kit '" + (p.dir / "osv-kit.tar.xz").string() + "' --version-script '" + p.script.string() +
                  "' -o '" + (p.dir / ("k" + std::to_string(i) + ".elf")).string() + "' > /dev/null 2>&1 & ";
    script += "fails=0; for job in $(jobs -p); do wait $job || fails=$((fails + 1)); done; echo fails=$fails";
    const Run together = run({"bash", "-c", script, std::getenv("OSV_SYMBOLS")});
    CHECK(together.out == "fails=0\n");
    for (int i = 1; i < 4; ++i)
        CHECK(read_file(p.dir / ("k" + std::to_string(i) + ".elf")) == read_file(p.dir / "k0.elf"));
    int folders = 0;
    for (auto& entry : fs::directory_iterator(cache.path / "bundles")) {
        CHECK(entry.path().filename().string().find(".staging.") == std::string::npos);
        ++folders;
    }
    CHECK(folders == 1);
}
