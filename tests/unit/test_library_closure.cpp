// The library closure: DT_NEEDED/RPATH/RUNPATH reading and ld.so's search order, on the
// closure fixtures (tests/fixtures/build-fixtures.sh describes their layout).
#include <doctest/doctest.h>

#include <elf.h>

#include <algorithm>

#include "elf_file.hpp"
#include "library_closure.hpp"
#include "library_manifest.hpp"
#include "manifest.hpp"
#include "test_support.hpp"

using namespace osv;
namespace fs = std::filesystem;
using Names = std::vector<std::string>;

namespace {

fs::path closure_dir() { return test::fixtures() / "closure"; }

const NeededLibrary& library(const LibraryClosure& closure, const std::string& name) {
    const auto it = std::find_if(closure.libraries.begin(), closure.libraries.end(),
                                 [&](const NeededLibrary& l) { return l.name == name; });
    REQUIRE_MESSAGE(it != closure.libraries.end(), "no entry for " << name);
    return *it;
}

Names names_with(const LibraryClosure& closure, NeedOutcome outcome) {
    Names out;
    for (const auto& l : closure.libraries)
        if (l.outcome == outcome) out.push_back(l.name);
    return out;
}

}  // namespace

TEST_CASE("elf: DT_NEEDED, DT_RUNPATH, DT_RPATH and DT_SONAME") {
    const auto app = read_elf_dependencies(closure_dir() / "bin" / "app");
    CHECK(app.needed == Names{"libone.so", "libtwo.so", "libm.so.6", "libc.so.6"});
    CHECK(app.runpath == Names{"$ORIGIN/../lib"});
    CHECK(app.rpath.empty());
    CHECK(app.soname.empty());
    const auto cycle = read_elf_dependencies(closure_dir() / "bin" / "cycle-app");
    CHECK(cycle.rpath == Names{"$ORIGIN/../lib"});
    CHECK(cycle.runpath.empty());
    const auto two = read_elf_dependencies(closure_dir() / "lib" / "libtwo.so");
    CHECK(two.soname == "libtwo.so");
    CHECK(two.needed == Names{"libthree.so", "libc.so.6"});
    CHECK(read_elf_dependencies(test::fixtures() / "hello-static").is_static);
}

TEST_CASE("closure: what OSv's kernel provides") {
    for (const char* name : {"libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libresolv.so.2",
                             "libcrypt.so.1", "libutil.so", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}) {
        CAPTURE(name);
        CHECK(is_provided_by_osv_kernel(name));
    }
    for (const char* name : {"libstdc++.so.6", "libgcc_s.so.1", "libz.so.1", "libcrypto.so.3", "ld-linux"}) {
        CAPTURE(name);
        CHECK_FALSE(is_provided_by_osv_kernel(name));
    }
}

TEST_CASE("closure: default folders follow the machine, inside the sysroot") {
    CHECK(default_library_folders(ELFCLASS64, EM_X86_64, {}) ==
          std::vector<fs::path>{"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib", "/usr/lib", "/usr/local/lib"});
    CHECK(default_library_folders(ELFCLASS64, EM_AARCH64, "/sr").front() == "/sr/lib/aarch64-linux-gnu");
    CHECK(default_library_folders(ELFCLASS32, EM_386, {})[1] == "/usr/lib/i386-linux-gnu");
}

TEST_CASE("closure: $ORIGIN RUNPATH, --library-path, glibc skipped") {
    ClosureOptions options;
    options.library_path = {closure_dir() / "extra"};
    const auto closure = find_library_closure({closure_dir() / "bin" / "app"}, options);
    CHECK(names_with(closure, NeedOutcome::found) == Names{"libone.so", "libthree.so", "libtwo.so"});
    CHECK(names_with(closure, NeedOutcome::kernel) == Names{"libc.so.6", "libm.so.6"});
    CHECK(names_with(closure, NeedOutcome::not_found).empty());
    CHECK(library(closure, "libone.so").found_through == "runpath");
    CHECK(library(closure, "libone.so").file == closure_dir() / "lib" / "libone.so");
    CHECK(library(closure, "libthree.so").found_through == "library-path");
    CHECK(library(closure, "libthree.so").first_requester == closure_dir() / "lib" / "libtwo.so");
    CHECK(library(closure, "libc.so.6").requested_by.size() == 4);  // app, libone, libtwo, libthree
}

TEST_CASE("closure: a cycle ends, and DT_RPATH is inherited by the libraries it loads") {
    const auto closure = find_library_closure({closure_dir() / "bin" / "cycle-app"}, {});
    CHECK(names_with(closure, NeedOutcome::found) == Names{"libcyca.so", "libcycb.so"});
    // libcyca.so has no search path of its own: the executable's RPATH finds libcycb.so.
    CHECK(library(closure, "libcycb.so").found_through == "rpath");
    CHECK(library(closure, "libcyca.so").requested_by.size() == 2);
}

TEST_CASE("closure: not found names the folders searched") {
    const auto closure = find_library_closure({closure_dir() / "bin" / "app-missing"}, {});
    const auto& absent = library(closure, "libabsent.so");
    CHECK(absent.outcome == NeedOutcome::not_found);
    CHECK(absent.searched.front() == closure_dir() / "lib");
    CHECK(absent.searched.back() == "/usr/local/lib");
}

TEST_CASE("closure: a library of another class is skipped and the search goes on") {
    if (!fs::exists(closure_dir() / "wrong-class")) {
        MESSAGE("no 32-bit binutils: the wrong-class case is skipped");
        return;
    }
    ClosureOptions options;
    options.library_path = {closure_dir() / "wrong-class", closure_dir() / "extra"};
    const auto closure = find_library_closure({closure_dir() / "bin" / "app"}, options);
    CHECK(library(closure, "libthree.so").file == closure_dir() / "extra" / "libthree.so");
    REQUIRE(closure.notes.size() == 1);
    CHECK(closure.notes[0] == (closure_dir() / "wrong-class" / "libthree.so").string() +
                                  ": skipped for 'libthree.so': ELF32 i386, not ELF64 x86-64");
}

TEST_CASE("closure: --sysroot moves default and absolute folders, not $ORIGIN") {
    const auto sysroot = test::scratch_dir();
    const auto multiarch = sysroot / "usr/lib/x86_64-linux-gnu";
    fs::create_directories(multiarch);
    fs::create_directories(sysroot / "opt/osv-closure-test/lib");
    for (const char* name : {"libone.so", "libtwo.so"}) fs::copy_file(closure_dir() / "lib" / name, multiarch / name);
    fs::copy_file(closure_dir() / "extra/libthree.so", multiarch / "libthree.so");
    fs::copy_file(closure_dir() / "lib/libone.so", sysroot / "opt/osv-closure-test/lib/libone.so");
    ClosureOptions options;
    options.sysroot = sysroot;

    const auto plain = find_library_closure({closure_dir() / "bin" / "app-plain"}, options);
    CHECK(names_with(plain, NeedOutcome::found) == Names{"libone.so", "libthree.so", "libtwo.so"});
    CHECK(library(plain, "libthree.so").file == multiarch / "libthree.so");

    const auto absolute = find_library_closure({closure_dir() / "bin" / "app-abs-runpath"}, options);
    CHECK(library(absolute, "libone.so").file == sysroot / "opt/osv-closure-test/lib/libone.so");

    // $ORIGIN stays where the executable really is: its lib/ folder wins over the sysroot's.
    const auto origin = find_library_closure({closure_dir() / "bin" / "app"}, options);
    CHECK(library(origin, "libone.so").file == closure_dir() / "lib" / "libone.so");
    CHECK(library(origin, "libthree.so").file == multiarch / "libthree.so");
}

TEST_CASE("closure: the manifest skips guest paths the app already fills, and reads back") {
    ClosureOptions options;
    options.library_path = {closure_dir() / "extra"};
    const auto closure = find_library_closure({closure_dir() / "bin" / "app"}, options);
    const auto entries = library_manifest_entries(closure, "/usr/lib", {"/usr/lib/libone.so"});
    REQUIRE(entries.size() == 2);
    CHECK(entries[0] == LibraryManifestEntry{"/usr/lib/libthree.so", closure_dir() / "extra" / "libthree.so"});
    CHECK(entries[1].guest_path == "/usr/lib/libtwo.so");

    const auto dir = test::scratch_dir();
    test::write_file(dir / "libs.manifest", render_library_manifest(entries));
    const auto read_back = read_manifest(dir / "libs.manifest", {});
    REQUIRE(read_back.files.size() == 2);
    CHECK(read_back.files[0].guest_path == "/usr/lib/libthree.so");
    CHECK(read_back.files[0].host_path == closure_dir() / "extra" / "libthree.so");
}

TEST_CASE("closure: a library found as a symlink keeps the needed name and the link's path") {
    const auto dir = test::scratch_dir();
    fs::create_symlink(closure_dir() / "extra" / "libthree.so", dir / "libthree.so");
    ClosureOptions options;
    options.library_path = {dir};
    const auto closure = find_library_closure({closure_dir() / "bin" / "app"}, options);
    CHECK(library(closure, "libthree.so").file == dir / "libthree.so");
    const auto entries = library_manifest_entries(closure, "/usr/lib", {});
    CHECK(std::count(entries.begin(), entries.end(),
                     LibraryManifestEntry{"/usr/lib/libthree.so", dir / "libthree.so"}) == 1);
}

TEST_CASE("closure: a library on no search path but among the app's files is taken from there") {
    // app-plain has no RUNPATH, and its libraries are in no default folder.
    const auto closure = find_library_closure(
        {closure_dir() / "bin" / "app-plain", closure_dir() / "lib" / "libone.so", closure_dir() / "lib" / "libtwo.so"}, {});
    CHECK(library(closure, "libone.so").outcome == NeedOutcome::app_file);
    CHECK(library(closure, "libone.so").file == closure_dir() / "lib" / "libone.so");
    CHECK(library(closure, "libtwo.so").outcome == NeedOutcome::app_file);
    CHECK(library(closure, "libthree.so").outcome == NeedOutcome::not_found);  // libtwo.so's need, read as an app file
    const auto entries = library_manifest_entries(closure, "/usr/lib", {});
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].guest_path == "/usr/lib/libone.so");
}

TEST_CASE("closure: ${ORIGIN} expands, $LIB is a note and its entry is not searched") {
    const auto closure = find_library_closure({closure_dir() / "bin" / "app-tokens"}, {});
    CHECK(library(closure, "libone.so").file == closure_dir() / "lib" / "libone.so");
    CHECK(closure.notes == Names{(closure_dir() / "bin" / "app-tokens").string() +
                                 ": runpath entry '/opt/$LIB' uses $LIB, which is not supported; the entry is not searched"});
}
