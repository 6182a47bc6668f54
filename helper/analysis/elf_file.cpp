#include "elf_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>

#include "error.hpp"
#include "file_head.hpp"
#include "guarded_mapping.hpp"
#include "libelf_support.hpp"
#include "text_input.hpp"

namespace osv {
namespace {

// RAII over the file descriptor and the Elf handle; every failure names the file.
class ElfHandle {
public:
    // With `is_elf`, a file that is no ELF file at all (not regular, unreadable, no magic) sets it
    // false and leaves the handle empty instead of failing: one open serves the check and the read.
    // `known_regular`: the caller's stat() said a regular file, so none is made again before open().
    explicit ElfHandle(const std::filesystem::path& path, bool* is_elf = nullptr, bool known_regular = false)
        : path_(path) {
        // A failure after open() or elf_begin() throws from the constructor, where no destructor
        // runs: release here, or every bad file leaks a descriptor (a folder walk runs out).
        try {
            open(is_elf, known_regular, true);
        } catch (...) {
            release();
            throw;
        }
    }
    // The file opened without libelf (get() is null): for reading tables whose place is known.
    struct WithoutLibelf {};
    ElfHandle(const std::filesystem::path& path, WithoutLibelf) : path_(path) {
        try {
            open(nullptr, false, false);  // a stat() first, as for any file named: never a pipe or device opened
        } catch (...) {
            release();
            throw;
        }
    }
    ~ElfHandle() { release(); }
    ElfHandle(const ElfHandle&) = delete;
    ElfHandle& operator=(const ElfHandle&) = delete;

    Elf* get() const { return elf_; }
    int fd() const { return fd_; }
    // Whether a section's bytes lie inside the file (its size when opened).
    bool inside_file(const GElf_Shdr& shdr) const {
        return shdr.sh_offset <= file_size_ && shdr.sh_size <= file_size_ - shdr.sh_offset;
    }
    // Checked before a section header's size is trusted for anything: a corrupted sh_size must not
    // turn into a huge allocation.
    void require_inside_file(const GElf_Shdr& shdr, std::string_view what) const {
        if (!inside_file(shdr)) corrupt(std::string(what) + " unreadable: the file ends inside it");
    }
    const std::filesystem::path& path() const { return path_; }
    // The file opened, as fstat() said when it was.
    const struct stat& status() const { return status_; }

    // Reads the bytes [offset, offset + size) at once, for the reads inside them that follow
    // (copy_read_ahead()): a library's dynamic-linking tables lie side by side, and one read of them
    // replaces five. A short read (the file shrank) keeps nothing: the reads then say what is wrong.
    void read_ahead(std::uint64_t offset, std::size_t size) const {
        ahead_.reset(new char[size]);  // uninitialized: pread() writes every byte kept
        const ssize_t got = ::pread(fd_, ahead_.get(), size, static_cast<off_t>(offset));
        ahead_size_ = got == static_cast<ssize_t>(size) ? size : 0;
        ahead_offset_ = offset;
    }
    bool copy_read_ahead(void* into, std::size_t size, std::uint64_t offset) const {
        if (offset < ahead_offset_ || offset - ahead_offset_ > ahead_size_ || size > ahead_size_ - (offset - ahead_offset_))
            return false;
        std::memcpy(into, ahead_.get() + (offset - ahead_offset_), size);
        return true;
    }

    [[noreturn]] void fail(const std::string& what) const { throw InputError(quoted_path(path_) + ": " + what); }
    [[noreturn]] void corrupt(const std::string& what) const {
        fail("corrupted ELF file (" + what + "); rebuild or re-copy it");
    }

    GElf_Ehdr header() const {
        GElf_Ehdr ehdr;
        if (!gelf_getehdr(elf_, &ehdr)) corrupt("bad ELF header: " + libelf_error());
        return ehdr;
    }

    std::size_t section_name_index() const {
        std::size_t index = 0;
        if (elf_getshdrstrndx(elf_, &index) != 0) corrupt("no section name table: " + libelf_error());
        return index;
    }

    GElf_Shdr section_header(Elf_Scn* section) const {
        GElf_Shdr shdr;
        if (!gelf_getshdr(section, &shdr)) corrupt("bad section header: " + libelf_error());
        return shdr;
    }

    Elf_Data* section_data(Elf_Scn* section, std::string_view what) const {
        Elf_Data* data = elf_getdata(section, nullptr);
        if (!data) corrupt(std::string(what) + " unreadable: " + libelf_error());
        return data;
    }

    // The entry size of a table section (.dynsym, .dynamic, relocations), checked against what its
    // header claims: with another size every entry past the first would be misread.
    std::size_t checked_entry_size(const GElf_Shdr& shdr, Elf_Type type, std::string_view what) const {
        const std::size_t entry_size = gelf_fsize(elf_, type, 1, EV_CURRENT);
        if (shdr.sh_entsize != entry_size) corrupt(std::string(what) + " has a wrong entry size");
        return entry_size;
    }

    // A table whose names live in another section: sh_link must name an existing section.
    void check_string_table_link(const GElf_Shdr& shdr, std::string_view what) const {
        std::size_t section_count = 0;
        if (elf_getshdrnum(elf_, &section_count) != 0 || shdr.sh_link == 0 || shdr.sh_link >= section_count)
            corrupt(std::string(what) + " links to no string table");
    }

    // Never lets a NULL from elf_strptr escape: a bad offset is a corrupted file.
    std::string_view string_at(std::size_t string_section, std::size_t offset, std::string_view what) const {
        const char* text = elf_strptr(elf_, string_section, offset);
        if (!text) corrupt("invalid string offset in " + std::string(what));
        return text;
    }

private:
    void open(bool* is_elf, bool known_regular, bool with_libelf) {
        if (with_libelf) initialize_libelf_once();
        // One stat(), never an open() of a pipe (it would block) or a device. O_NONBLOCK too: a file
        // known regular may have been replaced by a pipe since; the fstat() below then refuses it.
        if (!known_regular) {
            struct stat status;
            const bool exists = ::stat(path_.c_str(), &status) == 0;
            if (is_elf && !(exists && S_ISREG(status.st_mode))) return void(*is_elf = false);
            if (exists && S_ISDIR(status.st_mode)) fail("is a directory, expected an ELF file");
            if (exists && !S_ISREG(status.st_mode)) fail("not a regular file (a pipe or device?); pass an ELF file");
        }
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (is_elf && fd_ < 0) return void(*is_elf = false);
        if (fd_ < 0) fail(std::string("cannot open: ") + file_error_text(errno) + "; check the path");
        // The file's size, against which every section read in pieces is checked before its header's
        // size is trusted (libelf checked that when it read whole sections). fstat(), not stat(): the
        // file opened, whatever the path names by now.
        if (::fstat(fd_, &status_) != 0) fail(std::string("cannot read: ") + std::strerror(errno));
        if (!S_ISREG(status_.st_mode)) {
            if (is_elf) return void((*is_elf = false, release()));
            fail("not a regular file (a pipe or device?); pass an ELF file");
        }
        file_size_ = static_cast<std::uint64_t>(status_.st_size);
        if (!with_libelf) return;
        // ELF_C_READ (pread on demand), not ELF_C_READ_MMAP: a file that shrinks while it is read
        // (rebuilt by a concurrent build) is then a short read and a clear error, not a SIGBUS.
        elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
        if (is_elf) {
            // libelf has read the identification: only what it takes for no ELF file is looked at
            // again, for the magic that tells a file that is none from a damaged one (a read of
            // every file less, 1,500 in a library folder).
            char magic[SELFMAG] = {};
            *is_elf = (elf_ && elf_kind(elf_) == ELF_K_ELF) ||
                      (::pread(fd_, magic, SELFMAG, 0) == SELFMAG && std::memcmp(magic, ELFMAG, SELFMAG) == 0);
            if (!*is_elf) return release();
        }
        if (!elf_) fail("cannot read as ELF: " + libelf_error() + "; is the file truncated?");
        if (elf_kind(elf_) != ELF_K_ELF) fail("not an ELF file; pass an executable or shared library");
    }
    void release() {
        if (elf_) elf_end(elf_);
        elf_ = nullptr;
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    // The caller's path, not a copy (a path copies its split components too): a handle lives inside
    // the call that names the file.
    const std::filesystem::path& path_;
    int fd_ = -1;
    struct stat status_ = {};
    std::uint64_t file_size_ = 0;
    Elf* elf_ = nullptr;
    mutable std::unique_ptr<char[]> ahead_;  // ahead_size_ bytes of the file from ahead_offset_ on (read_ahead())
    mutable std::size_t ahead_size_ = 0;
    mutable std::uint64_t ahead_offset_ = 0;
};

struct ProgramHeaderFacts {
    bool has_dynamic = false;
    bool has_interpreter = false;
};

ProgramHeaderFacts read_program_headers(const ElfHandle& elf) {
    std::size_t count = 0;
    if (elf_getphdrnum(elf.get(), &count) != 0) elf.corrupt("bad program header count: " + libelf_error());
    ProgramHeaderFacts facts;
    for (std::size_t i = 0; i < count; ++i) {
        GElf_Phdr phdr;
        if (!gelf_getphdr(elf.get(), static_cast<int>(i), &phdr)) elf.corrupt("bad program header: " + libelf_error());
        if (phdr.p_type == PT_DYNAMIC) facts.has_dynamic = true;
        if (phdr.p_type == PT_INTERP) facts.has_interpreter = true;
    }
    return facts;
}

Elf_Scn* find_section_of_type(const ElfHandle& elf, GElf_Word type) {
    for (Elf_Scn* section = elf_nextscn(elf.get(), nullptr); section; section = elf_nextscn(elf.get(), section))
        if (elf.section_header(section).sh_type == type) return section;
    return nullptr;
}

bool dynamic_flags_say_pie(const ElfHandle& elf) {
    Elf_Scn* section = find_section_of_type(elf, SHT_DYNAMIC);
    if (!section) return false;
    const GElf_Shdr shdr = elf.section_header(section);
    const std::size_t entry_size = elf.checked_entry_size(shdr, ELF_T_DYN, ".dynamic");
    Elf_Data* data = elf.section_data(section, ".dynamic");
    const std::size_t count = data->d_size / entry_size;
    for (std::size_t i = 0; i < count; ++i) {
        GElf_Dyn dyn;
        if (!gelf_getdyn(data, static_cast<int>(i), &dyn)) elf.corrupt("bad .dynamic entry");
        if (dyn.d_tag == DT_NULL) break;
        if (dyn.d_tag == DT_FLAGS_1 && (dyn.d_un.d_val & DF_1_PIE)) return true;
    }
    return false;
}

// Reads `size` bytes at `offset` of the file, or says that `what` is unreadable.
void read_exactly(const ElfHandle& elf, void* into, std::size_t size, std::uint64_t offset, std::string_view what) {
    if (elf.copy_read_ahead(into, size, offset)) return;
    const ssize_t got = ::pread(elf.fd(), into, size, static_cast<off_t>(offset));
    if (got != static_cast<ssize_t>(size))
        elf.corrupt(std::string(what) + " unreadable: " + (got < 0 ? std::strerror(errno) : "the file ends inside it"));
}

// A name a .dynsym walk (or the version definitions) wants read: where it starts in the string
// table, and what it is for.
struct NameWanted {
    enum class Use : std::uint8_t { import, weak_import, definition, absolute_definition, version };
    std::uint32_t offset;  // st_name, vda_name: 32 bits in both classes
    Use use;
};

// A string table's names, read by offset through a window of the table: never the whole table at
// once (ceph's .dynstr alone is 3.2 MB, which libelf would hold on the heap for the file's whole
// reading, the peak of a library folder's analysis). A table that fits one window is read once, for
// every call; a bigger one is read in offset order, a window at a time; a file read again for a few
// names (`window_size` small) reads little around each. Checked as elf_strptr() checks: a string
// table, every offset inside it, a NUL before its end.
class StringTableReader {
public:
    StringTableReader(const ElfHandle& elf, std::size_t index, std::string_view what, std::size_t window_size)
        : elf_(elf), index_(index), what_(what), window_size_(window_size) {}
    // A table whose place in the file is known (a file read before): no section header is asked.
    StringTableReader(const ElfHandle& elf, std::uint64_t file_offset, std::uint64_t size, std::string_view what,
                      std::size_t window_size)
        : elf_(elf), index_(0), what_(what), window_size_(window_size), known_place_(true), file_offset_(file_offset),
          table_size_(size) {}

    std::size_t index() const { return index_; }
    // Where the table lies in the file: its offset and size, or false for a section that is no
    // string table.
    bool place(std::uint64_t& file_offset, std::uint64_t& size) {
        if (!find_place()) return false;
        file_offset = file_offset_;
        size = table_size_;
        return true;
    }

    // Calls `each(wanted, name)` for every name of `wanted`, which it may reorder. A view lives
    // during the call only.
    template <typename Each>
    void read(std::vector<NameWanted>& wanted, Each each) {
        if (wanted.empty()) return;
        if (!window_) open();
        if (table_size_ > window_size_)
            std::sort(wanted.begin(), wanted.end(), [](const NameWanted& a, const NameWanted& b) { return a.offset < b.offset; });
        for (const NameWanted& name : wanted) {
            const std::uint64_t at = name.offset;
            if (at >= table_size_) bad();
            const char* nul = nul_in_window(at);
            if (!nul) {  // the window moves on to start at this name
                window_start_ = at;
                window_length_ = static_cast<std::size_t>(std::min<std::uint64_t>(window_size_, table_size_ - at));
                read_at(at, window_length_, window_.get());
                nul = nul_in_window(at);
            }
            const char* text = window_.get() + (at - window_start_);
            if (nul)
                each(name, std::string_view(text, static_cast<std::size_t>(nul - text)));
            else
                each(name, std::string_view(long_name(text)));
        }
    }

private:
    [[noreturn]] void bad() const { elf_.corrupt("invalid string offset in " + std::string(what_)); }
    void read_at(std::uint64_t at, std::size_t size, char* into) const { read_exactly(elf_, into, size, file_offset_ + at, what_); }
    bool find_place() {
        if (known_place_) return true;
        Elf_Scn* section = elf_getscn(elf_.get(), index_);
        GElf_Shdr shdr;
        if (!section || !gelf_getshdr(section, &shdr) || shdr.sh_type != SHT_STRTAB) return false;
        file_offset_ = shdr.sh_offset;
        table_size_ = shdr.sh_size;
        known_place_ = true;
        return true;
    }
    void open() {
        if (!find_place()) bad();
        // Left uninitialized: pread() writes every byte used (a vector would zero them first).
        window_.reset(new char[static_cast<std::size_t>(std::min<std::uint64_t>(window_size_, table_size_))]);
        if (table_size_ <= window_size_) {  // most files: the table in one read, the names in any order
            window_length_ = static_cast<std::size_t>(table_size_);
            read_at(0, window_length_, window_.get());
        }
    }
    const char* nul_in_window(std::uint64_t at) const {
        if (at < window_start_ || at >= window_start_ + window_length_) return nullptr;
        const std::size_t from = static_cast<std::size_t>(at - window_start_);
        return static_cast<const char*>(std::memchr(window_.get() + from, 0, window_length_ - from));
    }
    // A name running past the window's end (longer than a window, or cut by the table's end).
    const std::string& long_name(const char* text) {
        long_name_.assign(text, window_length_ - static_cast<std::size_t>(text - window_.get()));
        for (std::uint64_t next = window_start_ + window_length_;;) {
            if (next >= table_size_) bad();  // no NUL before the end of the table
            char piece[4096];
            const auto size = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof piece, table_size_ - next));
            read_at(next, size, piece);
            const void* end = std::memchr(piece, 0, size);
            long_name_.append(piece, end ? static_cast<std::size_t>(static_cast<const char*>(end) - piece) : size);
            if (end) return long_name_;
            next += size;
        }
    }

    const ElfHandle& elf_;
    std::size_t index_;
    std::string_view what_;
    std::size_t window_size_;
    bool known_place_ = false;
    GElf_Off file_offset_ = 0;
    std::uint64_t table_size_ = 0;
    std::unique_ptr<char[]> window_;  // the table's bytes [window_start_, window_start_ + window_length_)
    std::uint64_t window_start_ = 0;
    std::size_t window_length_ = 0;
    std::string long_name_;
};

// Names of version definitions (verdef): glibc-like libraries define them as absolute symbols,
// which are not functions or data anyone can import. `strings`: the file's symbol names, read
// through it where the versions' names live there too (they do: .dynstr), with no read of their own.
std::set<std::string, std::less<>> version_definition_names(const ElfHandle& elf, StringTableReader& strings) {
    std::set<std::string, std::less<>> names;
    Elf_Scn* section = find_section_of_type(elf, SHT_GNU_verdef);
    if (!section) return names;
    const GElf_Shdr shdr = elf.section_header(section);
    Elf_Data* data = elf.section_data(section, ".gnu.version_d");
    std::vector<NameWanted> wanted;
    std::size_t offset = 0;
    for (GElf_Word i = 0; i < shdr.sh_info; ++i) {
        GElf_Verdef verdef;
        if (offset >= data->d_size || !gelf_getverdef(data, static_cast<int>(offset), &verdef))
            elf.corrupt("bad version definition");
        std::size_t aux_offset = offset + verdef.vd_aux;
        GElf_Verdaux verdaux;
        if (verdef.vd_cnt > 0) {
            if (aux_offset >= data->d_size || !gelf_getverdaux(data, static_cast<int>(aux_offset), &verdaux))
                elf.corrupt("bad version definition name");
            if (strings.index() == shdr.sh_link)
                wanted.push_back({verdaux.vda_name, NameWanted::Use::version});
            else
                names.emplace(elf.string_at(shdr.sh_link, verdaux.vda_name, ".gnu.version_d"));
        }
        if (verdef.vd_next == 0) break;
        offset += verdef.vd_next;
    }
    strings.read(wanted, [&](const NameWanted&, std::string_view name) { names.emplace(name); });
    return names;
}

// The relocation type by which an executable copies a library's data object into its own .bss
// (stdout, environ, optind...): the symbol then looks defined in the executable, yet the loader
// must find it in the kernel. 0 where unknown.
unsigned copy_relocation_type(int machine) {
    switch (machine) {
        case EM_X86_64: return R_X86_64_COPY;
        case EM_386: return R_386_COPY;
        case EM_AARCH64: return R_AARCH64_COPY;
        case EM_ARM: return R_ARM_COPY;
        case EM_RISCV: return R_RISCV_COPY;
        case EM_PPC64: return R_PPC64_COPY;
        case EM_S390: return R_390_COPY;
        default: return 0;
    }
}

// Which .dynsym entries (by index) are the symbols of a copy relocation.
std::vector<bool> copy_relocated_symbols(const ElfHandle& elf, std::size_t dynsym_index, int machine,
                                         std::size_t symbol_count) {
    std::vector<bool> found;
    const unsigned copy_type = copy_relocation_type(machine);
    if (copy_type == 0) return found;
    for (Elf_Scn* section = elf_nextscn(elf.get(), nullptr); section; section = elf_nextscn(elf.get(), section)) {
        const GElf_Shdr shdr = elf.section_header(section);
        if ((shdr.sh_type != SHT_RELA && shdr.sh_type != SHT_REL) || shdr.sh_link != dynsym_index) continue;
        const bool rela = shdr.sh_type == SHT_RELA;
        const std::size_t entry_size = elf.checked_entry_size(shdr, rela ? ELF_T_RELA : ELF_T_REL, "a dynamic relocation section");
        Elf_Data* data = elf.section_data(section, "dynamic relocations");
        const std::size_t count = data->d_size / entry_size;
        for (std::size_t i = 0; i < count; ++i) {
            GElf_Xword info = 0;
            if (rela) {
                GElf_Rela relocation;
                if (!gelf_getrela(data, static_cast<int>(i), &relocation)) elf.corrupt("bad relocation entry");
                info = relocation.r_info;
            } else {
                GElf_Rel relocation;
                if (!gelf_getrel(data, static_cast<int>(i), &relocation)) elf.corrupt("bad relocation entry");
                info = relocation.r_info;
            }
            // gelf_getrel/gelf_getrela give 32-bit files' r_info in the 64-bit layout too: decode it
            // with the GELF (64-bit) macros whatever the class, never ELF32_R_SYM.
            const auto type = GELF_R_TYPE(info);
            const auto symbol = GELF_R_SYM(info);
            if (type != copy_type || symbol >= symbol_count) continue;
            found.resize(symbol_count);
            found[symbol] = true;
        }
    }
    return found;
}

// A separate debug-info file (objcopy --only-keep-debug, /usr/lib/debug/...) keeps a program's
// headers but turns its sections into NOBITS: it looks dynamically linked and has no symbols.
// Not a program: skipped in folder walks, and named plainly when given as an input.
void refuse_split_debug_file(const ElfHandle& elf) {
    const std::size_t names = elf.section_name_index();
    for (Elf_Scn* section = elf_nextscn(elf.get(), nullptr); section; section = elf_nextscn(elf.get(), section)) {
        const GElf_Shdr shdr = elf.section_header(section);
        if (shdr.sh_type != SHT_NOBITS) continue;
        const std::string_view name = elf.string_at(names, shdr.sh_name, "section names");
        if (name == ".dynsym" || name == ".dynamic")
            throw NotAProgram(quoted_path(elf.path()) + ": is a separate debug-info file (its " + std::string(name) +
                              " holds no data), not an executable or shared library; pass the program it belongs to");
    }
}

// The byte order a file's tables are in when it is this machine's: they are read as they lie.
constexpr int native_byte_order = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;

// 32-bit words of a file in the other byte order, turned into this machine's in place.
void swap_words(std::uint32_t* begin, std::uint32_t* end) {
    std::transform(begin, end, begin, [](std::uint32_t word) { return __builtin_bswap32(word); });
}

// Where a file's .gnu.hash keeps the GNU hashes of its .dynsym entries from `first` on, one 32-bit
// word each (bit 0: the last of a chain). The loader finds definitions by these hashes; the reader
// checks definitions by them without reading their names. Read a piece at a time with the entries.
struct GnuHashChains {
    std::uint64_t file_offset = 0;  // of the chain word of entry `first`
    std::size_t first = 0, end = 0;  // the entries hashed; none: no .gnu.hash (or one for another table)
    bool swapped = false;            // the file's byte order is not this machine's

    bool holds(std::size_t index) const { return index >= first && index < end; }
    // The words of entries [from, to) that the table holds, into `words` (indexed from `from`).
    void read(const ElfHandle& elf, std::size_t from, std::size_t to, std::vector<std::uint32_t>& words) const {
        const std::size_t begin = std::max(from, first), stop = std::min(to, end);
        if (begin >= stop) return;
        words.resize(to - from);
        std::uint32_t* at = words.data() + (begin - from);
        read_exactly(elf, at, (stop - begin) * 4, file_offset + (begin - first) * 4, ".gnu.hash");
        if (swapped) swap_words(at, at + (stop - begin));
    }
};

GnuHashChains read_gnu_hash_chains(const ElfHandle& elf, std::size_t dynsym_index, std::size_t symbol_count,
                                   int elf_class, bool swapped) {
    GnuHashChains chains;
    Elf_Scn* section = find_section_of_type(elf, SHT_GNU_HASH);
    if (!section) return chains;
    const GElf_Shdr shdr = elf.section_header(section);
    if (shdr.sh_link != dynsym_index) return chains;  // hashes of another table: the names serve
    // nbuckets, symoffset, bloom words, bloom shift; the bloom filter (words of the class's size);
    // the buckets; then one chain word per entry from symoffset on. Linkers hash every entry from
    // symoffset to the end of .dynsym, but leave the chains out when none of them is defined (a
    // library importing only): entries past the chains are read by name.
    const std::uint64_t words = shdr.sh_size / 4;
    if (words < 4) elf.corrupt(".gnu.hash is shorter than its header");
    std::uint32_t header[4];
    read_exactly(elf, header, sizeof header, shdr.sh_offset, ".gnu.hash");
    if (swapped) swap_words(header, header + 4);
    const std::uint64_t buckets = header[0], first = header[1], bloom_words = header[2];
    if (first > symbol_count) elf.corrupt(".gnu.hash starts past the end of .dynsym");
    const std::uint64_t chain_start = 4 + bloom_words * (elf_class == ELFCLASS64 ? 2 : 1) + buckets;
    if (chain_start > words) elf.corrupt(".gnu.hash is shorter than its bloom filter and buckets");
    chains.file_offset = shdr.sh_offset + chain_start * 4;
    chains.first = static_cast<std::size_t>(first);
    chains.end = chains.first + static_cast<std::size_t>(std::min<std::uint64_t>(words - chain_start, symbol_count - first));
    chains.swapped = swapped;
    return chains;
}

// Calls `each(index, symbol)` for .dynsym entries `first` to `count` - 1 (never entry 0, the reserved
// null symbol), read a piece at a time into this machine's layout, with the entry's .gnu.hash chain
// word where `chains` holds the entry (0 elsewhere): each(index, symbol, chain_word). Never the whole
// table at once: libelf would hold a big C++ library's .dynsym (1.1 MB for ceph's) on the heap for
// the file's reading, and the holes such buffers leave behind were 1.5 MB of a library folder's
// peak. A file in this machine's byte order is read as it lies; another is translated by libelf.
template <typename Sym, typename Each>
void for_each_dynamic_symbol(const ElfHandle& elf, std::uint64_t file_offset, std::size_t first, std::size_t count,
                             bool swapped, const GnuHashChains& chains, DefinitionSink* definitions, Each each) {
    constexpr std::size_t piece = 1024;  // 24 KB of Elf64_Sym
    const std::size_t from = std::max<std::size_t>(first, 1);
    // Buffers left uninitialized: pread() writes every byte used (a vector would zero them first).
    const std::size_t capacity = std::min(count - std::min(from, count), piece);
    const std::unique_ptr<Sym[]> symbols(new Sym[capacity]);
    const std::unique_ptr<char[]> raw(swapped ? new char[capacity * sizeof(Sym)] : nullptr);
    std::vector<std::uint32_t> chain_words;
    for (std::size_t start = from; start < count; start += piece) {
        const std::size_t size = std::min(piece, count - start);
        const std::uint64_t offset = file_offset + start * sizeof(Sym);
        if (!swapped) {
            read_exactly(elf, symbols.get(), size * sizeof(Sym), offset, ".dynsym");
        } else {
            read_exactly(elf, raw.get(), size * sizeof(Sym), offset, ".dynsym");
            Elf_Data file{}, memory{};
            file.d_buf = raw.get();
            file.d_type = ELF_T_SYM;
            file.d_size = size * sizeof(Sym);
            file.d_version = EV_CURRENT;
            memory.d_buf = symbols.get();
            memory.d_size = size * sizeof(Sym);
            memory.d_version = EV_CURRENT;
            if (!gelf_xlatetom(elf.get(), &memory, &file, native_byte_order == ELFDATA2LSB ? ELFDATA2MSB : ELFDATA2LSB))
                elf.corrupt(".dynsym unreadable: " + libelf_error());
        }
        chains.read(elf, start, start + size, chain_words);
        if (definitions)  // the piece's definitions are looked up by hash next: start loading their slots
            for (std::size_t i = 0; i < size; ++i)
                if (symbols[i].st_shndx != SHN_UNDEF && chains.holds(start + i)) definitions->prefetch(chain_words[i]);
        for (std::size_t i = 0; i < size; ++i)
            each(start + i, symbols[i], chains.holds(start + i) ? chain_words[i] : std::uint32_t{0});
    }
}

// .dynsym, its string table, .gnu.hash and the version definitions, read at once where they lie
// within 64 KiB of each other (most libraries: the linker puts them side by side): one read instead
// of one a table. A bigger span is read table by table, a piece at a time, as before. Returns the
// span read (offset, size), a size of 0 for none.
std::pair<std::uint64_t, std::uint64_t> read_dynamic_tables_ahead(const ElfHandle& elf, const GElf_Shdr& dynsym) {
    constexpr std::uint64_t most = 64 * 1024;
    std::uint64_t begin = dynsym.sh_offset, end = dynsym.sh_offset + dynsym.sh_size;
    const auto include = [&](Elf_Scn* section) {
        if (!section) return;
        const GElf_Shdr shdr = elf.section_header(section);
        if (shdr.sh_type == SHT_NOBITS || !elf.inside_file(shdr)) return;
        begin = std::min<std::uint64_t>(begin, shdr.sh_offset);
        end = std::max<std::uint64_t>(end, shdr.sh_offset + shdr.sh_size);
    };
    include(elf_getscn(elf.get(), dynsym.sh_link));
    include(find_section_of_type(elf, SHT_GNU_HASH));
    include(find_section_of_type(elf, SHT_GNU_verdef));
    if (end - begin > most) return {0, 0};
    elf.read_ahead(begin, static_cast<std::size_t>(end - begin));
    return {begin, end - begin};
}

// The file fstat() described, as DefinitionTables keeps it.
DefinitionTables::FileIdentity identity_of(const struct stat& status) {
    const auto nanoseconds = [](const struct timespec& time) {
        return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
    };
    return {static_cast<std::uint64_t>(status.st_dev), static_cast<std::uint64_t>(status.st_ino),
            static_cast<std::uint64_t>(status.st_size), nanoseconds(status.st_mtim), nanoseconds(status.st_ctim)};
}

// A symbol a name can be imported or defined by: global, weak or unique, no section or file symbol.
template <typename Sym>
bool is_named_symbol(const Sym& sym) {
    const int binding = GELF_ST_BIND(sym.st_info);
    const int type = GELF_ST_TYPE(sym.st_info);
    return (binding == STB_GLOBAL || binding == STB_WEAK || binding == STB_GNU_UNIQUE) && type != STT_SECTION &&
           type != STT_FILE;
}

// A symbol's name as the reader shows it: without its version. Names go into version scripts, lists
// and reports one a line: what would split one is refused. (A definition skipped by its hash is
// never read: it is only ever compared, never written.)
std::string_view checked_symbol_name(const ElfHandle& elf, std::string_view raw) {
    const std::string_view name = without_symbol_version(raw);
    if (!is_writable_symbol_name(name)) throw InputError(unwritable_name_message(elf.path().string(), name));
    return name;
}

// `names` null: the imports are not kept (read_elf_definitions()), only the definitions shown.
void read_dynamic_symbols(const ElfHandle& elf, ElfSymbols& result, SymbolNames* names, DefinitionSink* definitions) {
    Elf_Scn* section = find_section_of_type(elf, SHT_DYNSYM);
    if (!section) {
        if (result.is_static) return;
        // Only now, not for every file: a split debug file's .dynsym is NOBITS, so it has no
        // SHT_DYNSYM section, and telling it apart takes the section names (one more read).
        refuse_split_debug_file(elf);
        elf.corrupt("dynamically linked but has no .dynsym section");
    }
    const GElf_Shdr shdr = elf.section_header(section);
    const std::size_t entry_size = elf.checked_entry_size(shdr, ELF_T_SYM, ".dynsym");
    elf.check_string_table_link(shdr, ".dynsym");
    elf.require_inside_file(shdr, ".dynsym");  // before a copy-relocation table of that many entries, say
    const std::size_t count = static_cast<std::size_t>(shdr.sh_size / entry_size);
    const GElf_Ehdr ehdr = elf.header();
    if (ehdr.e_ident[EI_DATA] != ELFDATA2LSB && ehdr.e_ident[EI_DATA] != ELFDATA2MSB) elf.corrupt("unknown byte order");
    const bool swapped = ehdr.e_ident[EI_DATA] != native_byte_order;
    const auto [span_offset, span_size] = read_dynamic_tables_ahead(elf, shdr);
    // Only executables have copy relocations: a shared library's own data is never copied into it.
    const bool executable = result.kind == ElfKind::executable || result.kind == ElfKind::pie_executable;
    const auto copied = executable ? copy_relocated_symbols(elf, elf_ndxscn(section), result.arch.machine, count)
                                   : std::vector<bool>{};
    const GnuHashChains chains =
        definitions ? read_gnu_hash_chains(elf, elf_ndxscn(section), count, result.arch.elf_class, swapped) : GnuHashChains{};
    // Read again (no `names`) with .gnu.hash: only the few names whose hash an open import has are
    // wanted, each read with a little around it.
    StringTableReader strings(elf, shdr.sh_link, ".dynstr", !names && chains.end > chains.first ? 256 : 64 * 1024);
    const auto skip_names = version_definition_names(elf, strings);

    // Whether read_elf_definitions() may read this file's definitions again from DefinitionTables.
    bool tables_tell_all = names && result.kind == ElfKind::shared_library && !swapped && chains.end > chains.first;

    // The walk notes which names it needs; they are read afterwards, in the table's order.
    std::vector<NameWanted> wanted;
    const auto note = [&](std::size_t i, const auto& sym, std::uint32_t chain_word) {
        if (!is_named_symbol(sym)) return;
        const bool is_copied = !copied.empty() && copied[i];
        if (sym.st_shndx == SHN_UNDEF || is_copied) {
            if (!names) return;
            const bool weak = GELF_ST_BIND(sym.st_info) == STB_WEAK && !is_copied;
            wanted.push_back({sym.st_name, weak ? NameWanted::Use::weak_import : NameWanted::Use::import});
            return;
        }
        if (!definitions) return;
        const bool absolute = sym.st_shndx == SHN_ABS;  // version definitions among them: by name
        if (!absolute && !chains.holds(i)) tables_tell_all = false;
        if (!absolute && chains.holds(i) && !definitions->hashed(chain_word)) return;
        wanted.push_back({sym.st_name, absolute ? NameWanted::Use::absolute_definition : NameWanted::Use::definition});
    };
    if (result.arch.elf_class == ELFCLASS64)
        for_each_dynamic_symbol<Elf64_Sym>(elf, shdr.sh_offset, 1, count, swapped, chains, definitions, note);
    else
        for_each_dynamic_symbol<Elf32_Sym>(elf, shdr.sh_offset, 1, count, swapped, chains, definitions, note);

    std::vector<std::pair<SymbolNames::Id, bool>> found;  // name, weak
    // Each import is interned one name late: its slot in the table is loaded while the next name is
    // read and checked (the load was most of an intern's time; 170,000 imports in a library folder).
    std::string pending_name;
    std::uint64_t pending_hash = 0;
    bool pending_weak = false, pending = false;
    const auto intern_pending = [&] {
        if (pending) found.emplace_back(names->intern(pending_name, pending_hash), pending_weak);
    };
    const auto import = [&](std::string_view name, bool weak) {
        const std::uint64_t hash = SymbolNames::hash(name);
        names->prefetch(hash);
        intern_pending();
        pending_name.assign(name);
        pending_hash = hash;
        pending_weak = weak;
        pending = true;
    };
    strings.read(wanted, [&](const NameWanted& wanted_name, std::string_view raw) {
        const std::string_view name = checked_symbol_name(elf, raw);
        if (name.empty()) return;
        switch (wanted_name.use) {
            case NameWanted::Use::import: import(name, false); break;
            case NameWanted::Use::weak_import: import(name, true); break;
            case NameWanted::Use::absolute_definition:
                if (skip_names.count(name)) break;
                tables_tell_all = false;
                [[fallthrough]];
            case NameWanted::Use::definition: definitions->defined(name); break;
            case NameWanted::Use::version: break;  // never wanted here
        }
    });
    if (!names) return;
    intern_pending();
    std::uint64_t names_offset = 0, names_size = 0;
    // (Entry numbers are kept in 32 bits: a table of more is read again the whole way.)
    if (definitions && tables_tell_all && chains.end <= UINT32_MAX && strings.place(names_offset, names_size)) {
        result.definition_tables = {.usable = true,
                                    .elf_class = static_cast<std::uint8_t>(result.arch.elf_class),
                                    .file = identity_of(elf.status()),
                                    .symbols_offset = shdr.sh_offset,
                                    .names_offset = names_offset,
                                    .names_size = names_size,
                                    .chains_offset = chains.file_offset,
                                    .chains_first = static_cast<std::uint32_t>(chains.first),
                                    .chains_end = static_cast<std::uint32_t>(chains.end),
                                    .span_offset = span_offset,
                                    .span_size = span_size};
    }

    // Each name once (foo@V1 and foo@V2 are one import), weak only when every import of it is weak.
    std::sort(found.begin(), found.end());
    result.imports.reserve(found.size());
    for (std::size_t i = 0; i < found.size(); ++i) {
        bool weak = found[i].second;
        for (; i + 1 < found.size() && found[i + 1].first == found[i].first; ++i) weak = weak && found[i + 1].second;
        result.imports.push_back({found[i].first, weak});
    }
}

// read_elf_definitions() where the first read left DefinitionTables: the file opened without libelf,
// the tables read where they were, and only the definitions .gnu.hash holds walked (absolute
// symbols are version definitions there, never imports). False, and nothing shown, when the file
// is no longer the one read.
bool read_definitions_again(const ElfSymbols& program, DefinitionSink& sink) {
    const DefinitionTables& at = program.definition_tables;
    const std::filesystem::path path(program.path);
    const ElfHandle elf(path, ElfHandle::WithoutLibelf{});
    if (identity_of(elf.status()) != at.file) return false;
    if (at.span_size > 0) elf.read_ahead(at.span_offset, static_cast<std::size_t>(at.span_size));
    GnuHashChains chains;
    chains.file_offset = at.chains_offset;
    chains.first = at.chains_first;
    chains.end = at.chains_end;
    std::vector<NameWanted> wanted;
    const auto note = [&](std::size_t i, const auto& sym, std::uint32_t chain_word) {
        if (!is_named_symbol(sym) || sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS || !chains.holds(i)) return;
        if (sink.hashed(chain_word)) wanted.push_back({sym.st_name, NameWanted::Use::definition});
    };
    // Only the entries .gnu.hash holds: every definition is one of them here.
    if (at.elf_class == ELFCLASS64)
        for_each_dynamic_symbol<Elf64_Sym>(elf, at.symbols_offset, chains.first, chains.end, false, chains, &sink, note);
    else
        for_each_dynamic_symbol<Elf32_Sym>(elf, at.symbols_offset, chains.first, chains.end, false, chains, &sink, note);
    // Only the names whose hash an open import has are wanted: each read with a little around it,
    // unless so many are that reading the table whole costs less (a read of one name costs about
    // what copying 8 KB of it does, measured: libLLVM's 800 names of its 3 MB table read one by one
    // took 2.5 times as long as reading the table whole).
    const bool dense = wanted.size() * 8 * 1024 >= at.names_size;
    StringTableReader strings(elf, at.names_offset, at.names_size, ".dynstr", dense ? 64 * 1024 : 256);
    strings.read(wanted, [&](const NameWanted&, std::string_view raw) {
        const std::string_view name = checked_symbol_name(elf, raw);
        if (!name.empty()) sink.defined(name);
    });
    return true;
}

}  // namespace

std::string ElfArch::describe() const {
    std::string text = elf_class == ELFCLASS64 ? "ELF64" : elf_class == ELFCLASS32 ? "ELF32" : "ELF?";
    switch (machine) {
        case EM_X86_64: return text + (elf_class == ELFCLASS32 ? " x86-64 (x32)" : " x86-64");  // same machine, other ABI
        case EM_386: return text + " i386";
        case EM_AARCH64: return text + " AArch64";
        case EM_ARM: return text + " ARM";
        case EM_RISCV: return text + " RISC-V";
        case EM_PPC64: return text + " PowerPC64";
        case EM_S390: return text + " s390";
        default: return text + " machine " + std::to_string(machine);
    }
}

const char* to_string(ElfKind kind) {
    switch (kind) {
        case ElfKind::executable: return "executable";
        case ElfKind::pie_executable: return "pie-executable";
        case ElfKind::shared_library: return "shared-library";
        case ElfKind::static_pie_executable: return "static-pie-executable";
    }
    return "unknown";
}

bool has_elf_magic(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return false;  // never block on a pipe
    return read_file_head(path, SELFMAG) == ELFMAG;
}

namespace {

// What read_elf_symbols() and read_elf_imports() share once the file is open.
ElfSymbols read_program(const ElfHandle& elf, const std::shared_ptr<SymbolNames>& names, DefinitionSink* definitions) {
    const std::filesystem::path& path = elf.path();
    const GElf_Ehdr ehdr = elf.header();
    ElfSymbols result;
    result.path = path;
    result.names = names;
    result.arch = {ehdr.e_ident[EI_CLASS], ehdr.e_machine};

    if (ehdr.e_type == ET_REL)
        throw NotAProgram(quoted_path(path) + ": is a relocatable object (.o), not an executable or shared library");
    if (ehdr.e_type == ET_CORE)
        throw NotAProgram(quoted_path(path) + ": is a core dump, not an executable or shared library");
    if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN)
        elf.corrupt("unknown ELF type " + std::to_string(ehdr.e_type));

    const ProgramHeaderFacts program = read_program_headers(elf);
    if (ehdr.e_type == ET_EXEC) {
        result.kind = ElfKind::executable;
        result.is_static = !program.has_dynamic;
    } else if (program.has_interpreter) {
        result.kind = ElfKind::pie_executable;
    } else if (program.has_dynamic && dynamic_flags_say_pie(elf)) {
        // PIE without an interpreter relocates itself: a static-pie, importing nothing.
        result.kind = ElfKind::static_pie_executable;
        result.is_static = true;
    } else {
        result.kind = ElfKind::shared_library;
    }
    if (result.is_static) return result;
    // The section header string table must be sane before sections are trusted.
    (void)elf.section_name_index();
    read_dynamic_symbols(elf, result, names.get(), definitions);
    return result;
}

class DefinitionList final : public DefinitionSink {
public:
    bool hashed(std::uint32_t) override { return true; }  // every name: they are kept
    void defined(std::string_view name) override { names.emplace_back(name); }
    std::vector<std::string> names;
};

}  // namespace

ElfSymbols read_elf_symbols(const std::filesystem::path& path) {
    ElfHandle elf(path);
    DefinitionList definitions;
    ElfSymbols result = read_program(elf, std::make_shared<SymbolNames>(), &definitions);
    std::sort(result.imports.begin(), result.imports.end(),
              [&](const DynamicImport& a, const DynamicImport& b) { return result.name(a) < result.name(b); });
    std::sort(definitions.names.begin(), definitions.names.end());
    definitions.names.erase(std::unique(definitions.names.begin(), definitions.names.end()), definitions.names.end());
    result.definitions = std::move(definitions.names);
    return result;
}

std::optional<ElfSymbols> read_elf_imports(const std::filesystem::path& path, const std::shared_ptr<SymbolNames>& names,
                                           DefinitionSink* definitions, bool known_regular) {
    bool is_elf = false;
    ElfHandle elf(path, &is_elf, known_regular);
    if (!is_elf) return std::nullopt;
    return read_program(elf, names, definitions);
}

void read_elf_definitions(const ElfSymbols& program, DefinitionSink& sink) {
    if (program.definition_tables.usable && read_definitions_again(program, sink)) return;
    const std::filesystem::path path(program.path);  // changed since, or a file its tables tell not all of
    ElfHandle elf(path);
    (void)read_program(elf, nullptr, &sink);
}

ElfDependencies read_elf_dependencies(const std::filesystem::path& path) {
    ElfHandle elf(path);
    const GElf_Ehdr ehdr = elf.header();
    ElfDependencies result;
    result.path = path;
    result.arch = {ehdr.e_ident[EI_CLASS], ehdr.e_machine};
    if (ehdr.e_type == ET_REL)
        throw NotAProgram(quoted_path(path) + ": is a relocatable object (.o), not an executable or shared library");
    if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN)
        throw NotAProgram(quoted_path(path) + ": is ELF type " + std::to_string(ehdr.e_type) +
                          ", not an executable or shared library");
    refuse_split_debug_file(elf);
    if (!read_program_headers(elf).has_dynamic) {
        result.is_static = true;
        return result;
    }
    (void)elf.section_name_index();
    Elf_Scn* section = find_section_of_type(elf, SHT_DYNAMIC);
    if (!section) elf.corrupt("a PT_DYNAMIC segment but no .dynamic section");
    const GElf_Shdr shdr = elf.section_header(section);
    const std::size_t entry_size = elf.checked_entry_size(shdr, ELF_T_DYN, ".dynamic");
    // The names live in the string table .dynamic links to; elf_strptr() bounds-checks every
    // offset against it (and against a missing NUL), string_at() turns a failure into an error.
    elf.check_string_table_link(shdr, ".dynamic");
    Elf_Scn* strings = elf_getscn(elf.get(), shdr.sh_link);
    if (!strings || elf.section_header(strings).sh_type != SHT_STRTAB)
        elf.corrupt(".dynamic links to a section that is not a string table");
    Elf_Data* data = elf.section_data(section, ".dynamic");
    const std::size_t count = data->d_size / entry_size;
    for (std::size_t i = 0; i < count; ++i) {
        GElf_Dyn dyn;
        if (!gelf_getdyn(data, static_cast<int>(i), &dyn)) elf.corrupt("bad .dynamic entry " + std::to_string(i));
        if (dyn.d_tag == DT_NULL) break;
        auto text = [&](const char* tag) {
            std::string value(elf.string_at(shdr.sh_link, dyn.d_un.d_val, std::string(tag) + " of .dynamic"));
            // These names end up in manifests and lists one a line: a control character would split one.
            if (std::any_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
                elf.fail(std::string(tag) + " \"" + printable_name(value) +
                         "\" has a control character, which no manifest or list can carry; rebuild or leave this file out");
            return value;
        };
        switch (dyn.d_tag) {
            case DT_NEEDED:
                result.needed.push_back(text("DT_NEEDED"));
                if (result.needed.back().empty()) elf.corrupt("an empty DT_NEEDED name");
                break;
            case DT_RPATH: result.rpath.push_back(text("DT_RPATH")); break;
            case DT_RUNPATH: result.runpath.push_back(text("DT_RUNPATH")); break;
            case DT_SONAME: result.soname = text("DT_SONAME"); break;
            default: break;
        }
    }
    return result;
}

namespace {

// The characters of what a program passes to dlopen(): letters, digits and "._-+/". A string with
// any other ("%s.so", "!/", a sentence) is no library hint, nor is one longer than
// `longest_library_hint`.
constexpr bool is_path_character(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == '+' || c == '/';
}
constexpr std::size_t longest_library_hint = 200;

// Where the next '/' or ".so" is in `bytes[from, end)`, or `end`. One pass over the bytes, 64 at a
// time: two memchr() streams (one for '/', one for '.') read a 35 MB .rodata twice, and memory
// bandwidth is what this search costs.
std::size_t next_path_mark(const char* bytes, std::size_t from, std::size_t end) {
    const auto is_mark = [&](std::size_t at) {
        return bytes[at] == '/' || (bytes[at] == '.' && at + 2 < end && bytes[at + 1] == 's' && bytes[at + 2] == 'o');
    };
    std::size_t at = from;
#ifdef __SSE2__
    const __m128i slash = _mm_set1_epi8('/'), dot = _mm_set1_epi8('.'), s = _mm_set1_epi8('s'), o = _mm_set1_epi8('o');
    // Bit i: a mark starts at bytes[offset + i]. ".so" is matched whole, from three overlapping
    // loads: a '.' alone is in most sentences and format strings, and each was a look and a
    // mispredicted branch of its own.
    const auto marks = [&](std::size_t offset) {
        const auto load = [&](std::size_t at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + at)); };
        const __m128i v = load(offset);
        const __m128i so = _mm_and_si128(_mm_cmpeq_epi8(v, dot),
                                         _mm_and_si128(_mm_cmpeq_epi8(load(offset + 1), s), _mm_cmpeq_epi8(load(offset + 2), o)));
        return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, slash), so)));
    };
    for (; at + 64 + 2 <= end; at += 64) {  // the ".so" loads reach two bytes further
        const std::uint64_t mask = marks(at) | std::uint64_t{marks(at + 16)} << 16 | std::uint64_t{marks(at + 32)} << 32 |
                                   std::uint64_t{marks(at + 48)} << 48;
        if (mask) return at + static_cast<std::size_t>(__builtin_ctzll(mask));
    }
#endif
    for (; at < end; ++at)
        if (is_mark(at)) return at;
    return end;
}

// Calls `each` for every whole NUL-terminated string of `bytes[0, end)`, which starts at the start
// of a string and ends with a NUL. With `paths_only`, only for strings of path characters, at most
// `longest_library_hint` long, holding a '/' or ".so", found by next_path_mark() instead of a look
// at every string: those are all a dlopen() argument can be, and most bytes are none.
template <typename Each>
void for_each_string(const char* bytes, std::size_t end, bool paths_only, Each& each) {
    if (!paths_only) {
        for (std::size_t start = 0; start < end;) {
            const auto* nul = static_cast<const char*>(std::memchr(bytes + start, 0, end - start));
            const std::size_t length = static_cast<std::size_t>(nul - (bytes + start));
            if (length > 0) each(std::string_view(bytes + start, length));
            start += length + 1;
        }
        return;
    }
    // Each string once, whichever of its '/' or ".so" led to it: the search goes on after its NUL.
    // A mark is mostly a byte of a binary table (libLLVM's .rodata has 115,000 '/' bytes), so the
    // string around it is given up at its first byte no path has, looking forward from the mark
    // first: the search then goes on right after that byte, not after a NUL that may lie far off.
    for (std::size_t from = 0; (from = next_path_mark(bytes, from, end)) < end;) {
        const std::size_t limit = std::min(end, from + longest_library_hint + 1);
        std::size_t stop = from;
        while (stop < limit && bytes[stop] != 0 && is_path_character(static_cast<unsigned char>(bytes[stop]))) ++stop;
        if (stop == limit || bytes[stop] != 0) {  // too long, or a byte no path has (never a mark itself)
            from = stop == limit ? stop : stop + 1;
            continue;
        }
        std::size_t start = from;
        while (start > 0 && bytes[start - 1] != 0 && is_path_character(static_cast<unsigned char>(bytes[start - 1])) &&
               stop - start < longest_library_hint)
            --start;
        if (start == 0 || bytes[start - 1] == 0) each(std::string_view(bytes + start, stop - start));
        from = stop + 1;
    }
}

// Calls `each` for every whole NUL-terminated string of a section (not a last one without its NUL).
// The section is mapped 256 KiB at a time, not read: a 35 MB .rodata (libLLVM's) is never resident
// at once, and no byte is copied (a library folder's dlopen() users have 116 MB of .rodata). The
// window is what this scan adds to the peak of a big app's memory, which it reaches here, late in
// the reading: 1 MiB windows cost 0.8 MB more, and 128 KiB ones save nothing more. `each`
// sees views into the mapping, valid during the call only.
template <typename Each>
void for_each_section_string(const ElfHandle& elf, const GElf_Shdr& shdr, std::string_view name, bool paths_only,
                             Each each) {
    const auto unreadable = [&](const std::string& why) { elf.corrupt(std::string(name) + " unreadable: " + why); };
    elf.require_inside_file(shdr, name);
    constexpr std::size_t window_size = 1 << 18;
    // `done`: where the next string starts. A window ends after its last NUL; one without a NUL (a
    // string longer than the window) is mapped again, twice as long.
    for (GElf_Xword done = 0; done < shdr.sh_size;) {
        const GElf_Xword left = shdr.sh_size - done;
        for (std::size_t size = static_cast<std::size_t>(std::min<GElf_Xword>(window_size, left));;
             size = static_cast<std::size_t>(std::min<GElf_Xword>(2 * static_cast<GElf_Xword>(size), left))) {
            std::optional<FileWindow> window;
            try {
                window.emplace(elf.fd(), shdr.sh_offset + done, size);
            } catch (const std::system_error& error) {
                unreadable(error.code().message());
            }
            std::size_t end = 0;
            const bool read = read_guarded(*window, [&] {
                const char* bytes = window->data();
                if (const void* last_nul = memrchr(bytes, 0, size)) {
                    end = static_cast<std::size_t>(static_cast<const char*>(last_nul) - bytes) + 1;
                    for_each_string(bytes, end, paths_only, each);
                }
            });
            if (!read) unreadable("the file ends inside it (it shrank while being read)");
            if (end > 0 || size == left) {
                done += end > 0 ? end : left;  // a last string without its NUL is no string
                break;
            }
        }
    }
}

// Every whole NUL-terminated string in .rodata and .rodata.* that `keep` accepts, sorted and unique.
template <typename Keep>
std::vector<std::string> read_rodata_strings(const std::filesystem::path& path, bool paths_only, Keep keep) {
    ElfHandle elf(path);
    const std::size_t names = elf.section_name_index();
    std::set<std::string, std::less<>> found;
    for (Elf_Scn* section = elf_nextscn(elf.get(), nullptr); section; section = elf_nextscn(elf.get(), section)) {
        const GElf_Shdr shdr = elf.section_header(section);
        if (shdr.sh_type != SHT_PROGBITS) continue;
        const std::string_view name = elf.string_at(names, shdr.sh_name, "section names");
        if (name != ".rodata" && !name.starts_with(".rodata.")) continue;
        for_each_section_string(elf, shdr, name, paths_only, [&](std::string_view text) {
            if (keep(text) && !found.count(text)) found.emplace(text);
        });
    }
    return {found.begin(), found.end()};
}

}  // namespace

std::vector<std::string> read_rodata_identifiers(const std::filesystem::path& path) {
    // A whole run of identifier characters, not the tail of a longer string, not starting with a digit.
    return read_rodata_strings(path, false, [](std::string_view text) {
        const auto is_identifier_char = [](unsigned char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        };
        return std::all_of(text.begin(), text.end(), is_identifier_char) && !(text[0] >= '0' && text[0] <= '9');
    });
}

std::vector<std::string> read_rodata_library_hints(const std::filesystem::path& path) {
    // Every string this accepts holds a '/' or ".so": let the reader look at those only.
    return read_rodata_strings(path, true, [](std::string_view text) {
        // Path characters only, and some letters: "libfoo.so.2", "lib-dynload/", not "!/" or "%s.so".
        std::size_t letters = 0;
        for (const unsigned char c : text) {
            if (!is_path_character(c)) return false;
            letters += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        if (letters < 3 || text.size() > longest_library_hint) return false;
        const auto file = text.substr(text.rfind('/') == std::string_view::npos ? 0 : text.rfind('/') + 1);
        const bool library = file.size() > 3 && (file.ends_with(".so") || file.find(".so.") != std::string_view::npos);
        const bool module_folder = text.find('/') != std::string_view::npos && text.find('+') == std::string_view::npos &&
                                   (text.ends_with("/") || text.find("dynload") != std::string_view::npos ||
                                    text.find("plugin") != std::string_view::npos);
        return library || module_folder;
    });
}

bool has_per_function_sections(const std::filesystem::path& object_path) {
    ElfHandle elf(object_path);
    const std::size_t names = elf.section_name_index();
    for (Elf_Scn* section = elf_nextscn(elf.get(), nullptr); section; section = elf_nextscn(elf.get(), section)) {
        const GElf_Shdr shdr = elf.section_header(section);
        if (shdr.sh_type != SHT_PROGBITS) continue;
        const std::string_view name = elf.string_at(names, shdr.sh_name, "section names");
        // gcc uses these few fixed names even without -ffunction-sections; only ".text.<function>" counts.
        static constexpr std::string_view shared_names[] = {".text.unlikely", ".text.hot", ".text.startup", ".text.exit"};
        if (name.starts_with(".text.") && std::find(std::begin(shared_names), std::end(shared_names), name) ==
                                              std::end(shared_names))
            return true;
    }
    return false;
}

}  // namespace osv
