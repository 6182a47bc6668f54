// Kits and relinks on the OSv-shaped test kernel (tests/kernel), checked with nm and readelf.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "test_kernel.hpp"
#include "test_support.hpp"

using namespace osv::test;
using Names = std::vector<std::string>;

namespace {

struct Relinked {
    fs::path dir, kit, script, kernel, unstripped;
    Run run;
};

Relinked relink_for(const std::vector<std::string>& app, std::vector<std::string> relink_args = {}) {
    Relinked r;
    r.dir = scratch_dir();
    r.kit = capture_test_kit(r.dir);
    r.script = r.dir / "app.version_script";
    r.kernel = r.dir / "kernel.elf";
    r.unstripped = r.dir / "kernel.unstripped.elf";
    std::vector<std::string> vs = {"version-script", "--kit", r.kit.string(), "-o", r.script.string()};
    vs.insert(vs.end(), app.begin(), app.end());
    const Run made = osv_symbols(vs, fixtures());
    REQUIRE_MESSAGE(made.status == 0, made.err);
    std::vector<std::string> argv = {"relink", "--kit", r.kit.string(), "--version-script", r.script.string(), "-o",
                                     r.kernel.string(), "--unstripped", r.unstripped.string()};
    argv.insert(argv.end(), relink_args.begin(), relink_args.end());
    r.run = osv_symbols(argv);
    return r;
}

bool has_symbol(const fs::path& elf, const std::string& name) {
    for (const auto& line : lines(run({"nm", elf.string()}).out))
        if (line.size() > name.size() && line.ends_with(" " + name)) return true;
    return false;
}

std::map<std::string, fs::file_time_type> snapshot(const fs::path& tree) {
    std::map<std::string, fs::file_time_type> files;
    for (auto& entry : fs::recursive_directory_iterator(tree))
        if (entry.is_regular_file()) files[entry.path().string()] = entry.last_write_time();
    return files;
}

}  // namespace

TEST_CASE("kit capture: from the test kernel's own Makefile") {
    const auto dir = scratch_dir();
    const auto before = snapshot(test_kernel_root());
    // A relative -o, from another folder: nothing may land in the kernel tree.
    const Run run = osv_symbols({"kit", "capture", "--osv-root", test_kernel_root().string(), "-o", "kit.yaml"}, dir);
    REQUIRE(run.status == 0);
    CHECK(snapshot(test_kernel_root()) == before);
    const std::string kit = read_file(dir / "kit.yaml");
    const auto base = fs::file_size(test_kernel_root() / "build/release.x64/loader-stripped.elf");
    CHECK(kit.find("stripped_size: " + std::to_string(base) + "\n") != std::string::npos);
    CHECK(run.out == "kit: kit.yaml: 15 link inputs, 58 exports, ELF64 x86-64, base kernel " + std::to_string(base) + " bytes stripped\n");
    CHECK(kit.find("\"--version-script={version_script}\"") != std::string::npos);
    CHECK(kit.find("\"{output}\"") != std::string::npos);
    CHECK(kit.find("arch/x64/loader.ld") != std::string::npos);
    CHECK(kit.find("libc/aliases.ld") != std::string::npos);  // INCLUDEd by loader.ld: an input too
    const Names exports = lines(osv_symbols({"exports", "--kit", (dir / "kit.yaml").string()}).out);
    CHECK(exports == nm_defined_dynamic(test_kernel_root() / "build/release.x64/loader.elf"));
    // Capturing again gives the same bytes and leaves the file alone.
    const auto stamp = fs::last_write_time(dir / "kit.yaml");
    REQUIRE(osv_symbols({"kit", "capture", "--osv-root", test_kernel_root().string(), "-o", (dir / "kit.yaml").string()}).status == 0);
    CHECK(read_file(dir / "kit.yaml") == kit);
    CHECK(fs::last_write_time(dir / "kit.yaml") == stamp);
}

TEST_CASE("kit capture: trees not built with conf_hide_symbols=1, or not OSv at all") {
    const auto dir = scratch_dir();
    const Run unhidden = osv_symbols({"kit", "capture", "--osv-root", test_kernel_root(false).string(), "-o", (dir / "k").string()});
    CHECK(unhidden.status == 2);
    CHECK(unhidden.err == "osv-symbols: error: " + (test_kernel_root(false) / "build/release.x64").string() +
                              ": no version_script: the tree was not built with conf_hide_symbols=1; rebuild OSv with conf_hide_symbols=1\n");
    const Run not_osv = osv_symbols({"kit", "capture", "--osv-root", dir.string(), "-o", (dir / "k").string()});
    CHECK(not_osv.status == 2);
    CHECK(not_osv.err == "osv-symbols: error: " + dir.string() + ": not an OSv tree (no Makefile); pass --osv-root of a built OSv checkout\n");
    CHECK_FALSE(fs::exists(dir / "k"));

    // Hidden symbols and a version script, but objects without per-function sections: GC could
    // remove nothing, so the capture refuses the tree.
    const auto whole = dir / "whole-sections";
    const Run built = run({"bash", (source_dir() / "kernel" / "build.sh").string(), (source_dir() / "kernel").string(),
                           whole.string(), "gc-flags-1="});
    REQUIRE_MESSAGE(built.status == 0, built.err);
    const Run no_sections = osv_symbols({"kit", "capture", "--osv-root", whole.string(), "--make-arg", "gc-flags-1=", "-o", (dir / "k").string()});
    CHECK(no_sections.status == 2);
    CHECK(no_sections.err == "osv-symbols: error: " + whole.string() +
                                 ": the kernel's objects have no per-function sections (-ffunction-sections); rebuild OSv with conf_hide_symbols=1\n");
    CHECK_FALSE(fs::exists(dir / "k"));
}

TEST_CASE("relink: exports exactly the app's imports, drops unreached code, smaller, reproducible") {
    const auto before = snapshot(test_kernel_root());
    Relinked r = relink_for({"hello-pie"});
    REQUIRE_MESSAGE(r.run.status == 0, r.run.err);
    CHECK(r.run.out.starts_with("kernel.elf: "));
    CHECK(r.run.out.find("exported symbols 58 -> 3") != std::string::npos);
    CHECK(nm_defined_dynamic(r.kernel) == Names{"__cxa_finalize", "__libc_start_main", "puts"});
    const Run dyn = run({"readelf", "--dyn-syms", "-W", r.kernel.string()});
    CHECK(dyn.out.find(" puts") != std::string::npos);
    CHECK(dyn.out.find(" qsort") == std::string::npos);
    // Unreached functions are gone from the symbol table; callees of exports survive.
    for (const char* gone : {"qsort", "bsearch", "crc32", "vsnprintf", "strerror"}) {
        CAPTURE(gone);
        CHECK(has_symbol(test_kernel_root() / "build/release.x64/loader.elf", gone));
        CHECK_FALSE(has_symbol(r.unstripped, gone));
    }
    CHECK(has_symbol(r.unstripped, "strlen"));
    CHECK(fs::file_size(r.kernel) * 2 < fs::file_size(test_kernel_root() / "build/release.x64/loader-stripped.elf"));
    // The same script again: the same bytes, and the file is not even rewritten.
    const std::string bytes = read_file(r.kernel);
    const auto stamp = fs::last_write_time(r.kernel);
    const Run again = osv_symbols({"relink", "--kit", r.kit.string(), "--version-script", r.script.string(), "-o", r.kernel.string()});
    CHECK(again.status == 0);
    CHECK(again.out.find(", unchanged") != std::string::npos);
    CHECK(read_file(r.kernel) == bytes);
    CHECK(fs::last_write_time(r.kernel) == stamp);
    // Nothing was written into the kernel tree.
    CHECK(snapshot(test_kernel_root()) == before);
}

TEST_CASE("relink: a bigger app keeps more") {
    Relinked r = relink_for({"versioned", "plugin-host"}, {"--report", (scratch_dir() / "relink.yaml").string()});
    REQUIRE(r.run.status == 0);
    CHECK(nm_defined_dynamic(r.kernel) ==
          Names{"__cxa_finalize", "__libc_start_main", "dlopen", "dlsym", "memcpy", "printf", "strlen", "strtol"});
}

TEST_CASE("relink: with ld.lld, and with --icf") {
    REQUIRE_MESSAGE(run({"sh", "-c", "command -v ld.lld"}).status == 0, "ld.lld is required (Debian package lld)");
    Relinked lld = relink_for({"hello-pie"}, {"--linker", "lld"});
    REQUIRE_MESSAGE(lld.run.status == 0, lld.run.err);
    CHECK(lld.run.out.find("(ld.lld)") != std::string::npos);
    CHECK(nm_defined_dynamic(lld.kernel) == Names{"__cxa_finalize", "__libc_start_main", "puts"});
    CHECK_FALSE(has_symbol(lld.unstripped, "qsort"));
    Relinked icf = relink_for({"hello-pie"}, {"--linker", "lld", "--icf", "--report", (scratch_dir() / "r.yaml").string()});
    REQUIRE(icf.run.status == 0);
    CHECK(icf.run.out.find("(ld.lld, --icf=all)") != std::string::npos);
    CHECK(nm_defined_dynamic(icf.kernel) == Names{"__cxa_finalize", "__libc_start_main", "puts"});
    Relinked bfd_icf = relink_for({"hello-pie"}, {"--icf"});
    CHECK(bfd_icf.run.status == 2);
    CHECK_FALSE(fs::exists(bfd_icf.kernel));
}

TEST_CASE("relink: a kernel exporting more than the script fails verification, writing nothing") {
    const auto dir = scratch_dir();
    const auto kit = capture_test_kit(dir);
    // A "linker" that ignores the app's script (it links with the generic one) exports everything:
    // a fake ld first in PATH (a kit may only run a linker, and only read its fingerprinted inputs).
    fs::create_directory(dir / "bin");
    write_file(dir / "bin" / "ld", "#!/bin/sh\nfor a; do shift; case $a in --version-script=*) a=--version-script=" +
                                       (test_kernel_root() / "build/release.x64/version_script").string() +
                                       ";; esac; set -- \"$@\" \"$a\"; done\nexec /usr/bin/ld \"$@\"\n");
    fs::permissions(dir / "bin" / "ld", fs::perms::owner_all);
    REQUIRE(osv_symbols({"version-script", "--kit", kit.string(), "-o", (dir / "vs").string(), "hello-pie"}, fixtures()).status == 0);
    const Run run = ::run({"env", "PATH=" + (dir / "bin").string() + ":" + std::getenv("PATH"), std::getenv("OSV_SYMBOLS"),
                           "relink", "--kit", kit.string(), "--version-script", (dir / "vs").string(), "-o",
                           (dir / "kernel.elf").string()});
    CHECK(run.status == 1);
    CHECK(run.err.starts_with("osv-symbols: the relinked kernel's exports differ from the version script: missing (none); unexpected "));
    CHECK(run.err.find(" qsort ") != std::string::npos);
    CHECK(run.err.ends_with("; nothing written\n"));
    CHECK_FALSE(fs::exists(dir / "kernel.elf"));
}

TEST_CASE("relink: link failures, changed inputs and malformed kits are exit 2 and write nothing") {
    const auto dir = scratch_dir();
    // A private copy of the tree, so its objects can be changed.
    const auto tree = dir / "tree";
    REQUIRE(run({"cp", "-a", test_kernel_root().string(), tree.string()}).status == 0);
    REQUIRE(osv_symbols({"kit", "capture", "--osv-root", tree.string(), "-o", (dir / "kit.yaml").string()}).status == 0);
    REQUIRE(osv_symbols({"version-script", "--kit", (dir / "kit.yaml").string(), "-o", (dir / "vs").string(), "hello-pie"}, fixtures()).status == 0);
    const auto relink = [&](const fs::path& kit) {
        return osv_symbols({"relink", "--kit", kit.string(), "--version-script", (dir / "vs").string(), "-o", (dir / "kernel.elf").string(),
                            "--depfile", (dir / "kernel.d").string()});
    };
    REQUIRE(relink(dir / "kit.yaml").status == 0);
    CHECK(read_file(dir / "kernel.d").find((tree / "build/release.x64/libc/string.o").string()) != std::string::npos);
    CHECK(read_file(dir / "kernel.d").find((tree / "libc/aliases.ld").string()) != std::string::npos);
    const std::string good_kernel = read_file(dir / "kernel.elf");

    // The linker fails: its own message passes through, then one line from us.
    std::string text = read_file(dir / "kit.yaml");
    const std::string option = "\"--gc-sections\"";
    std::string broken = text;
    broken.replace(broken.find(option), option.size(), "\"--defsym=alias=no_such_symbol\"");
    write_file(dir / "broken.yaml", broken);
    const Run link_failed = relink(dir / "broken.yaml");
    CHECK(link_failed.status == 2);
    CHECK(link_failed.err.find("no_such_symbol") != std::string::npos);
    CHECK(lines(link_failed.err).back() == "osv-symbols: error: the kernel link failed (ld exit 1); its messages are above");
    CHECK(read_file(dir / "kernel.elf") == good_kernel);

    // Malformed kit.
    write_file(dir / "malformed.yaml", "format: 1\narch: [\n");
    const Run malformed = relink(dir / "malformed.yaml");
    CHECK(malformed.status == 2);
    CHECK(lines(malformed.err).size() == 1);
    CHECK(malformed.err.starts_with("osv-symbols: error: " + (dir / "malformed.yaml").string() + ":3:1: "));

    // A kit whose link would write another file: refused before anything runs.
    std::string mapping = text;
    const std::string gc = "\"--gc-sections\"";
    REQUIRE(mapping.find(gc) != std::string::npos);
    mapping.replace(mapping.find(gc), gc.size(), "\"-Map=" + (dir / "written.map").string() + "\"");
    write_file(dir / "mapping.yaml", mapping);
    const Run map_refused = relink(dir / "mapping.yaml");
    CHECK(map_refused.status == 2);
    CHECK(map_refused.err == "osv-symbols: error: " + (dir / "mapping.yaml").string() + ": 'link.argv' passes '-Map=" +
                                 (dir / "written.map").string() + "', not an option a kit may give the linker (it could write "
                                 "or load files other than the kit's); recapture it with osv-symbols kit capture\n");
    CHECK_FALSE(fs::exists(dir / "written.map"));
    CHECK(read_file(dir / "kernel.elf") == good_kernel);

    // An object rebuilt since capture.
    const auto object_file = tree / "build/release.x64/libc/ctype.o";
    write_file(object_file, read_file(object_file) + "x");
    const Run stale = relink(dir / "kit.yaml");
    CHECK(stale.status == 2);
    CHECK(stale.err == "osv-symbols: error: " + (dir / "kit.yaml").string() + ": input '" + object_file.string() +
                           "' changed since the kit was captured; recapture it with osv-symbols kit capture\n");
    CHECK(read_file(dir / "kernel.elf") == good_kernel);
    int leftovers = 0;
    for (auto& entry : fs::directory_iterator(dir)) leftovers += entry.path().filename().string().find(".tmp.") != std::string::npos;
    CHECK(leftovers == 0);
}

TEST_CASE("version-script and check accept --kit") {
    const auto dir = scratch_dir();
    const auto kit = capture_test_kit(dir);
    const Run check = osv_symbols({"check", "--kit", kit.string(), "hello-pie"}, fixtures());
    CHECK(check.status == 0);
    const Run check_bad = osv_symbols({"check", "--kit", kit.string(), "libunresolved.so"}, fixtures());
    CHECK(check_bad.status == 1);
}

TEST_CASE("kit capture: a strip written as -o<path> is captured and run correctly") {
    const auto dir = scratch_dir();
    const auto tree = dir / "tree";
    REQUIRE(run({"cp", "-a", test_kernel_root().string(), tree.string()}).status == 0);
    std::string makefile = read_file(tree / "Makefile");
    const std::string spaced = "-o $(out)/loader-stripped.elf";
    REQUIRE(makefile.find(spaced) != std::string::npos);
    makefile.replace(makefile.find(spaced), spaced.size(), "-o$(out)/loader-stripped.elf");
    write_file(tree / "Makefile", makefile);
    const auto before = snapshot(tree);
    REQUIRE(osv_symbols({"kit", "capture", "--osv-root", tree.string(), "-o", (dir / "kit.yaml").string()}).status == 0);
    CHECK(read_file(dir / "kit.yaml").find("\"-o{output}\"") != std::string::npos);
    const auto base = fs::file_size(tree / "build/release.x64/loader-stripped.elf");
    CHECK(read_file(dir / "kit.yaml").find("stripped_size: " + std::to_string(base) + "\n") != std::string::npos);
    CHECK(snapshot(tree) == before);
}

TEST_CASE("relink: a report that cannot be written leaves the kernel as it was") {
    const auto dir = scratch_dir();
    const auto kit = capture_test_kit(dir);
    REQUIRE(osv_symbols({"version-script", "--kit", kit.string(), "-o", (dir / "vs").string(), "hello-pie"}, fixtures()).status == 0);
    const Run run = osv_symbols({"relink", "--kit", kit.string(), "--version-script", (dir / "vs").string(), "-o",
                                 (dir / "kernel.elf").string(), "--report", (dir / "missing" / "r.yaml").string()});
    CHECK(run.status == 2);
    CHECK_FALSE(fs::exists(dir / "kernel.elf"));
}

TEST_CASE("relink: killed mid-link, it leaves no temporary files behind") {
    const auto dir = scratch_dir();
    const auto kit = capture_test_kit(dir);
    // A "linker" that waits, so the relink is surely mid-link when it is killed: a fake ld first in PATH.
    fs::create_directory(dir / "bin");
    write_file(dir / "bin" / "ld", "#!/bin/sh\necho $$ > '" + (dir / "ld.pid").string() + "'\nexec sleep 29.7\n");
    fs::permissions(dir / "bin" / "ld", fs::perms::owner_all);
    REQUIRE(osv_symbols({"version-script", "--kit", kit.string(), "-o", (dir / "vs").string(), "hello-pie"}, fixtures()).status == 0);
    const std::string script = "PATH='" + (dir / "bin").string() + "':$PATH \"$0\" relink --kit '" + kit.string() + "' --version-script '" + (dir / "vs").string() + "' -o '" +
                               (dir / "kernel.elf").string() + "' & pid=$!; "
                               "for i in $(seq 100); do ls -a '" + dir.string() + "' | grep -q '^.kernel.elf.tmp' && [ -s '" +
                               (dir / "ld.pid").string() + "' ] && break; sleep 0.1; done; "
                               "kill -TERM $pid; wait $pid; echo status=$?; "
                               // The linker must be gone with it (stopped and reaped, not left running).
                               "if kill -0 $(cat '" + (dir / "ld.pid").string() + "') 2>/dev/null; then echo linker-running; "
                               "kill $(cat '" + (dir / "ld.pid").string() + "'); fi";
    const Run killed = run({"bash", "-c", script, std::getenv("OSV_SYMBOLS")});
    CHECK(killed.out.find("status=143") != std::string::npos);
    CHECK(killed.out.find("linker-running") == std::string::npos);
    int leftovers = 0;
    for (auto& entry : fs::directory_iterator(dir)) leftovers += entry.path().filename().string().find(".tmp.") != std::string::npos;
    CHECK(leftovers == 0);
    CHECK_FALSE(fs::exists(dir / "kernel.elf"));
}

TEST_CASE("kit capture --link-command: a saved link gives the same kit and kernel as OSv's make") {
    const auto dir = scratch_dir();
    const auto made = capture_test_kit(dir);
    // The saved command: the make-captured argv, one argument a line (what a saved kernel ships).
    std::string command;
    bool in_argv = false;
    for (const auto& line : lines(read_file(made))) {
        if (line == "  argv:") in_argv = true;
        else if (in_argv && line.starts_with("    - \"")) command += line.substr(7, line.size() - 8) + "\n";
        else if (in_argv) break;
    }
    write_file(dir / "command.txt", command);
    const auto build = test_kernel_root() / "build/release.x64";
    const Run saved = osv_symbols({"kit", "capture", "--link-command", (dir / "command.txt").string(), "--cwd",
                                   test_kernel_root().string(), "--base-kernel", (build / "loader.elf").string(), "-o",
                                   (dir / "saved.yaml").string()});
    REQUIRE_MESSAGE(saved.status == 0, saved.err);
    CHECK(saved.out.find("15 link inputs, 58 exports") != std::string::npos);
    CHECK(osv_symbols({"exports", "--kit", (dir / "saved.yaml").string()}).out ==
          osv_symbols({"exports", "--kit", made.string()}).out);
    REQUIRE(osv_symbols({"version-script", "--kit", made.string(), "-o", (dir / "vs").string(), "hello-pie"}, fixtures()).status == 0);
    for (const auto& kit : {made, dir / "saved.yaml"})
        REQUIRE(osv_symbols({"relink", "--kit", kit.string(), "--version-script", (dir / "vs").string(), "-o",
                             (dir / (kit.stem().string() + ".elf")).string()}).status == 0);
    CHECK(read_file(dir / "saved.elf") == read_file(dir / (made.stem().string() + ".elf")));

    // A command without a placeholder, both modes at once, a missing partner option.
    write_file(dir / "no-output.txt", "ld.bfd\n--version-script={version_script}\n");
    const Run no_output = osv_symbols({"kit", "capture", "--link-command", (dir / "no-output.txt").string(), "--cwd",
                                       dir.string(), "--base-kernel", (build / "loader.elf").string(), "-o", (dir / "k").string()});
    CHECK(no_output.status == 2);
    CHECK(no_output.err == "osv-symbols: error: " + (dir / "no-output.txt").string() +
                               ": the link command lacks the {output} placeholder; put it where the output (-o) and the "
                               "--version-script file go\n");
    // Files named by options are inputs too (fingerprinted, so a kit may read them).
    write_file(dir / "two-scripts.txt", command + "--version-script=build/release.x64/version_script\n");
    REQUIRE(osv_symbols({"kit", "capture", "--link-command", (dir / "two-scripts.txt").string(), "--cwd",
                         test_kernel_root().string(), "--base-kernel", (build / "loader.elf").string(), "-o",
                         (dir / "two-scripts.yaml").string()}).status == 0);
    CHECK(read_file(dir / "two-scripts.yaml").find("{path: " + (build / "version_script").string() + ", ") != std::string::npos);

    // A command that would read a file that is not there (so not fingerprinted), or write a map.
    write_file(dir / "unread.txt", command + "no-such.o\n");
    const Run unread = osv_symbols({"kit", "capture", "--link-command", (dir / "unread.txt").string(), "--cwd",
                                    test_kernel_root().string(), "--base-kernel", (build / "loader.elf").string(), "-o",
                                    (dir / "k").string()});
    CHECK(unread.status == 2);
    CHECK(unread.err == "osv-symbols: error: " + (dir / "unread.txt").string() + ": the kernel link cannot be captured: "
                        "'link.argv' names 'no-such.o', which is not one of the kit's fingerprinted inputs; relink runs only a "
                        "linker and a strip that read the kit's inputs and write {output}\n");
    write_file(dir / "map.txt", command + "-Map=kernel.map\n");
    CHECK(osv_symbols({"kit", "capture", "--link-command", (dir / "map.txt").string(), "--cwd", test_kernel_root().string(),
                       "--base-kernel", (build / "loader.elf").string(), "-o", (dir / "k").string()}).status == 2);
    const Run both = osv_symbols({"kit", "capture", "--osv-root", dir.string(), "--link-command", "x", "-o", (dir / "k").string()});
    CHECK(both.status == 2);
    CHECK(both.err.starts_with("osv-symbols: error: kit capture: give either --osv-root DIR, or --link-command FILE"));
    const Run partial = osv_symbols({"kit", "capture", "--link-command", (dir / "command.txt").string(), "-o", (dir / "k").string()});
    CHECK(partial.status == 2);
    CHECK(partial.err.starts_with("osv-symbols: error: kit capture: --link-command, --cwd and --base-kernel go together; --cwd is missing"));
    CHECK_FALSE(fs::exists(dir / "k"));
}

TEST_CASE("relink: output paths containing placeholders are passed as they are (placeholders filled once)") {
    const auto dir = scratch_dir() / "{output}";
    fs::create_directories(dir);
    const auto kit = capture_test_kit(dir);
    REQUIRE(osv_symbols({"version-script", "--kit", kit.string(), "-o", (dir / "{input}.vs").string(), "hello-pie"}, fixtures()).status == 0);
    const auto kernel = dir / "k{version_script}{output}.elf";
    const Run run = osv_symbols({"relink", "--kit", kit.string(), "--version-script", (dir / "{input}.vs").string(), "-o",
                                 kernel.string(), "--unstripped", (dir / "u{version_script}.elf").string()});
    REQUIRE_MESSAGE(run.status == 0, run.err);
    CHECK(nm_defined_dynamic(kernel) == Names{"__cxa_finalize", "__libc_start_main", "puts"});
    CHECK(fs::exists(dir / "u{version_script}.elf"));
}

TEST_CASE("kit capture and relink never write over a file of the kernel's tree") {
    const auto dir = scratch_dir();
    const auto tree = dir / "tree";
    REQUIRE(run({"cp", "-a", test_kernel_root().string(), tree.string()}).status == 0);
    const auto object = tree / "build/release.x64/libc/ctype.o";
    const std::string object_bytes = read_file(object);
    const Run over_input = osv_symbols({"kit", "capture", "--osv-root", tree.string(), "-o", object.string()});
    CHECK(over_input.status == 2);
    CHECK(over_input.err.starts_with("osv-symbols: error: output '" + object.string() + "' is also an input; write it elsewhere"));
    CHECK(read_file(object) == object_bytes);
    const Run over_makefile = osv_symbols({"kit", "capture", "--osv-root", tree.string(), "-o", (tree / "Makefile").string()});
    CHECK(over_makefile.status == 2);

    REQUIRE(osv_symbols({"kit", "capture", "--osv-root", tree.string(), "-o", (dir / "kit.yaml").string()}).status == 0);
    REQUIRE(osv_symbols({"version-script", "--kit", (dir / "kit.yaml").string(), "-o", (dir / "vs").string(), "hello-pie"}, fixtures()).status == 0);
    const auto generic = tree / "build/release.x64/loader.elf";
    const std::string generic_bytes = read_file(generic);
    for (const auto& target : {object, generic}) {
        const Run relinked = osv_symbols({"relink", "--kit", (dir / "kit.yaml").string(), "--version-script", (dir / "vs").string(),
                                          "-o", target.string()});
        CHECK(relinked.status == 2);
        CHECK(relinked.err.find("is also an input; write it elsewhere") != std::string::npos);
    }
    CHECK(read_file(object) == object_bytes);
    CHECK(read_file(generic) == generic_bytes);
}
