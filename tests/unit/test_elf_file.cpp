#include <doctest/doctest.h>

#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <utility>

#include "content_hash.hpp"
#include "gnu_hash.hpp"
#include "input_error_of.hpp"
#include "elf_file.hpp"
#include "error.hpp"
#include "exports.hpp"
#include "symbol_sets.hpp"
#include "test_support.hpp"

using namespace osv;
using Names = std::vector<std::string>;

namespace {
Names import_names(const ElfSymbols& s) {
    Names out;
    for (const auto& i : s.imports) out.emplace_back(s.name(i));
    return out;
}
bool contains(const Names& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}
}  // namespace

TEST_CASE("elf: kinds of programs") {
    const auto& fx = test::fixtures();
    CHECK(read_elf_symbols(fx / "hello-pie").kind == ElfKind::pie_executable);
    CHECK(read_elf_symbols(fx / "hello-nopie").kind == ElfKind::executable);
    CHECK(read_elf_symbols(fx / "libgreet.so").kind == ElfKind::shared_library);
    const auto static_exe = read_elf_symbols(fx / "hello-static");
    CHECK(static_exe.is_static);
    CHECK(static_exe.imports.empty());
    CHECK_FALSE(read_elf_symbols(fx / "hello-pie").is_static);
}

TEST_CASE("elf: imports equal nm's undefined dynamic symbols, without versions") {
    const auto& fx = test::fixtures();
    for (const char* name : {"hello-pie", "hello-nopie", "versioned", "weak", "libgreet.so", "uses-greet", "plugin-host",
                             "libunresolved.so", "fake-kernel.so"}) {
        CAPTURE(name);
        CHECK(import_names(read_elf_symbols(fx / name)) == test::nm_undefined(fx / name));
    }
    const auto versioned = read_elf_symbols(fx / "versioned");
    CHECK(contains(import_names(versioned), "memcpy"));             // memcpy@GLIBC_2.14
    CHECK(contains(import_names(versioned), "__libc_start_main"));  // __libc_start_main@GLIBC_2.34
}

TEST_CASE("elf: weak imports are marked weak") {
    const auto weak = read_elf_symbols(test::fixtures() / "weak");
    const auto hook = std::find_if(weak.imports.begin(), weak.imports.end(),
                                   [&](const DynamicImport& i) { return weak.name(i) == "optional_tracing_hook"; });
    REQUIRE(hook != weak.imports.end());
    CHECK(hook->weak);
    const auto puts = std::find_if(weak.imports.begin(), weak.imports.end(), [&](const DynamicImport& i) { return weak.name(i) == "puts"; });
    REQUIRE(puts != weak.imports.end());
    CHECK_FALSE(puts->weak);
}

TEST_CASE("elf: definitions equal nm's defined dynamic symbols") {
    const auto& fx = test::fixtures();
    for (const char* name : {"libgreet.so", "fake-kernel.so"}) {
        CAPTURE(name);
        CHECK(read_elf_symbols(fx / name).definitions == test::nm_defined_dynamic(fx / name));
    }
}

TEST_CASE("elf: glibc's version-definition symbols are not exports") {
    const auto libc = read_elf_symbols("/lib/x86_64-linux-gnu/libc.so.6");
    CHECK(contains(libc.definitions, "puts"));
    CHECK_FALSE(contains(libc.definitions, "GLIBC_2.2.5"));
}

TEST_CASE("elf: strings in .rodata that may be dlsym() names") {
    const auto names = read_rodata_identifiers(test::fixtures() / "plugin-host");
    CHECK(contains(names, "cos"));
    CHECK_FALSE(contains(names, "%f\n"));
}

TEST_CASE("elf: strings in .rodata that may be dlopen() arguments: path characters only, at most 200 long") {
    const auto dir = test::scratch_dir();
    const std::string longest = "lib" + std::string(194, 'x') + ".so";  // 200 characters
    const std::string too_long = "lib" + std::string(195, 'x') + ".so";  // 201
    std::string source = "__attribute__((used)) static const char strings[] =\n"
                         "    \"libshapes-plugin.so.1\\0/usr/lib/app/plugins/\\0lib-dynload/\\0\"\n"
                         "    \"%s.so\\0!/\\0a/b\\003libfoo.so\\0lib/x.so\\002tail\\0plain words.so\\0\"\n"
                         "    \"" + longest + "\\0" + too_long + "\\0\";\n"
                         // A binary table thick with '/' (0x2f) and '.' bytes, as libLLVM's .rodata is, one NUL at its end.
                         "__attribute__((used)) static const unsigned char table[4096] = {";
    for (int i = 0; i < 4095; ++i) source += std::to_string(i % 3 == 0 ? 0x2f : i % 7 == 0 ? '.' : (i * 37) % 251 + 1) + ",";
    source += "0};\n__attribute__((used)) static const char after[] = \"libafter.so.2\";\n";
    test::write_file(dir / "hints.c", source);
    REQUIRE(test::run({"cc", "-shared", "-fPIC", "-o", (dir / "libhints.so").string(), (dir / "hints.c").string()}).status == 0);
    CHECK(read_rodata_library_hints(dir / "libhints.so") ==
          std::vector<std::string>{"/usr/lib/app/plugins/", "lib-dynload/", "libafter.so.2", "libshapes-plugin.so.1", longest});
}

TEST_CASE("elf: not programs, not ELF, missing") {
    const auto& fx = test::fixtures();
    CHECK_THROWS_WITH_AS(read_elf_symbols(fx / "object.o"),
                         ((fx / "object.o").string() + ": is a relocatable object (.o), not an executable or shared library").c_str(),
                         NotAProgram);
    CHECK_THROWS_WITH_AS(read_elf_symbols(fx / "notes.txt"),
                         ((fx / "notes.txt").string() + ": not an ELF file; pass an executable or shared library").c_str(), InputError);
    CHECK_THROWS_WITH_AS(read_elf_symbols(fx / "absent"),
                         ((fx / "absent").string() + ": cannot open: No such file or directory; check the path").c_str(), InputError);
    CHECK(has_elf_magic(fx / "object.o"));
    CHECK_FALSE(has_elf_magic(fx / "notes.txt"));
}

TEST_CASE("elf: per-function sections are recognised in objects") {
    const auto dir = test::scratch_dir();
    const auto source = test::source_dir() / "fixtures" / "src" / "greet.c";
    REQUIRE(test::run({"cc", "-O2", "-c", "-ffunction-sections", "-o", (dir / "split.o").string(), source.string()}).status == 0);
    REQUIRE(test::run({"cc", "-O2", "-c", "-o", (dir / "whole.o").string(), source.string()}).status == 0);
    CHECK(has_per_function_sections(dir / "split.o"));
    CHECK_FALSE(has_per_function_sections(dir / "whole.o"));
}

TEST_CASE("elf: every truncation of a program is an InputError, never a crash or a wrong answer") {
    const auto dir = test::scratch_dir();
    const std::string bytes = test::read_file(test::fixtures() / "libgreet.so");
    const auto full = import_names(read_elf_symbols(test::fixtures() / "libgreet.so"));
    int errors = 0, readable = 0;
    for (std::size_t size = 0; size < bytes.size(); size += std::max<std::size_t>(1, bytes.size() / 97)) {
        test::write_file(dir / "cut.so", bytes.substr(0, size));
        try {
            const auto symbols = read_elf_symbols(dir / "cut.so");
            // Only a cut past everything .dynsym needs may still read, and then it reads right.
            CHECK(import_names(symbols) == full);
            ++readable;
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).starts_with((dir / "cut.so").string() + ": "));
            ++errors;
        }
    }
    CHECK(errors > 90);
}

TEST_CASE("elf: files refused after open() or elf_begin() leak no descriptor") {
    const auto dir = test::scratch_dir();
    const std::string bytes = test::read_file(test::fixtures() / "hello-pie");
    test::write_file(dir / "not-elf", "plain text, not ELF\n");
    test::write_file(dir / "truncated", bytes.substr(0, 40));
    test::write_file(dir / "archive", "!<arch>\n");
    const auto open_descriptors = [] {
        return std::distance(std::filesystem::directory_iterator("/proc/self/fd"), std::filesystem::directory_iterator{});
    };
    const auto before = open_descriptors();
    for (int i = 0; i < 50; ++i)
        for (const char* name : {"not-elf", "truncated", "archive"}) CHECK_THROWS_AS(read_elf_symbols(dir / name), InputError);
    CHECK(open_descriptors() == before);
}

TEST_CASE("elf and fingerprints: a file shrinking while it is read is an InputError or a result, never SIGBUS") {
    // Another build truncates and rewrites the file over and over while it is read: with mmap, a
    // page past the new end of file raised SIGBUS and killed the process.
    const auto dir = test::scratch_dir();
    const std::string bytes = test::read_file(test::fixtures() / "hello-static");
    const auto path = dir / "shrinking";
    test::write_file(path, bytes);
    std::atomic<bool> stop{false};
    std::thread rewriter([&] {
        const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        while (!stop) {
            if (::ftruncate(fd, 0) != 0) break;
            if (::pwrite(fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) break;
        }
        ::close(fd);
    });
    int reads = 0, errors = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
    while (std::chrono::steady_clock::now() < until) {
        try {
            read_elf_symbols(path);
            file_fingerprint(path);
            ++reads;
        } catch (const InputError&) {
            ++errors;
        }
    }
    stop = true;
    rewriter.join();
    CHECK(reads + errors > 0);
}

namespace {

// An executable that reads a shared library's variable directly, so the link gives it a copy
// relocation (R_386_COPY, R_X86_64_COPY): the variable is an import, though the executable defines a copy.
ElfSymbols copy_relocating_app(const std::filesystem::path& dir, const std::string& as_mode, const std::string& ld_emulation,
                               const std::string& dynamic_linker) {
    test::write_file(dir / "lib.s", ".data\n.globl shared_counter\n.type shared_counter, @object\n.size shared_counter, 4\n"
                                    "shared_counter: .long 42\n");
    test::write_file(dir / "app.s", ".text\n.globl _start\n_start:\n  movl shared_counter, %eax\n  ret\n");
    const auto step = [&](std::vector<std::string> argv) { REQUIRE(test::run(argv, dir).status == 0); };
    step({"as", as_mode, "lib.s", "-o", "lib.o"});
    step({"ld", "-m", ld_emulation, "-shared", "lib.o", "-o", "libcounter.so"});
    step({"as", as_mode, "app.s", "-o", "app.o"});
    step({"ld", "-m", ld_emulation, "app.o", "libcounter.so", "-o", "app", "--dynamic-linker", dynamic_linker});
    return read_elf_symbols(dir / "app");
}

}  // namespace

TEST_CASE("elf: copy relocations of a 32-bit (i386) executable are imports") {
    // libelf hands back 32-bit r_info in the 64-bit layout: ELF32_R_SYM on it found no symbol.
    const ElfSymbols app = copy_relocating_app(test::scratch_dir(), "--32", "elf_i386", "/lib/ld-linux.so.2");
    CHECK(app.arch == ElfArch{ELFCLASS32, EM_386});
    CHECK(import_names(app) == Names{"shared_counter"});
    CHECK_FALSE(contains(app.definitions, "shared_counter"));
}

TEST_CASE("elf: copy relocations of an x32 executable are imports; x32 is not x86-64 to the kernel") {
    // x32: ELFCLASS32 with EM_X86_64, R_X86_64_COPY in 32-bit Elf32_Rela; decoded like i386 (GELF_R_SYM).
    const ElfSymbols app = copy_relocating_app(test::scratch_dir(), "--x32", "elf32_x86_64", "/libx32/ld-linux-x32.so.2");
    CHECK(app.arch == ElfArch{ELFCLASS32, EM_X86_64});
    CHECK(app.arch.describe() == "ELF32 x86-64 (x32)");
    CHECK(import_names(app) == Names{"shared_counter"});
    CHECK_FALSE(contains(app.definitions, "shared_counter"));
    // Same e_machine as the kernel, other class: a 64-bit OSv cannot run it.
    ExportSet kernel;
    kernel.arch = ElfArch{ELFCLASS64, EM_X86_64};
    CHECK_THROWS_WITH_AS(check_same_architecture({app}, kernel),
                         (app.path + ": architecture ELF32 x86-64 (x32) differs from the kernel's ELF64 x86-64; "
                                              "build the app for the kernel's architecture").c_str(),
                         InputError);
}

TEST_CASE("elf: a DT_SONAME or DT_NEEDED with a newline is refused (it would split a manifest line)") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "n.c", "int f(void) { return 1; }\n");
    REQUIRE(test::run({"gcc", "-shared", "-fPIC", "n.c", "-o", "libn.so", "-Wl,-soname,libn.so\n/etc/passwd: /etc/passwd"}, dir).status == 0);
    CHECK_THROWS_WITH_AS(read_elf_dependencies(dir / "libn.so"),
                         ((dir / "libn.so").string() + ": DT_SONAME \"libn.so\\n/etc/passwd: /etc/passwd\" has a control character, "
                          "which no manifest or list can carry; rebuild or leave this file out").c_str(),
                         InputError);
}

namespace {

// Records what the reader shows a DefinedImports-like sink; `wants_names` answers hashed().
struct RecordingSink final : DefinitionSink {
    bool wants_names = true;
    std::vector<std::uint32_t> hashes;
    Names names;
    bool hashed(std::uint32_t gnu_hash) override {
        hashes.push_back(gnu_hash);
        return wants_names;
    }
    void defined(std::string_view name) override { names.emplace_back(name); }
    Names sorted_names() const {
        Names out = names;
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
        return out;
    }
};

RecordingSink read_definitions(const std::filesystem::path& path, bool wants_names) {
    RecordingSink sink;
    sink.wants_names = wants_names;
    REQUIRE(read_elf_imports(path, std::make_shared<SymbolNames>(), &sink).has_value());
    return sink;
}

// A file read as an app's input is: by read_elf_imports(), its definitions shown to a sink.
ElfSymbols read_as_input(const std::filesystem::path& path) {
    RecordingSink first;
    auto program = read_elf_imports(path, std::make_shared<SymbolNames>(), &first);
    REQUIRE(program.has_value());
    return std::move(*program);
}

// A file's definitions as read_elf_definitions() shows them again after read_elf_imports(), every name asked for.
RecordingSink read_again(const std::filesystem::path& path) {
    RecordingSink again;
    read_elf_definitions(read_as_input(path), again);
    return again;
}

// Writes `from` again in the other byte order: libelf translates every header and table (.dynsym,
// .gnu.hash, versions, relocations) on the way out, at the same offsets. A big-endian twin of a
// fixture, for the reader's path that has libelf translate .dynsym piece by piece.
void write_in_other_byte_order(const std::filesystem::path& from, const std::filesystem::path& to) {
    REQUIRE(elf_version(EV_CURRENT) != EV_NONE);
    const int in = ::open(from.c_str(), O_RDONLY);
    const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE((in >= 0 && out >= 0));
    Elf* source = elf_begin(in, ELF_C_READ, nullptr);
    Elf* target = elf_begin(out, ELF_C_WRITE, nullptr);
    REQUIRE((source && target));
    GElf_Ehdr ehdr;
    REQUIRE(gelf_getehdr(source, &ehdr));
    REQUIRE(gelf_newehdr(target, gelf_getclass(source)));
    ehdr.e_ident[EI_DATA] = ehdr.e_ident[EI_DATA] == ELFDATA2LSB ? ELFDATA2MSB : ELFDATA2LSB;
    REQUIRE(gelf_update_ehdr(target, &ehdr));
    std::size_t segments = 0;
    REQUIRE(elf_getphdrnum(source, &segments) == 0);
    REQUIRE(gelf_newphdr(target, segments));
    for (std::size_t i = 0; i < segments; ++i) {
        GElf_Phdr phdr;
        REQUIRE(gelf_getphdr(source, static_cast<int>(i), &phdr));
        REQUIRE(gelf_update_phdr(target, static_cast<int>(i), &phdr));
    }
    for (Elf_Scn* section = elf_nextscn(source, nullptr); section; section = elf_nextscn(source, section)) {
        GElf_Shdr shdr;
        REQUIRE(gelf_getshdr(section, &shdr));
        Elf_Scn* copy = elf_newscn(target);
        REQUIRE(gelf_update_shdr(copy, &shdr));
        if (shdr.sh_type == SHT_NOBITS) continue;
        for (Elf_Data* data = elf_getdata(section, nullptr); data; data = elf_getdata(section, data)) {
            Elf_Data* copied = elf_newdata(copy);
            *copied = *data;  // its d_type says how to translate it
        }
    }
    elf_flagelf(target, ELF_C_SET, ELF_F_LAYOUT);  // every offset as it was
    REQUIRE(elf_update(target, ELF_C_WRITE) > 0);
    elf_end(target);
    elf_end(source);
    ::close(out);
    ::close(in);
}

// Where in a 64-bit file the header of its first section of `type` is.
std::size_t section_header_offset(const std::string& bytes, std::uint32_t type) {
    Elf64_Ehdr ehdr;
    std::memcpy(&ehdr, bytes.data(), sizeof ehdr);
    for (std::size_t i = 0; i < ehdr.e_shnum; ++i) {
        const std::size_t at = ehdr.e_shoff + i * ehdr.e_shentsize;
        Elf64_Shdr shdr;
        std::memcpy(&shdr, bytes.data() + at, sizeof shdr);
        if (shdr.sh_type == type) return at;
    }
    FAIL("no section of type " << type);
    return 0;
}

// The offset of a 64-bit file's .gnu.hash section (its header: nbuckets, symoffset, bloom words, shift).
std::size_t gnu_hash_offset(const std::string& bytes) {
    Elf64_Shdr shdr;
    std::memcpy(&shdr, bytes.data() + section_header_offset(bytes, SHT_GNU_HASH), sizeof shdr);
    return shdr.sh_offset;
}

}  // namespace

TEST_CASE("elf: definitions are shown by their .gnu.hash hashes, names read only when asked for") {
    const auto lib = test::fixtures() / "libgreet.so";
    const Names defined = test::nm_defined_dynamic(lib);
    const RecordingSink all = read_definitions(lib, true);
    CHECK(all.sorted_names() == defined);
    std::vector<std::uint32_t> expected;  // the hash of every defined name, as the loader computes it
    for (const auto& name : defined) expected.push_back(gnu_hash(name));
    auto shown = all.hashes;
    for (auto& hash : shown) hash |= 1;  // bit 0 ends a chain
    for (auto& hash : expected) hash |= 1;
    std::sort(shown.begin(), shown.end());
    std::sort(expected.begin(), expected.end());
    CHECK(shown == expected);
    const RecordingSink none = read_definitions(lib, false);
    CHECK(none.hashes.size() == defined.size());
    CHECK(none.names.empty());  // nothing asked for, nothing read
    // The definitions read again (each name asked for read alone, with pread()): the same, imports not kept.
    CHECK(read_again(lib).sorted_names() == defined);
    const RecordingSink libc = read_again("/lib/x86_64-linux-gnu/libc.so.6");  // version definitions: no definitions
    CHECK(libc.sorted_names() == read_elf_symbols("/lib/x86_64-linux-gnu/libc.so.6").definitions);
    CHECK(contains(libc.names, "puts"));
    CHECK_FALSE(contains(libc.names, "GLIBC_2.2.5"));
}

TEST_CASE("elf: definitions are read again from where the first read found them, where those tables tell all") {
    const auto dir = test::scratch_dir();
    const auto tables_of = [](const std::filesystem::path& path) { return read_as_input(path).definition_tables; };
    // A shared library with .gnu.hash, and one whose versions are absolute symbols: from the tables.
    test::write_file(dir / "v.c", "int v_fn(void) { return 1; }\nint w_fn(void) { return 2; }\n");
    test::write_file(dir / "v.map", "V1 { global: v_fn; local: *; };\nV2 { global: w_fn; } V1;\n");
    REQUIRE(test::run({"gcc", "-shared", "-fPIC", "v.c", "-Wl,--version-script=v.map", "-o", "libversions.so"}, dir).status == 0);
    for (const std::filesystem::path lib : {test::fixtures() / "libgreet.so", dir / "libversions.so"}) {
        CAPTURE(lib);
        CHECK(tables_of(lib).usable);
        CHECK(read_again(lib).sorted_names() == read_elf_symbols(lib).definitions);
    }
    CHECK(read_again(dir / "libversions.so").sorted_names() == Names{"v_fn", "w_fn"});  // not V1, V2
    {  // The tables are what is read: the names one byte off give other names (or a bad offset), not the right ones.
        ElfSymbols shifted = read_as_input(test::fixtures() / "libgreet.so");
        shifted.definition_tables.names_offset += 1;
        RecordingSink wrong;
        bool refused = false;
        try {
            read_elf_definitions(shifted, wrong);
        } catch (const InputError&) {
            refused = true;
        }
        CHECK((refused || wrong.sorted_names() != test::nm_defined_dynamic(test::fixtures() / "libgreet.so")));
    }
    // The whole way where the tables would not tell all: what .gnu.hash does not hold, an absolute
    // symbol that is no version, an executable (its copy relocations), the other byte order.
    test::write_file(dir / "s.c", "int s_counter = 1;\nint s_fn(void) { return s_counter; }\n");
    REQUIRE(test::run({"gcc", "-shared", "-fPIC", "s.c", "-o", "libsysv.so", "-Wl,--hash-style=sysv"}, dir).status == 0);
    test::write_file(dir / "a.s", ".globl abs_answer\n.set abs_answer, 42\n.globl a_fn\n.type a_fn, @function\na_fn: ret\n");
    REQUIRE(test::run({"gcc", "-shared", "a.s", "-o", "libabsolute.so"}, dir).status == 0);
    REQUIRE(contains(read_elf_symbols(dir / "libabsolute.so").definitions, "abs_answer"));
    write_in_other_byte_order(test::fixtures() / "libgreet.so", dir / "libgreet-swapped.so");
    {  // .gnu.hash one chain word short: its last definition is not held, so it is read by name.
        std::string bytes = test::read_file(test::fixtures() / "libgreet.so");
        const std::size_t size_at = section_header_offset(bytes, SHT_GNU_HASH) + offsetof(Elf64_Shdr, sh_size);
        std::uint64_t size;
        std::memcpy(&size, bytes.data() + size_at, sizeof size);
        size -= 4;
        std::memcpy(bytes.data() + size_at, &size, sizeof size);
        test::write_file(dir / "libshort-chains.so", bytes);
    }
    for (const std::filesystem::path file : {dir / "libsysv.so", dir / "libabsolute.so", test::fixtures() / "hello-pie",
                                             dir / "libgreet-swapped.so", dir / "libshort-chains.so"}) {
        CAPTURE(file);
        CHECK_FALSE(tables_of(file).usable);
        CHECK(read_again(file).sorted_names() == read_elf_symbols(file).definitions);
    }
    // A file changed since the first read is read again the whole way: its tables are elsewhere now.
    std::filesystem::copy_file(test::fixtures() / "libgreet.so", dir / "libchanging.so");
    const ElfSymbols program = read_as_input(dir / "libchanging.so");
    REQUIRE(program.definition_tables.usable);
    test::write_file(dir / "other.c", "int other_counter;\nvoid other_fn(void) {}\nvoid more_fn(void) {}\n");
    REQUIRE(test::run({"gcc", "-shared", "-fPIC", "other.c", "-o", "libother.so"}, dir).status == 0);
    test::write_file(dir / "libchanging.so", test::read_file(dir / "libother.so"));  // in place: same inode
    RecordingSink again;
    read_elf_definitions(program, again);
    CHECK(again.sorted_names() == test::nm_defined_dynamic(dir / "libother.so"));
}

TEST_CASE("elf: a library without .gnu.hash, or one importing only, shows its definitions by name") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "s.c", "int s_counter = 1;\nint s_fn(void) { return s_counter; }\n");
    REQUIRE(test::run({"gcc", "-shared", "-fPIC", "s.c", "-o", "libsysv.so", "-Wl,--hash-style=sysv"}, dir).status == 0);
    const RecordingSink sysv = read_definitions(dir / "libsysv.so", false);
    CHECK(sysv.hashes.empty());
    CHECK(sysv.sorted_names() == test::nm_defined_dynamic(dir / "libsysv.so"));
    CHECK(contains(sysv.names, "s_fn"));
    // Linkers leave the chains out of .gnu.hash when no hashed entry is defined: not short, not read.
    test::write_file(dir / "i.c", "extern void g(void);\nstatic void __attribute__((constructor)) c(void) { g(); }\n");
    REQUIRE(test::run({"gcc", "-shared", "-fPIC", "i.c", "-o", "libimporting.so", "-Wl,--hash-style=gnu"}, dir).status == 0);
    const auto importing = std::make_shared<SymbolNames>();
    RecordingSink sink;
    const auto symbols = read_elf_imports(dir / "libimporting.so", importing, &sink);
    REQUIRE(symbols.has_value());
    CHECK(contains(import_names(*symbols), "g"));
    CHECK(sink.hashes.empty());
    CHECK(sink.names.empty());
}

TEST_CASE("elf: a malformed .gnu.hash is a corrupted file, one clear error") {
    const auto dir = test::scratch_dir();
    const std::string bytes = test::read_file(test::fixtures() / "libgreet.so");
    const std::size_t at = gnu_hash_offset(bytes);
    const auto patched = [&](std::size_t word, std::uint32_t value) {
        std::string copy = bytes;
        std::memcpy(copy.data() + at + 4 * word, &value, 4);
        test::write_file(dir / "bad.so", copy);
        RecordingSink sink;
        return test::input_error_of([&] { read_elf_imports(dir / "bad.so", std::make_shared<SymbolNames>(), &sink); });
    };
    const std::string prefix = (dir / "bad.so").string() + ": corrupted ELF file (";
    CHECK(patched(0, 0x40000000) == prefix + ".gnu.hash is shorter than its bloom filter and buckets); rebuild or re-copy it");
    CHECK(patched(2, 0x40000000) == prefix + ".gnu.hash is shorter than its bloom filter and buckets); rebuild or re-copy it");
    CHECK(patched(1, 100000) == prefix + ".gnu.hash starts past the end of .dynsym); rebuild or re-copy it");
    CHECK(test::input_error_of([&] { read_elf_symbols(dir / "bad.so"); }) ==
          prefix + ".gnu.hash starts past the end of .dynsym); rebuild or re-copy it");
}

TEST_CASE("elf: a program in the other byte order reads the same: libelf translates .dynsym and .gnu.hash") {
    const auto dir = test::scratch_dir();
    for (const char* name : {"libgreet.so", "hello-pie", "versioned", "copy-relocs-nopie"}) {
        CAPTURE(name);
        const auto original = test::fixtures() / name;
        const auto swapped = dir / name;
        write_in_other_byte_order(original, swapped);
        REQUIRE(test::read_file(swapped).substr(0, 6) != test::read_file(original).substr(0, 6));  // EI_DATA differs
        const ElfSymbols a = read_elf_symbols(original), b = read_elf_symbols(swapped);
        CHECK(import_names(b) == import_names(a));
        CHECK(b.definitions == a.definitions);
        CHECK(b.kind == a.kind);
        CHECK(b.arch == a.arch);
        // The definitions shown by their .gnu.hash hashes: the same hashes, read in the other order.
        const RecordingSink by_hash_a = read_definitions(original, true), by_hash_b = read_definitions(swapped, true);
        auto hashes_a = by_hash_a.hashes, hashes_b = by_hash_b.hashes;
        std::sort(hashes_a.begin(), hashes_a.end());
        std::sort(hashes_b.begin(), hashes_b.end());
        CHECK(hashes_b == hashes_a);
        CHECK(by_hash_b.sorted_names() == by_hash_a.sorted_names());
    }
    CHECK(!read_definitions(dir / "libgreet.so", true).hashes.empty());  // the hashed path was taken
}

TEST_CASE("elf: a .dynsym whose size runs past the file's end is one clear error, never a huge allocation") {
    // Found by fuzz_elf: .dynsym is read in pieces, so its header's size is checked against the file
    // before anything (a copy-relocation table of that many entries) is sized by it.
    const auto dir = test::scratch_dir();
    for (const char* name : {"libgreet.so", "copy-relocs", "hello-nopie"}) {
        CAPTURE(name);
        std::string bytes = test::read_file(test::fixtures() / name);
        const std::size_t at = section_header_offset(bytes, SHT_DYNSYM);
        Elf64_Shdr shdr;
        std::memcpy(&shdr, bytes.data() + at, sizeof shdr);
        shdr.sh_size = std::uint64_t{1} << 60;
        std::memcpy(bytes.data() + at, &shdr, sizeof shdr);
        test::write_file(dir / name, bytes);
        const std::string expected = (dir / name).string() +
                                     ": corrupted ELF file (.dynsym unreadable: the file ends inside it); rebuild or re-copy it";
        CHECK(test::input_error_of([&] { read_elf_symbols(dir / name); }) == expected);
        CHECK(test::input_error_of([&] { read_elf_imports(dir / name, std::make_shared<SymbolNames>(), nullptr); }) == expected);
    }
}
