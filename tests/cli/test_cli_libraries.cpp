// The shared libraries a command loads, as the dynamic loader reports them (LD_DEBUG=files): the
// symbol analysis, most of what osv-symbols runs, starts without libarchive (with its compressors,
// libxml2 and ICU, 1.7 MB resident) and without libcrypto (1.4 MB); kit bundles load libarchive
// when they first need it, and say in one line when it cannot be loaded.
#include <doctest/doctest.h>

#include <cstdlib>
#include <set>

#include "test_kernel.hpp"
#include "test_support.hpp"

using namespace osv::test;

namespace {

// osv-symbols run through env(1), with these extra environment variables.
Run osv_symbols_with(const std::vector<std::string>& environment, const std::vector<std::string>& args, const fs::path& cwd = {}) {
    const char* binary = std::getenv("OSV_SYMBOLS");
    REQUIRE_MESSAGE(binary, "OSV_SYMBOLS must name the osv-symbols binary under test");
    std::vector<std::string> argv = {"env"};
    argv.insert(argv.end(), environment.begin(), environment.end());
    argv.push_back(fs::absolute(binary).string());
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, cwd);
}

struct Traced {
    Run run;
    std::set<std::string> libraries;  // as the loader names them: "libelf.so.1", "libarchive.so.13"
};

// Runs osv-symbols with the loader's trace of the files it opens written beside the run (not into
// its stderr), and collects the library names of lines such as "1234: file=libz.so.1 [0];  needed by".
Traced traced_run(const fs::path& dir, const std::vector<std::string>& environment, const std::vector<std::string>& args,
                  const fs::path& cwd = {}) {
    const auto trace_dir = dir / "ld-trace";
    fs::remove_all(trace_dir);
    fs::create_directories(trace_dir);
    std::vector<std::string> with_trace = {"LD_DEBUG=files", "LD_DEBUG_OUTPUT=" + (trace_dir / "trace").string()};
    with_trace.insert(with_trace.end(), environment.begin(), environment.end());
    Traced traced{osv_symbols_with(with_trace, args, cwd), {}};
    for (const auto& file : fs::directory_iterator(trace_dir))
        for (const auto& line : lines(read_file(file.path()))) {
            const auto start = line.find("file=");
            if (start == std::string::npos) continue;
            const auto name_start = start + 5;
            traced.libraries.insert(line.substr(name_start, line.find(' ', name_start) - name_start));
        }
    return traced;
}

bool has_library(const std::set<std::string>& libraries, const std::string& prefix) {
    for (const auto& name : libraries)
        if (name.starts_with(prefix)) return true;
    return false;
}

// A folder whose libarchive.so.13 is no library: with it first in LD_LIBRARY_PATH, dlopen fails
// as it does where libarchive is not installed.
fs::path broken_libarchive_folder(const fs::path& dir) {
    const auto folder = dir / "broken-lib";
    fs::create_directories(folder);
    write_file(folder / "libarchive.so.13", "not a shared library\n");
    return folder;
}

}  // namespace

TEST_CASE("libraries: the symbol analysis loads neither libarchive nor libcrypto") {
    const auto dir = scratch_dir();
    const std::vector<std::vector<std::string>> commands = {
        {"version-script", "--exports", fake_kernel(), "-o", (dir / "app.vs").string(), "hello-pie", "versioned", "libgreet.so"},
        {"needed", "hello-pie", "libgreet.so"},
        {"check", "--exports", fake_kernel(), "uses-greet", "libgreet.so"},
        {"exports", "--exports", fake_kernel()},
        {"closure", "hello-pie", "-o", "-"},
        {"--version"},
    };
    for (const auto& args : commands) {
        CAPTURE(args.front());
        const Traced traced = traced_run(dir, {}, args, fixtures());
        CHECK_MESSAGE(traced.run.status == 0, traced.run.err);
        // The trace works: it names what the tool is linked with.
        REQUIRE(traced.libraries.count("libelf.so.1") == 1);
        CHECK_FALSE(has_library(traced.libraries, "libarchive"));
        CHECK_FALSE(has_library(traced.libraries, "libcrypto"));
    }
}

TEST_CASE("libraries: kit bundles load libarchive when they unpack, not when the cache holds the bundle") {
    const auto dir = scratch_dir();
    const auto kit = capture_test_kit(dir);
    const auto bundle = dir / "osv-kit.tar.xz";
    const std::string cache = "OSV_SPECIALIZE_CACHE=" + (dir / "cache").string();
    const Traced bundled = traced_run(dir, {cache}, {"kit", "bundle", "--kit", kit.string(), "-o", bundle.string()});
    REQUIRE_MESSAGE(bundled.run.status == 0, bundled.run.err);
    CHECK(bundled.libraries.count("libarchive.so.13") == 1);
    const Traced unpacked = traced_run(dir, {cache}, {"exports", "--kit", bundle.string(), "-o", (dir / "one.symbols").string()});
    REQUIRE_MESSAGE(unpacked.run.status == 0, unpacked.run.err);
    CHECK(unpacked.libraries.count("libarchive.so.13") == 1);
    const Traced cached = traced_run(dir, {cache}, {"exports", "--kit", bundle.string(), "-o", (dir / "two.symbols").string()});
    REQUIRE_MESSAGE(cached.run.status == 0, cached.run.err);
    CHECK_FALSE(has_library(cached.libraries, "libarchive"));
    CHECK(read_file(dir / "two.symbols") == read_file(dir / "one.symbols"));
}

TEST_CASE("libraries: without a loadable libarchive, kit bundles fail in one line and the analysis still runs") {
    const auto dir = scratch_dir();
    const auto kit = capture_test_kit(dir);
    const auto bundle = dir / "osv-kit.tar.xz";
    const std::string cache = "OSV_SPECIALIZE_CACHE=" + (dir / "cache").string();
    REQUIRE(osv_symbols_with({cache}, {"kit", "bundle", "--kit", kit.string(), "-o", bundle.string()}).status == 0);
    const std::string broken = "LD_LIBRARY_PATH=" + broken_libarchive_folder(dir).string();
    const auto refused = [&](const Run& r) {
        CAPTURE(r.err);
        CHECK(r.status == 2);
        CHECK(lines(r.err).size() == 1);
        CHECK(r.err.starts_with("osv-symbols: error: kit bundles need libarchive.so.13 (" + (dir / "broken-lib").string() +
                                "/libarchive.so.13: "));
        CHECK(r.err.ends_with("); install libarchive13\n"));
    };
    // Making a bundle fails before copying anything: no bundle, no staging folder beside it.
    const auto other = dir / "out" / "other.tar.xz";
    fs::create_directories(other.parent_path());
    refused(osv_symbols_with({cache, broken}, {"kit", "bundle", "--kit", kit.string(), "-o", other.string()}));
    CHECK(fs::is_empty(other.parent_path()));
    // Unpacking a bundle into an empty cache fails the same way.
    refused(osv_symbols_with({"OSV_SPECIALIZE_CACHE=" + (dir / "empty-cache").string(), broken},
                             {"exports", "--kit", bundle.string()}));
    // A libarchive.so.13 that is some other library: the function it lacks is named.
    const auto impostor = dir / "impostor-lib";
    fs::create_directories(impostor);
    write_file(impostor / "impostor.c", "int impostor(void) { return 0; }\n");
    REQUIRE(run({"cc", "-shared", "-fPIC", "-o", (impostor / "libarchive.so.13").string(), (impostor / "impostor.c").string()}).status == 0);
    const Run lacking = osv_symbols_with({"OSV_SPECIALIZE_CACHE=" + (dir / "empty-cache").string(), "LD_LIBRARY_PATH=" + impostor.string()},
                                         {"exports", "--kit", bundle.string()});
    CAPTURE(lacking.err);
    CHECK(lacking.status == 2);
    CHECK(lacking.err.starts_with("osv-symbols: error: kit bundles need libarchive.so.13 with archive_"));
    CHECK(lacking.err.ends_with("; install libarchive13, libarchive 3.0 or newer\n"));
    // The analysis needs no libarchive.
    const Run script = osv_symbols_with({broken}, {"version-script", "--exports", fake_kernel(), "hello-pie"}, fixtures());
    CHECK_MESSAGE(script.status == 0, script.err);
    CHECK(script.out.find("puts;") != std::string::npos);
}
