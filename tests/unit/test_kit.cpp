#include <doctest/doctest.h>

#include <elf.h>

#include <algorithm>

#include "content_hash.hpp"
#include "error.hpp"
#include "input_error_of.hpp"
#include "kit.hpp"
#include "kit_capture.hpp"
#include "relink.hpp"
#include "test_support.hpp"

using namespace osv;
using Strings = std::vector<std::string>;

namespace {

Kit sample_kit(const std::filesystem::path& dir) {
    test::write_file(dir / "a.o", "object bytes");
    Kit kit;
    kit.arch = {ELFCLASS64, EM_X86_64};
    kit.base_kernel = dir / "loader.elf";
    kit.base_stripped_size = 1234;
    kit.link_cwd = dir;
    kit.link_argv = {"ld", "-o", "{output}", "--version-script={version_script}", "a.o"};
    kit.strip_argv = {"strip", "{input}", "-o", "{output}"};
    kit.inputs = {{dir / "a.o", 12, file_fingerprint(dir / "a.o")}};
    kit.exports = {"malloc", "puts"};
    return kit;
}

std::string kit_error(const std::filesystem::path& file, const std::string& text) {
    test::write_file(file, text);
    return test::input_error_of([&] { read_kit(file); });
}

}  // namespace

TEST_CASE("kit: written and read back the same; relative paths are relative to the kit") {
    const auto dir = test::scratch_dir();
    const Kit kit = sample_kit(dir);
    test::write_file(dir / "kit.yaml", render_kit(kit));
    const Kit back = read_kit(dir / "kit.yaml");
    CHECK(back.arch == kit.arch);
    CHECK(back.link_argv == kit.link_argv);
    CHECK(back.strip_argv == kit.strip_argv);
    CHECK(back.inputs.size() == 1);
    CHECK(back.inputs[0].fingerprint == kit.inputs[0].fingerprint);
    CHECK(back.exports == kit.exports);
    CHECK(render_kit(back) == render_kit(kit));

    std::string text = render_kit(kit);
    const std::string absolute = "cwd: " + dir.string();
    text.replace(text.find(absolute), absolute.size(), "cwd: .");
    test::write_file(dir / "relative.yaml", text);
    CHECK(read_kit(dir / "relative.yaml").link_cwd == dir.lexically_normal() / "");
}

TEST_CASE("kit: malformed kits give one precise line") {
    const auto dir = test::scratch_dir();
    const auto file = dir / "kit.yaml";
    const std::string name = file.string();
    const std::string good = render_kit(sample_kit(dir));
    CHECK(kit_error(file, "format: [1\n") == name + ":2:1: end of sequence flow not found; recapture it with osv-symbols kit capture");
    CHECK(kit_error(file, "- 1\n") == name + ":1:1: not a kernel kit (expected a YAML mapping); recapture it with osv-symbols kit capture");
    CHECK(kit_error(file, "format: 2\n") == name + ":1:9: unsupported kit format (this osv-symbols reads format 1); recapture it with osv-symbols kit capture");
    CHECK(kit_error(file, "format: 1\narch: " + std::string(100000, '[') + "\n").find(":3:1: nested too deeply for a kit; recapture it") !=
          std::string::npos);
    std::string no_link = good;
    no_link.replace(no_link.find("link:"), 5, "lynk:");
    CHECK(kit_error(file, no_link).find("missing 'kit.link'") != std::string::npos);
    std::string bad_size = good;
    bad_size.replace(bad_size.find("stripped_size: 1234"), 19, "stripped_size: big");
    CHECK(kit_error(file, bad_size).find("'base.stripped_size' has the wrong type") != std::string::npos);
    std::string no_placeholder = good;
    no_placeholder.replace(no_placeholder.find("--version-script={version_script}"), 33, "--version-script=x");
    CHECK(kit_error(file, no_placeholder).find("'link.argv' lacks the {version_script} placeholder") != std::string::npos);
}

TEST_CASE("kit: a key given twice or an input listed twice is refused with file:line:column") {
    const auto dir = test::scratch_dir();
    const auto file = dir / "kit.yaml";
    const std::string name = file.string();
    const std::string good = render_kit(sample_kit(dir));
    const auto line_of = [](const std::string& text, std::size_t at) {
        return std::to_string(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
    };
    const std::string suffix = " is given twice; keep one; recapture it with osv-symbols kit capture";
    // A second link: the first one would be ignored without a word.
    const std::string two_links = good + "link:\n  cwd: /\n  argv: [ld, -o, \"{output}\", \"--version-script={version_script}\"]\n";
    CHECK(kit_error(file, two_links) == name + ":" + line_of(two_links, good.size()) + ":1: 'link'" + suffix);
    // A second argv inside link:, which would run another command than the one read first.
    std::string two_argv = good;
    const std::size_t at = two_argv.find("  argv:", two_argv.find("link:"));
    const std::string first_argv = "  argv: [sh, -c, \"{output} {version_script}\"]\n";
    two_argv.insert(at, first_argv);
    CHECK(kit_error(file, two_argv) == name + ":" + line_of(two_argv, at + first_argv.size()) + ":3: 'argv'" + suffix);
    // A key twice inside a flow mapping of an input.
    std::string two_paths = good;
    const std::size_t input = two_paths.find("{path: ");
    two_paths.insert(input + 1, "path: b.o, ");
    CHECK(kit_error(file, two_paths).starts_with(name + ":" + line_of(two_paths, input) + ":"));
    CHECK(kit_error(file, two_paths).ends_with("'path'" + suffix));
    // The same input twice, once as "./a.o": one file, listed twice.
    std::string two_inputs = good;
    const std::size_t line_start = two_inputs.rfind('\n', input) + 1;
    std::string copy = two_inputs.substr(line_start, two_inputs.find('\n', input) + 1 - line_start);
    copy.replace(copy.find((dir / "a.o").string()), (dir / "a.o").string().size(), (dir / "." / "a.o").string());
    two_inputs.insert(two_inputs.find('\n', input) + 1, copy);
    CHECK(kit_error(file, two_inputs) == name + ":" + line_of(two_inputs, two_inputs.find('\n', input) + 1) + ":5: input " +
                                             (dir / "." / "a.o").string() +
                                             " is listed twice; keep one; recapture it with osv-symbols kit capture");
}

TEST_CASE("kit: commands that could do more than link the inputs into {output} are refused on read") {
    // A kit's commands are run by relink: the program must be a linker (a strip), every file it
    // reads a fingerprinted input, and {output} the only file it writes.
    const auto dir = test::scratch_dir();
    const auto file = dir / "kit.yaml";
    const auto with_link = [&](Strings argv) {
        Kit kit = sample_kit(dir);
        kit.link_argv = std::move(argv);
        return kit_error(file, render_kit(kit));
    };
    const auto with_strip = [&](Strings argv) {
        Kit kit = sample_kit(dir);
        kit.strip_argv = std::move(argv);
        return kit_error(file, render_kit(kit));
    };
    const std::string name = file.string() + ": ";
    const std::string fix = "; recapture it with osv-symbols kit capture";
    const Strings tail = {"-o", "{output}", "--version-script={version_script}", "a.o"};
    const auto link = [&](const std::string& program, Strings extra = {}) {
        Strings argv = {program};
        argv.insert(argv.end(), tail.begin(), tail.end());
        argv.insert(argv.end(), extra.begin(), extra.end());
        return argv;
    };
    CHECK(with_link(link("ld")) == "no error");
    for (const char* linker : {"ld.bfd", "ld.lld", "ld.gold", "/usr/bin/x86_64-linux-gnu-ld", "aarch64-linux-gnu-ld.bfd"})
        CHECK(with_link(link(linker)) == "no error");
    CHECK(with_link(link("ld", {"-L.", "--defsym=X=1", "--exclude-libs", "libstdc++.a", "-T", "a.o", "-z", "now", "--gc-sections"})) ==
          "no error");
    CHECK(with_link(link("sh", {"-c", "rm -rf ~"})) ==
          name + "'link.argv' runs 'sh', not a linker (ld, ld.bfd, ld.lld, ld.gold, *-ld, *-ld.bfd)" + fix);
    CHECK(with_link(link("ld", {"/etc/passwd"})) == name + "'link.argv' names '/etc/passwd', which is not one of the kit's fingerprinted inputs" + fix);
    CHECK(with_link(link("ld", {"-Tevil.ld"})) == name + "'link.argv' names 'evil.ld', which is not one of the kit's fingerprinted inputs" + fix);
    CHECK(with_link(link("ld", {"--version-script=other.vs"})) ==
          name + "'link.argv' names 'other.vs', which is not one of the kit's fingerprinted inputs" + fix);
    CHECK(with_link(link("ld", {"-o", "/tmp/elsewhere"})) == name + "'link.argv' writes '/tmp/elsewhere'; its only output may be {output}" + fix);
    CHECK(with_link(link("ld", {"--output=x"})) == name + "'link.argv' writes 'x'; its only output may be {output}" + fix);
    CHECK(with_link(link("ld", {"-o", "{output}"})) == name + "'link.argv' must name its output once, as -o {output}" + fix);
    for (const char* writer : {"-Map={version_script}.map", "-Map", "--Map=m", "--dependency-file=d", "--plugin=p.so",
                               "--error-handling-script=s", "--reproduce=r.tar", "--outp=x"})
        CHECK(with_link(link("ld", {writer})) ==
              name + "'link.argv' passes '" + writer +
                  "', not an option a kit may give the linker (it could write or load files other than the kit's)" + fix);
    CHECK(with_link(link("ld", {"@args"})) == name + "'link.argv' passes the response file '@args' (its options cannot be checked)" + fix);
    CHECK(with_link(link("ld", {"-lc"})) ==
          name + "'link.argv' links the library '-lc' by search (name its file instead, so it is a fingerprinted input)" + fix);
    CHECK(with_link(link("ld", {"--defsym={output}=1"})) ==
          name + "'link.argv' has a placeholder in '{output}=1' (only -o {output} and --version-script={version_script} take them)" + fix);

    CHECK(with_strip({"objcopy", "-S", "{input}", "{output}"}) == "no error");
    CHECK(with_strip({"llvm-strip", "--strip-debug", "{input}", "-o{output}"}) == "no error");
    CHECK(with_strip({"sh", "{input}", "-o", "{output}"}) ==
          name + "'strip.argv' runs 'sh', not strip (strip, objcopy, llvm-strip, *-strip)" + fix);
    CHECK(with_strip({"strip", "{input}", "-o", "{output}", "--dump-section", ".text=x"}) ==
          name + "'strip.argv' passes '--dump-section', not an option a kit may give strip (it could write or load files other than the kit's)" + fix);
    CHECK(with_strip({"strip", "{input}", "-o", "{output}", "a.o"}) == name + "'strip.argv' names 'a.o'; strip reads only {input}" + fix);
    CHECK(with_strip({"strip", "{input}", "-o", "{output}.map"}) == name + "'strip.argv' writes '{output}.map'; its only output may be {output}" + fix);

    Kit no_inputs = sample_kit(dir);
    no_inputs.inputs.clear();
    CHECK(kit_error(file, render_kit(no_inputs)) == name + "'inputs' is empty (a link reads files)" + fix);
}

TEST_CASE("kit: fingerprints are SHA-256; kits with the old 64-bit ones are refused with a clear line") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "abc", "abc");
    CHECK(file_fingerprint(dir / "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    test::write_file(dir / "empty", "");
    CHECK(file_fingerprint(dir / "empty") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    std::string big(3 << 20, 'x');  // more than one read(2) buffer
    test::write_file(dir / "big", big);
    CHECK(file_fingerprint(dir / "big") == "3bea8a9a07c1e8dcaa4c1b816815c35a29b4fb585ba6ecc70ea44840a794cfb3");
    Kit kit = sample_kit(dir);
    kit.inputs[0].fingerprint = "0123456789abcdef";
    const auto file = dir / "kit.yaml";
    test::write_file(file, render_kit(kit));
    CHECK(test::input_error_of([&] { read_kit(file); }).find("'inputs[].fingerprint' is not a SHA-256 (64 hex digits); recapture it") !=
          std::string::npos);
}

TEST_CASE("kit: an export name that would split a version-script line is refused") {
    const auto dir = test::scratch_dir();
    Kit kit = sample_kit(dir);
    kit.exports = {"malloc", "q\"; lib_fn2; \"z", "two\nlines"};
    const auto file = dir / "kit.yaml";
    test::write_file(file, render_kit(kit));
    const std::string error = kit_error(file, render_kit(kit));
    CHECK(error.find(": export \"q\\\"; lib_fn2; \\\"z\" has a quote, backslash or control character; recapture it") !=
          std::string::npos);
    CHECK(error.find('\n') == std::string::npos);
}

TEST_CASE("kit: placeholders are filled once, never inside a value") {
    CHECK(fill_placeholders("-o{output}", {{"{output}", "a{version_script}b"}, {"{version_script}", "v"}}) == "-oa{version_script}b");
    CHECK(strip_command({"strip", "{input}", "-o", "{output}"}, "/k/{output}.elf", "/o/{input}") ==
          Strings{"strip", "/k/{output}.elf", "-o", "/o/{input}"});
}

TEST_CASE("kit: inputs changed or missing since capture are refused") {
    const auto dir = test::scratch_dir();
    const Kit kit = sample_kit(dir);
    CHECK_NOTHROW(verify_kit_inputs(kit, dir / "kit.yaml"));
    test::write_file(dir / "a.o", "object BYTES");  // same size, other bytes
    CHECK_THROWS_WITH_AS(verify_kit_inputs(kit, dir / "kit.yaml"),
                         ((dir / "kit.yaml").string() + ": input '" + (dir / "a.o").string() +
                          "' changed since the kit was captured; recapture it with osv-symbols kit capture").c_str(),
                         InputError);
    std::filesystem::remove(dir / "a.o");
    CHECK_THROWS_WITH_AS(verify_kit_inputs(kit, dir / "kit.yaml"),
                         ((dir / "kit.yaml").string() + ": input '" + (dir / "a.o").string() +
                          "' is missing; rebuild the kernel, then recapture the kit").c_str(),
                         InputError);
    std::filesystem::create_symlink("loop.o", dir / "a.o");  // a link loop is no missing file
    std::filesystem::create_symlink("a.o", dir / "loop.o");
    CHECK_THROWS_WITH_AS(verify_kit_inputs(kit, dir / "kit.yaml"),
                         ((dir / "kit.yaml").string() + ": input '" + (dir / "a.o").string() +
                          "' is a link loop; rebuild the kernel, then recapture the kit").c_str(),
                         InputError);
}

TEST_CASE("kit capture: the loader.elf link and its strip are found among make's dry-run lines") {
    const std::string make_output =
        "mkdir -p build/release.x64\n"
        "ld -o build/release.x64/zfs_builder.elf --version-script=build/release.x64/version_script x.o\n"
        "ld -o build/release.x64/loader.elf --defsym=OSV_KERNEL_BASE=0x200000 -Bdynamic --export-dynamic "
        "-T arch/x64/loader.ld build/release.x64/loader.o --version-script=build/release.x64/version_script --gc-sections\n"
        "readelf --dyn-syms --wide build/release.x64/loader.elf > build/release.x64/osv.syms\n"
        "strip build/release.x64/loader.elf -o build/release.x64/loader-stripped.elf\n";
    const auto found = find_kernel_commands(make_output, "build/release.x64");
    CHECK(found.link_argv == Strings{"ld", "-o", "{output}", "--defsym=OSV_KERNEL_BASE=0x200000", "-Bdynamic", "--export-dynamic",
                                     "-T", "arch/x64/loader.ld", "build/release.x64/loader.o",
                                     "--version-script={version_script}", "--gc-sections"});
    CHECK(found.strip_argv == Strings{"strip", "{input}", "-o", "{output}"});

    CHECK_THROWS_WITH_AS(find_kernel_commands("make: Nothing to be done\n", "build/release.x64"),
                         "make's dry run shows no link of build/release.x64/loader.elf; pass the options the tree was built "
                         "with via --make-arg",
                         InputError);
    CHECK_THROWS_WITH_AS(find_kernel_commands("ld -o build/release.x64/loader.elf x.o\n", "build/release.x64"),
                         "the kernel link has no --version-script: the tree was not built with conf_hide_symbols=1; "
                         "rebuild OSv with conf_hide_symbols=1",
                         InputError);
}

TEST_CASE("relink: the lld command drops ld.bfd-only options; --icf needs lld") {
    const Strings captured = {"ld", "-o", "{output}", "--no-warn-rwx-segments", "--gc-sections"};
    CHECK(link_command_for(captured, LinkerChoice::as_captured, false) == captured);
    CHECK(link_command_for(captured, LinkerChoice::bfd, false).front() == "ld.bfd");
    CHECK(link_command_for(captured, LinkerChoice::lld, true) == Strings{"ld.lld", "-o", "{output}", "--gc-sections", "--icf=all"});
    CHECK_THROWS_AS(link_command_for(captured, LinkerChoice::bfd, true), UsageError);
}
