// Bad input of every kind: one line on standard error naming the file, exit 2, no crash, and no
// output created or changed.
#include <doctest/doctest.h>

#include <elf.h>

#include <cstdint>

#include "test_support.hpp"

using namespace osv::test;

namespace {

// Runs version-script into an existing output and checks the failure contract.
void expect_input_error(const std::vector<std::string>& args, const std::string& expected_error_start) {
    const auto dir = scratch_dir();
    const auto out = dir / "app.vs";
    write_file(out, "previous content\n");
    std::vector<std::string> argv = {"version-script", "--exports", fake_kernel(), "-o", out.string(), "--report",
                                     (dir / "r.yaml").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const Run run = osv_symbols(argv, fixtures());
    CHECK(run.status == 2);
    CHECK(lines(run.err).size() == 1);
    CHECK(run.err.starts_with(expected_error_start));
    CHECK(read_file(out) == "previous content\n");
    CHECK_FALSE(fs::exists(dir / "r.yaml"));
}

}  // namespace

TEST_CASE("bad input: missing, not ELF, not a program") {
    expect_input_error({"absent"}, "osv-symbols: error: absent: no such file or folder; check the path");
    expect_input_error({"notes.txt"}, "osv-symbols: error: notes.txt: not an ELF file; pass an executable, a shared library or a folder");
    expect_input_error({"object.o"}, "osv-symbols: error: object.o: is a relocatable object (.o), not an executable or shared library");
    const Run no_kernel = osv_symbols({"version-script", "--exports", "nowhere.so", "hello-pie"}, fixtures());
    CHECK(no_kernel.status == 2);
    CHECK(no_kernel.err == "osv-symbols: error: nowhere.so: cannot open: No such file or directory; check the path\n");
}

TEST_CASE("bad input: foreign architecture against an ELF kernel") {
    const auto dir = scratch_dir();
    std::string bytes = read_file(fixtures() / "hello-pie");
    const std::uint16_t aarch64 = EM_AARCH64;
    bytes.replace(18, 2, reinterpret_cast<const char*>(&aarch64), 2);  // e_machine
    write_file(dir / "hello-arm", bytes);
    expect_input_error({(dir / "hello-arm").string()},
                       "osv-symbols: error: " + (dir / "hello-arm").string() +
                           ": architecture ELF64 AArch64 differs from the kernel's ELF64 x86-64; build the app for the kernel's architecture");
    // A plain list carries no architecture, so nothing is compared.
    write_file(dir / "list", "puts\n");
    CHECK(osv_symbols({"version-script", "--exports", (dir / "list").string(), (dir / "hello-arm").string()}).status == 0);
}

TEST_CASE("bad input: malformed text formats give file:line:column") {
    const auto dir = scratch_dir();
    write_file(dir / "usr.manifest", "[manifest]\n/hello hello-pie\n");
    expect_input_error({"--manifest", (dir / "usr.manifest").string()},
                       "osv-symbols: error: " + (dir / "usr.manifest").string() + ":2:1: expected 'guest/path: host/path'");
    write_file(dir / "keep.txt", "cos\ntwo names\n");
    expect_input_error({"hello-pie", "--keep-file", (dir / "keep.txt").string()},
                       "osv-symbols: error: " + (dir / "keep.txt").string() + ":2:4: expected one symbol name per line");
    write_file(dir / "osv.yaml", "keep: [cos\n");
    expect_input_error({"hello-pie", "--config", (dir / "osv.yaml").string()},
                       "osv-symbols: error: " + (dir / "osv.yaml").string() + ":2:1: ");
    write_file(dir / "kernel.vs", "{ global: puts; local: *;\n");
    const Run bad_script = osv_symbols({"version-script", "--exports", (dir / "kernel.vs").string(), "hello-pie"}, fixtures());
    CHECK(bad_script.status == 2);
    CHECK(bad_script.err == "osv-symbols: error: " + (dir / "kernel.vs").string() + ":2:1: missing '}' at end of file\n");
}

TEST_CASE("bad input: truncated and byte-flipped programs never crash the tool") {
    const auto dir = scratch_dir();
    const auto out = dir / "app.vs";
    write_file(out, "previous content\n");
    int exit_2 = 0, exit_0 = 0;
    auto try_file = [&](const std::string& bytes) {
        write_file(dir / "damaged", bytes);
        const Run run = osv_symbols({"version-script", "--exports", fake_kernel(), (dir / "damaged").string(), "-o", out.string(), "--report",
                                     (dir / "r.yaml").string()});
        REQUIRE_MESSAGE((run.status == 0 || run.status == 2), "exit " << run.status << ": " << run.err);
        if (run.status == 2) {
            ++exit_2;
            CHECK(lines(run.err).size() == 1);
            CHECK(run.err.starts_with("osv-symbols: error: " + (dir / "damaged").string() + ": "));
            CHECK(read_file(out) == "previous content\n");
        } else {
            ++exit_0;
            write_file(out, "previous content\n");
        }
    };
    for (const char* name : {"hello-pie", "libgreet.so"}) {
        const std::string bytes = read_file(fixtures() / name);
        for (std::size_t size = 0; size < bytes.size(); size += bytes.size() / 40) try_file(bytes.substr(0, size));
        // Deterministic pseudo-random flips: headers, tables and names all get hit.
        std::uint64_t state = 0x2545F4914F6CDD1Dull;
        for (int i = 0; i < 150; ++i) {
            std::string flipped = bytes;
            for (int j = 0; j < 4; ++j) {
                state ^= state << 13, state ^= state >> 7, state ^= state << 17;
                const std::size_t at = (i < 60 ? state % 64 : state % flipped.size());  // the header often
                flipped[at] = static_cast<char>(flipped[at] ^ static_cast<char>(1u << (state >> 60 & 7)));
            }
            try_file(flipped);
        }
    }
    CHECK(exit_2 > 80);  // truncations alone are ~80 errors
    MESSAGE("damaged files: " << exit_2 << " refused, " << exit_0 << " still readable");
}

TEST_CASE("bad input: outputs that cannot all be written change nothing") {
    const auto dir = scratch_dir();
    const Run run = osv_symbols({"version-script", "--exports", fake_kernel(), "hello-pie", "-o", (dir / "app.vs").string(), "--report",
                                 (dir / "no-such-folder" / "r.yaml").string()}, fixtures());
    CHECK(run.status == 2);
    CHECK(lines(run.err).size() == 1);
    CHECK_FALSE(fs::exists(dir / "app.vs"));
}

TEST_CASE("bad input: an output that is an input, or two outputs in one file") {
    const auto dir = scratch_dir();
    fs::copy_file(fixtures() / "hello-pie", dir / "hello");
    const Run over_input = osv_symbols({"needed", (dir / "hello").string(), "-o", (dir / "hello").string()});
    CHECK(over_input.status == 2);
    CHECK(over_input.err == "osv-symbols: error: output '" + (dir / "hello").string() +
                                "' is also an input; write it elsewhere (see 'osv-symbols needed --help')\n");
    CHECK(read_file(dir / "hello") == read_file(fixtures() / "hello-pie"));
    const Run twice = osv_symbols({"version-script", "--exports", fake_kernel(), (dir / "hello").string(), "-o", (dir / "x").string(),
                                   "--report", (dir / "x").string()});
    CHECK(twice.status == 2);
    CHECK_FALSE(fs::exists(dir / "x"));
    const Run both_spellings = osv_symbols({"needed", "hello-pie", "-o", (dir / "a").string(), "--output", (dir / "b").string()}, fixtures());
    CHECK(both_spellings.status == 2);
}

TEST_CASE("bad input: pipes, empty export lists, a full disk on standard output, no arguments") {
    const auto dir = scratch_dir();
    REQUIRE(run({"mkfifo", (dir / "fifo").string()}).status == 0);
    const Run fifo = osv_symbols({"needed", (dir / "fifo").string()});  // must not block reading it
    CHECK(fifo.status == 2);
    CHECK(fifo.err == "osv-symbols: error: " + (dir / "fifo").string() +
                          ": not a regular file (a pipe or device?); pass an ELF file or a folder\n");
    write_file(dir / "empty.list", "# nothing exported\n");
    const Run empty = osv_symbols({"version-script", "--exports", (dir / "empty.list").string(), "hello-pie"}, fixtures());
    CHECK(empty.status == 2);
    CHECK(empty.err == "osv-symbols: error: " + (dir / "empty.list").string() +
                           ": names no exported symbol; pass the kernel ELF, its version script or all.symbols\n");
    const Run full = run({"sh", "-c", "\"$0\" needed hello-pie > /dev/full", std::getenv("OSV_SYMBOLS")}, fixtures());
    CHECK(full.status == 2);
    CHECK(full.err == "osv-symbols: error: standard output: write error; check the disk or the pipe it goes to\n");
    const Run none = osv_symbols({});
    CHECK(none.status == 2);
    CHECK(none.out.empty());
    CHECK(none.err.starts_with("usage: osv-symbols COMMAND"));
}

TEST_CASE("bad input: symbol names that would split a line of a version script or list are refused") {
    const auto dir = scratch_dir();
    // A kernel exporting 'q"; lib_fn2; "z': quoted as is, it would export lib_fn2 too.
    write_file(dir / "k.s", ".text\n.globl \"q\\\"; lib_fn2; \\\"z\"\n\"q\\\"; lib_fn2; \\\"z\":\nret\n.globl lib_fn2\nlib_fn2:\nret\n");
    REQUIRE(run({"as", (dir / "k.s").string(), "-o", (dir / "k.o").string()}).status == 0);
    REQUIRE(run({"ld", "-shared", (dir / "k.o").string(), "-o", (dir / "k.so").string()}).status == 0);
    write_file(dir / "app.vs", "previous content\n");
    const Run kernel_name = osv_symbols({"version-script", "--exports", (dir / "k.so").string(), "--keep", "q*", "-o",
                                         (dir / "app.vs").string(), "hello-pie"}, fixtures());
    CHECK(kernel_name.status == 2);
    CHECK(kernel_name.err == "osv-symbols: error: " + (dir / "k.so").string() +
                                 ": the symbol \"q\\\"; lib_fn2; \\\"z\" has a quote, backslash or control character, which "
                                 "no version script or list can carry; rename it or leave this file out\n");
    CHECK(read_file(dir / "app.vs") == "previous content\n");
    const Run listed = osv_symbols({"exports", "--exports", (dir / "k.so").string()});
    CHECK(listed.status == 2);
    CHECK(listed.out.empty());

    // The same name in a kit's exports, and a backslash in a quoted version-script name.
    write_file(dir / "in.vs", "{ global: \"a\\b\"; local: *; };\n");
    const Run quoted = osv_symbols({"exports", "--exports", (dir / "in.vs").string()});
    CHECK(quoted.status == 2);
    CHECK(quoted.err == "osv-symbols: error: " + (dir / "in.vs").string() +
                            ":1:11: the quoted name \"a\\\\b\" has a backslash or control character; ld reads no escapes in version scripts\n");
}

TEST_CASE("bad input: split debug files are skipped in folder walks and named plainly when given") {
    const auto dir = scratch_dir();
    fs::create_directory(dir / "app");
    fs::copy_file(fixtures() / "hello-pie", dir / "app" / "hello");
    REQUIRE(run({"objcopy", "--only-keep-debug", (fixtures() / "hello-pie").string(), (dir / "app" / "hello.debug").string()}).status == 0);
    const Run walked = osv_symbols({"version-script", "--exports", fake_kernel(), "-o", (dir / "vs").string(), "--report",
                                    (dir / "r.yaml").string(), (dir / "app").string()});
    CHECK(walked.status == 0);
    CHECK(read_file(dir / "r.yaml").find("skipped: 1\n") != std::string::npos);
    const Run named = osv_symbols({"needed", (dir / "app" / "hello.debug").string()});
    CHECK(named.status == 2);
    CHECK(named.err == "osv-symbols: error: " + (dir / "app" / "hello.debug").string() +
                           ": is a separate debug-info file (its .dynsym holds no data), not an executable or shared "
                           "library; pass the program it belongs to\n");
}

TEST_CASE("bad input: a huge non-ELF --exports file is refused without reading it all") {
    const auto dir = scratch_dir();
    REQUIRE(run({"truncate", "-s", "2G", (dir / "disk.img").string()}).status == 0);
    const Run huge = osv_symbols({"version-script", "--exports", (dir / "disk.img").string(), "hello-pie"}, fixtures());
    CHECK(huge.status == 2);
    // Before, all 2 GB were read into memory, only to be refused as binary data.
    CHECK(huge.err == "osv-symbols: error: " + (dir / "disk.img").string() +
                          ": larger than 64 MB, too large for a list, script, manifest or kit; is it the right file?\n");
}

TEST_CASE("bad input: a file name with a newline, tab or quote is quoted and never splits a message") {
    const auto dir = scratch_dir();
    const std::string shown = "\"" + dir.string() + "/two\\nlines\\tand \\\"quotes\\\"\"";
    write_file(dir / "two\nlines\tand \"quotes\"", "not ELF\n");
    const Run named = osv_symbols({"needed", (dir / "two\nlines\tand \"quotes\"").string()});
    CHECK(named.status == 2);
    CHECK(named.err == "osv-symbols: error: " + shown + ": not an ELF file; pass an executable, a shared library or a folder\n");

    // A position in a text file with such a name, and a name that is plain: unchanged.
    write_file(dir / "bad\n.manifest", "no separator\n");
    const Run manifest = osv_symbols({"needed", "--manifest", (dir / "bad\n.manifest").string()});
    CHECK(manifest.status == 2);
    CHECK(manifest.err == "osv-symbols: error: \"" + dir.string() + "/bad\\n.manifest\":1:1: expected 'guest/path: host/path'\n");
    const Run plain = osv_symbols({"needed", (dir / "plain\\name").string()});
    CHECK(plain.err == "osv-symbols: error: " + dir.string() + "/plain\\name: no such file or folder; check the path\n");

    // A --keep entry that matches nothing is warned about on one line.
    const Run keep = osv_symbols({"version-script", "--exports", fake_kernel(), "--keep", "evil\nosv-symbols: error: fake",
                                  "-o", (dir / "app.vs").string(), "hello-pie"}, fixtures());
    CHECK(keep.status == 0);
    CHECK(keep.err == "osv-symbols: warning: keep entry '\"evil\\nosv-symbols: error: fake\"' matches no kernel export\n");
}

TEST_CASE("bad input: a symlink loop is named as one, not as a missing file") {
    const auto dir = scratch_dir();
    fs::create_symlink("b", dir / "a");
    fs::create_symlink("a", dir / "b");
    const std::string loop = "too many levels of symbolic links (a link loop?)";
    const std::string a = (dir / "a").string();
    expect_input_error({a}, "osv-symbols: error: " + a + ": " + loop + "; check the path\n");
    expect_input_error({"hello-pie", "--config", a}, "osv-symbols: error: " + a + ": cannot open: " + loop + "; check the path\n");
    write_file(dir / "usr.manifest", "/a: a\n");
    expect_input_error({"--manifest", (dir / "usr.manifest").string()},
                       "osv-symbols: error: " + (dir / "usr.manifest").string() + ":1:5: host file '" + a + "': " + loop + "\n");
    const Run exports = osv_symbols({"exports", "--exports", a});
    CHECK(exports.status == 2);
    CHECK(exports.err == "osv-symbols: error: " + a + ": cannot open: " + loop + "; check the path\n");
    const Run kit = osv_symbols({"relink", "--kit", a, "--version-script", a, "-o", (dir / "k.elf").string()});
    CHECK(kit.status == 2);
    CHECK(kit.err == "osv-symbols: error: " + a + ": cannot open: " + loop + "; check the path\n");
}
