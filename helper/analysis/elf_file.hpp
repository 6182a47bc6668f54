// Reading what the app/kernel analysis needs from one ELF file with libelf: its kind, its
// architecture and its dynamic symbols. Only the dynamic sections are read (plus .rodata on
// request); nothing is executed and no external tool is run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "symbol_names.hpp"

namespace osv {

struct ElfArch {
    int elf_class = 0;  // ELFCLASS32 / ELFCLASS64
    int machine = 0;    // EM_X86_64, EM_AARCH64, ...
    bool operator==(const ElfArch&) const = default;
    std::string describe() const;  // "ELF64 x86-64"
};

enum class ElfKind { executable, pie_executable, shared_library, static_pie_executable };
const char* to_string(ElfKind kind);

// An import as the id of its name (without version suffix) in ElfSymbols::names and its weak flag
// in one 32-bit word: a library folder has 170,000 imports (0.7 MB; 4 MB as a view beside the id),
// and the symbol sets take the ids as they are instead of hashing every import again. SymbolNames
// refuses a 2^31st name, so every id fits.
struct DynamicImport {
    std::uint32_t id : 31 = 0;
    std::uint32_t weak : 1 = 0;
};
static_assert(sizeof(DynamicImport) == 4);

// Where a shared library's definitions lie, noted by read_elf_imports() for read_elf_definitions():
// a few of them are read again without taking the file apart anew (a library folder reads 350
// files again, and libelf's handle, the headers and the version definitions were most of each
// such read). Only where they tell all there is: definitions that .gnu.hash holds, in this
// machine's byte order, of a shared library (no copy relocations), no absolute symbols but the
// version definitions. The file as it was read (device, inode, size, times): one changed since is
// read again the whole way.
struct DefinitionTables {
    struct FileIdentity {
        std::uint64_t device = 0, inode = 0, size = 0;
        std::int64_t modified_ns = 0, changed_ns = 0;
        bool operator==(const FileIdentity&) const = default;
    };
    bool usable = false;
    std::uint8_t elf_class = 0;
    FileIdentity file;
    std::uint64_t symbols_offset = 0;                    // .dynsym
    std::uint64_t names_offset = 0, names_size = 0;      // its string table
    std::uint64_t chains_offset = 0;                     // .gnu.hash's chain word of entry chains_first
    std::uint32_t chains_first = 0, chains_end = 0;
    std::uint64_t span_offset = 0, span_size = 0;        // the tables' bytes, read at once (0: table by table)
};

struct ElfSymbols {
    // A string, not a std::filesystem::path: a path carries its split components too (~300 bytes
    // for a file of a library folder, 1,513 of them held through the whole analysis).
    std::string path;
    ElfKind kind = ElfKind::executable;
    ElfArch arch;
    bool is_static = false;                    // no dynamic linking at all: imports nothing
    std::shared_ptr<const SymbolNames> names;  // owns the names `imports` point into (shared by an app's files)
    std::vector<DynamicImport> imports;        // undefined global/weak dynamic symbols, and data objects an
                                               // executable copies in by copy relocation; unique; sorted by
                                               // read_elf_symbols(), in id order from read_elf_imports()
    std::vector<std::string> definitions;      // defined global/weak dynamic symbols, sorted, unique
                                               // (read_elf_symbols() only)
    DefinitionTables definition_tables;        // read_elf_imports() with a definition sink only

    std::string_view name(const DynamicImport& import) const { return names->name(import.id); }
};

// Shown the defined symbols of a file read by read_elf_imports() or read_elf_definitions(). Where
// the file's .gnu.hash holds a definition's GNU hash (nearly every library), the reader first shows
// only that hash: hashed() returns whether the name is needed, and only then reads it and calls
// defined(). Other definitions (no .gnu.hash, outside its table, absolute symbols) go straight to
// defined(). Names are without version; a view lives during the call only.
class DefinitionSink {
public:
    virtual bool hashed(std::uint32_t gnu_hash) = 0;
    virtual void defined(std::string_view name) = 0;
    // Told the hashes of a piece of definitions before hashed() is asked about them, to start
    // loading what answering will need.
    virtual void prefetch(std::uint32_t /*gnu_hash*/) {}

protected:
    ~DefinitionSink() = default;
};

// What the dynamic loader reads to find a file's libraries: its .dynamic section's names and search paths.
struct ElfDependencies {
    std::filesystem::path path;
    ElfArch arch;
    bool is_static = false;            // no .dynamic: needs nothing
    std::vector<std::string> needed;   // DT_NEEDED, in file order (the loader's order)
    std::vector<std::string> rpath;    // DT_RPATH, each entry a ':'-separated list, as written
    std::vector<std::string> runpath;  // DT_RUNPATH, likewise
    std::string soname;                // DT_SONAME, empty when absent
};

// Thrown for ELF files that are valid but not programs (objects, core dumps): an error when the user
// names the file, a skipped file when it is found inside a folder or manifest.
struct NotAProgram : InputError {
    using InputError::InputError;
};

// True when the file starts with the ELF magic (any ELF, including objects and core files).
bool has_elf_magic(const std::filesystem::path& path);

// Reads an executable or shared library. Throws InputError (one line: file, what is wrong,
// what to do) for missing, non-ELF, truncated or corrupted files and for relocatable objects.
ElfSymbols read_elf_symbols(const std::filesystem::path& path);

// read_elf_symbols() for one file among many (an app's inputs): the file is opened once and nullopt
// returned when it is no ELF file at all (not a regular file, unreadable, no ELF magic), where
// has_elf_magic() would say false. Imports are interned in `names`, each once, in id order; the
// definitions are not stored but shown to `definitions` (nullptr: not read at all).
// `known_regular`: the caller has just seen by stat() that it is a regular file (a folder walk or
// an app's collection has), and none is made again.
std::optional<ElfSymbols> read_elf_imports(const std::filesystem::path& path, const std::shared_ptr<SymbolNames>& names,
                                           DefinitionSink* definitions, bool known_regular = false);

// The definitions of a file read_elf_imports() read before, shown to `sink` again (its imports not
// kept): checking the few definitions a later file's imports asked for. Only the names `sink`
// asks for by their hash are read, through program.definition_tables where they are usable.
void read_elf_definitions(const ElfSymbols& program, DefinitionSink& sink);

// Reads DT_NEEDED, DT_RPATH, DT_RUNPATH and DT_SONAME of an executable or shared library. Throws
// InputError like read_elf_symbols(), also for string offsets outside the dynamic string table.
ElfDependencies read_elf_dependencies(const std::filesystem::path& path);

// NUL-terminated strings in the file's read-only data that look like C identifiers: the names a
// program may pass to dlsym().
std::vector<std::string> read_rodata_identifiers(const std::filesystem::path& path);

// NUL-terminated strings in the file's read-only data that look like what a program passes to
// dlopen(): library names ("libfoo.so", "libbar.so.2", "foo.so") and folders of modules
// ("lib-dynload/", "/usr/lib/app/plugins").
std::vector<std::string> read_rodata_library_hints(const std::filesystem::path& path);

// Whether a relocatable object was compiled with -ffunction-sections (has ".text.<name>" sections).
bool has_per_function_sections(const std::filesystem::path& object_path);

}  // namespace osv
