// version-script, needed, exports and check on real ELF files, cross-checked against nm.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "test_support.hpp"

using namespace osv::test;
using Names = std::vector<std::string>;

namespace {

// The names under "global:" of a rendered script (one "    name;" line each).
Names script_names(const std::string& script) {
    Names names;
    bool in_global = false;
    for (const auto& line : lines(script)) {
        if (line == "  global:") in_global = true;
        else if (line == "  local:") in_global = false;
        else if (in_global && line.starts_with("    ") && line.ends_with(";")) names.push_back(line.substr(4, line.size() - 5));
    }
    return names;
}

Names intersect(const Names& a, const Names& b) {
    Names out;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

Names nm_union(const std::vector<std::string>& files) {
    std::set<std::string> all;
    for (const auto& f : files)
        for (auto& n : nm_undefined(fixtures() / f)) all.insert(n);
    return {all.begin(), all.end()};
}

Run version_script(std::vector<std::string> args) {
    args.insert(args.begin(), {"version-script", "--exports", fake_kernel()});
    return osv_symbols(args, fixtures());
}

}  // namespace

TEST_CASE("version-script: golden output for hello") {
    const Run run = version_script({"hello-pie"});
    CHECK(run.status == 0);
    CHECK(run.err == "");
    CHECK(run.out == read_file(source_dir() / "cli" / "golden" / "hello.version_script"));
}

TEST_CASE("version-script: names equal nm's undefined symbols intersected with the exports, for every fixture") {
    const Names exports = nm_defined_dynamic(fixtures() / "fake-kernel.so");
    const std::vector<std::vector<std::string>> apps = {
        {"hello-pie"}, {"hello-nopie"}, {"versioned"}, {"weak"}, {"libgreet.so"}, {"uses-greet", "libgreet.so"},
        {"plugin-host"}, {"libunresolved.so"}, {"hello-static"}, {"hello-pie", "versioned", "weak", "plugin-host"}};
    for (const auto& app : apps) {
        CAPTURE(app.front());
        const Run run = version_script(app);
        REQUIRE(run.status == 0);
        CHECK(script_names(run.out) == intersect(nm_union(app), exports));
    }
}

TEST_CASE("version-script: versioned imports keep their name (the bug of OSv's objdump script)") {
    const Names names = script_names(version_script({"versioned"}).out);
    CHECK(std::count(names.begin(), names.end(), "__libc_start_main") == 1);  // __libc_start_main@GLIBC_2.34
    CHECK(std::count(names.begin(), names.end(), "memcpy") == 1);             // memcpy@GLIBC_2.14
}

TEST_CASE("version-script: data copied in by copy relocations is imported (stdout, environ, optind)") {
    for (const char* name : {"copy-relocs", "copy-relocs-nopie"}) {
        CAPTURE(name);
        // readelf names the symbols of the R_X86_64_COPY relocations: they must be exported too.
        Names copied;
        for (const auto& line : lines(run({"readelf", "-rW", (fixtures() / name).string()}).out))
            if (line.find("R_X86_64_COPY") != std::string::npos) {
                std::string symbol = line.substr(line.find_last_of(' ', line.rfind(" + ") - 1) + 1);
                copied.push_back(symbol.substr(0, symbol.find('@')));
            }
        std::sort(copied.begin(), copied.end());
        CHECK(copied == Names{"__environ", "optind", "stdout"});
        Names expected = nm_union({name});
        expected.insert(expected.end(), copied.begin(), copied.end());
        std::sort(expected.begin(), expected.end());
        const Run run = version_script({name});
        REQUIRE(run.status == 0);
        CHECK(script_names(run.out) == intersect(expected, nm_defined_dynamic(fixtures() / "fake-kernel.so")));
        CHECK(osv_symbols({"check", "--exports", fake_kernel(), name}, fixtures()).status == 0);
    }
}

TEST_CASE("version-script: a kernel export stays even when the app's own library defines it") {
    const Names names = script_names(version_script({"uses-greet", "libgreet.so"}).out);
    CHECK(std::count(names.begin(), names.end(), "toupper") == 1);
}

TEST_CASE("version-script: same bytes for the same inputs in any order; unchanged outputs are not rewritten") {
    const auto dir = scratch_dir();
    const auto vs = (dir / "app.vs").string(), report = (dir / "app.yaml").string();
    REQUIRE(version_script({"hello-pie", "weak", "plugin-host", "-o", vs, "--report", report}).status == 0);
    const std::string first = read_file(vs), first_report = read_file(report);
    const auto stamp = fs::last_write_time(vs), report_stamp = fs::last_write_time(report);
    REQUIRE(version_script({"plugin-host", "weak", "hello-pie", "-o", vs, "--report", report}).status == 0);
    CHECK(read_file(vs) == first);
    CHECK(read_file(report) == first_report);
    CHECK(fs::last_write_time(vs) == stamp);
    CHECK(fs::last_write_time(report) == report_stamp);
    CHECK(first.find('/') == first.find("/*"));  // no paths in the script, only its comment
    REQUIRE(version_script({"plugin-host", "weak", "hello-pie", "versioned", "-o", vs}).status == 0);
    CHECK(read_file(vs) != first);
}

TEST_CASE("version-script: the report, golden") {
    const auto dir = scratch_dir();
    const Run run = version_script({"hello-pie", "plugin-host", "weak", "libunresolved.so", "hello-static", "--keep", "sin",
                                    "--keep", "nothing_*", "--report", (dir / "r.yaml").string(), "-o", (dir / "v").string()});
    CHECK(run.status == 0);
    CHECK(read_file(dir / "r.yaml") == read_file(source_dir() / "cli" / "golden" / "report.yaml"));
    CHECK(run.err ==
          "osv-symbols: note: hello-static is statically linked: it imports nothing\n"
          "osv-symbols: warning: plugin-host imports dlopen, dlsym: names it looks up at run time are not imports; keep them "
          "with --keep (the report lists candidates)\n"
          "osv-symbols: warning: keep entry 'nothing_*' matches no kernel export\n"
          "osv-symbols: unresolved: osv_test_missing_function (imported by libunresolved.so)\n");
}

TEST_CASE("version-script: keep names, globs, keep files and config") {
    const auto dir = scratch_dir();
    write_file(dir / "keep.txt", "# looked up with dlsym\ncos\npthread_*\n");
    CHECK(script_names(version_script({"hello-pie", "--keep-file", (dir / "keep.txt").string()}).out) ==
          Names{"__cxa_finalize", "__libc_start_main", "cos", "pthread_create", "pthread_join", "puts"});
    write_file(dir / "osv.yaml", "keep: [sin]\nkeep_files: [keep.txt]\n");
    CHECK(script_names(version_script({"hello-pie", "--config", (dir / "osv.yaml").string(), "--keep", "strlen"}).out) ==
          Names{"__cxa_finalize", "__libc_start_main", "cos", "pthread_create", "pthread_join", "puts", "sin", "strlen"});
    write_file(dir / "strict.yaml", "strict: true\n");
    CHECK(version_script({"libunresolved.so", "--config", (dir / "strict.yaml").string()}).status == 1);
}

TEST_CASE("version-script: --strict makes unresolved imports fatal and writes nothing") {
    const auto dir = scratch_dir();
    const auto out = dir / "app.vs";
    const Run run = version_script({"libunresolved.so", "--strict", "-o", out.string(), "--report", (dir / "r").string()});
    CHECK(run.status == 1);
    CHECK(lines(run.err).back() ==
          "osv-symbols: 1 unresolved import(s) under --strict, provided by neither the kernel nor the app: "
          "osv_test_missing_function (libunresolved.so); add the library that defines them to the app's inputs, or, if "
          "the app never calls them, drop --strict (STRICT); nothing written");
    CHECK_FALSE(fs::exists(out));
    CHECK_FALSE(fs::exists(dir / "r"));
    CHECK(version_script({"weak", "--strict"}).status == 0);  // a weak import is not unresolved
}

TEST_CASE("version-script: depfile lists every file read, escaped") {
    const auto dir = scratch_dir();
    fs::create_directories(dir / "app dir#1");
    fs::copy_file(fixtures() / "hello-pie", dir / "app dir#1" / "hello");
    write_file(dir / "keep.txt", "cos\n");
    write_file(dir / "usr.manifest", "/greet.so: " + (fixtures() / "libgreet.so").string() + "\n");
    const auto out = dir / "app.vs";
    REQUIRE(version_script({(dir / "app dir#1").string(), "--manifest", (dir / "usr.manifest").string(), "--keep-file",
                            (dir / "keep.txt").string(), "-o", out.string(), "--depfile", (dir / "app.d").string()})
                .status == 0);
    const std::string expected = out.string() + ": \\\n  " + dir.string() + "/app\\ dir\\#1 \\\n  " + dir.string() +
                                 "/app\\ dir\\#1/hello \\\n  " + dir.string() + "/keep.txt \\\n  " + dir.string() +
                                 "/usr.manifest \\\n  " + fake_kernel() + " \\\n  " + (fixtures() / "libgreet.so").string() + "\n";
    CHECK(read_file(dir / "app.d") == expected);
    CHECK(version_script({"hello-pie", "--depfile", (dir / "x.d").string()}).status == 2);  // needs -o
}

TEST_CASE("version-script: a manifest and a folder give the same script as naming the files") {
    const auto dir = scratch_dir();
    fs::create_directories(dir / "app/lib");
    fs::copy_file(fixtures() / "uses-greet", dir / "app/uses-greet");
    fs::copy_file(fixtures() / "libgreet.so", dir / "app/lib/libgreet.so");
    fs::copy_file(fixtures() / "object.o", dir / "app/lib/object.o");
    write_file(dir / "app/README", "not a program\n");
    write_file(dir / "usr.manifest", "[manifest]\n/uses-greet: app/uses-greet\n/usr/lib/**: ${app}/lib/**\n/README: app/README\n");
    const std::string direct = version_script({"uses-greet", "libgreet.so"}).out;
    const Run via_manifest = version_script({"--manifest", (dir / "usr.manifest").string(), "--define", "app=" + (dir / "app").string(),
                                             "--report", (dir / "r.yaml").string()});
    CHECK(via_manifest.status == 0);
    CHECK(via_manifest.out == direct);
    CHECK(read_file(dir / "r.yaml").find("skipped: 2") != std::string::npos);  // README and object.o
    CHECK(version_script({(dir / "app").string()}).out == direct);
}

TEST_CASE("version-script: a folder input follows links to folders, once each, and survives cycles") {
    const auto dir = scratch_dir();
    fs::create_directories(dir / "app");
    fs::create_directories(dir / "real-lib");
    fs::copy_file(fixtures() / "uses-greet", dir / "app/uses-greet");
    fs::copy_file(fixtures() / "libgreet.so", dir / "real-lib/libgreet.so");
    fs::create_directory_symlink("../real-lib", dir / "app/lib");
    fs::create_directory_symlink("..", dir / "real-lib/loop");
    const Run run = version_script({(dir / "app").string(), "--report", (dir / "r.yaml").string()});
    CHECK(run.status == 0);
    CHECK(run.out == version_script({"uses-greet", "libgreet.so"}).out);  // greet's imports (printf) are in
    CHECK(read_file(dir / "r.yaml").find("inputs: 2\n") != std::string::npos);
}

TEST_CASE("version-script: exports as ELF, list or version script give the same result") {
    const auto dir = scratch_dir();
    REQUIRE(osv_symbols({"exports", "--exports", fake_kernel(), "-o", (dir / "all.symbols").string()}).status == 0);
    CHECK(lines(read_file(dir / "all.symbols")) == nm_defined_dynamic(fixtures() / "fake-kernel.so"));
    write_file(dir / "generic.vs", "{\n  global:\n" + [&] {
        std::string s;
        for (const auto& n : lines(read_file(dir / "all.symbols"))) s += "    " + n + ";\n";
        return s;
    }() + "  local:\n    *;\n};\n");
    const std::string from_elf = version_script({"versioned", "weak"}).out;
    for (const char* source : {"all.symbols", "generic.vs"}) {
        CAPTURE(source);
        const Run run = osv_symbols({"version-script", "--exports", (dir / source).string(), "versioned", "weak"}, fixtures());
        CHECK(run.status == 0);
        CHECK(run.out == from_elf);
    }
    // Several sources: their union.
    write_file(dir / "extra.list", "optional_tracing_hook\n");
    const Run both = osv_symbols({"version-script", "--exports", (dir / "all.symbols").string(), "--exports",
                                  (dir / "extra.list").string(), "weak"}, fixtures());
    CHECK(script_names(both.out) == Names{"__cxa_finalize", "__libc_start_main", "optional_tracing_hook", "puts"});
}

TEST_CASE("needed: equals nm, per file on request") {
    for (const char* name : {"hello-pie", "versioned", "libgreet.so", "plugin-host"}) {
        CAPTURE(name);
        const Run run = osv_symbols({"needed", name}, fixtures());
        CHECK(run.status == 0);
        CHECK(lines(run.out) == nm_undefined(fixtures() / name));
    }
    const Run by_file = osv_symbols({"needed", "--by-file", "hello-nopie", "hello-static"}, fixtures());
    CHECK(by_file.out == "hello-nopie:\n  __gmon_start__\n  __libc_start_main\n  puts\nhello-static: # static, imports nothing\n");
}

TEST_CASE("check: exit 1 with the unresolved imports, exit 0 when all is provided") {
    const Run bad = osv_symbols({"check", "--exports", fake_kernel(), "hello-pie", "libunresolved.so"}, fixtures());
    CHECK(bad.status == 1);
    CHECK(bad.out == "osv_test_missing_function: libunresolved.so\n");
    const Run good = osv_symbols({"check", "--exports", fake_kernel(), "uses-greet", "libgreet.so", "weak"}, fixtures());
    CHECK(good.status == 0);
    CHECK(good.out.starts_with("ok: 3 file(s)"));
}

TEST_CASE("check: a dlopen() user hears that its modules must be inputs too; glibc's own libraries are skipped") {
    const auto dir = scratch_dir();
    write_file(dir / "loader.c",
               "#include <dlfcn.h>\n"
               "int main(void) {\n"
               "    void* plugin = dlopen(\"libshapes-plugin.so.1\", RTLD_NOW);\n"
               "    void* more = dlopen(\"/usr/lib/app/plugins/\", RTLD_NOW);\n"
               "    return plugin && more;\n"
               "}\n");
    REQUIRE(run({"cc", "-fPIE", "-pie", "-o", (dir / "loader").string(), (dir / "loader.c").string(), "-ldl"}).status == 0);
    write_file(dir / "exports.txt", "dlopen\n__libc_start_main\n__cxa_finalize\n");
    const Run checked = osv_symbols({"check", "--exports", (dir / "exports.txt").string(), (dir / "loader").string()});
    CHECK(checked.status == 0);
    CHECK(checked.err == "osv-symbols: warning: " + (dir / "loader").string() +
                             " imports dlopen: names it looks up at run time are not imports; keep them with --keep (the "
                             "report lists candidates); the libraries and modules it dlopen()s must be inputs too (its "
                             "strings name /usr/lib/app/plugins/ libshapes-plugin.so.1)\n");

    // ldd's list of a program includes libc.so.6 and the dynamic loader: the kernel on OSv, not app files.
    const fs::path libc = "/lib/x86_64-linux-gnu/libc.so.6";
    REQUIRE(fs::exists(libc));
    const Run with_libc = osv_symbols({"version-script", "--exports", (dir / "exports.txt").string(), "-o",
                                       (dir / "vs").string(), (dir / "loader").string(), libc.string()});
    CHECK(with_libc.status == 0);
    CHECK(with_libc.err.find("osv-symbols: note: skipped 1 of glibc's own libraries (libc.so.6): OSv's kernel provides them\n") !=
          std::string::npos);
    CHECK(with_libc.err.find("_dl_") == std::string::npos);
    CHECK(with_libc.err.find("unresolved") == std::string::npos);
}
