// The honest limit for `osv-symbols version-script`: the least work any libelf program must do to
// find which kernel exports an app needs. Each file is opened once; .dynsym's undefined global and
// weak names (versions stripped) and, in executables, the symbols of copy relocations go into one
// hash set, which is intersected with the exports and printed sorted. No diagnostics, no unresolved
// names, no report: what the helper does beyond this is its overhead, and bench/analysis.sh
// measures it as a ratio to this program.
//
// Usage: needed_limit EXPORTS FILE...   (EXPORTS: one name a line, '#' comments, as all.symbols)
// Files that are not executables or shared libraries are skipped, as are glibc's own libraries
// (the helper skips them too: OSv's kernel provides them), so the output equals the names of the
// helper's version script for the same files.
// Build: c++ -std=c++20 -O2 needed_limit.cpp -o needed_limit -lelf
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace {

// The same list as the helper's is_provided_by_osv_kernel() (library_closure.cpp).
bool is_kernel_library(std::string_view path) {
    const std::string_view file = path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
    static constexpr std::string_view names[] = {
        "libc.so.6",  "libm.so.6",      "libpthread.so.0", "libdl.so.2",          "librt.so.1",
        "libresolv.so.2", "libcrypt.so.1", "libutil.so", "libaio.so.1", "libxenstore.so.3.0",
        "libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1"};
    if (std::find(std::begin(names), std::end(names), file) != std::end(names)) return true;
    return file.starts_with("ld-linux") && file.find(".so.") != std::string_view::npos;
}

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

Elf_Scn* section_of_type(Elf* elf, GElf_Word type, GElf_Shdr& shdr) {
    for (Elf_Scn* s = elf_nextscn(elf, nullptr); s; s = elf_nextscn(elf, s))
        if (gelf_getshdr(s, &shdr) && shdr.sh_type == type) return s;
    return nullptr;
}

// A PIE without an interpreter relocates itself (static-pie) and imports nothing.
bool says_pie(Elf* elf) {
    GElf_Shdr shdr;
    Elf_Scn* dynamic = section_of_type(elf, SHT_DYNAMIC, shdr);
    Elf_Data* data = dynamic ? elf_getdata(dynamic, nullptr) : nullptr;
    if (!data || shdr.sh_entsize == 0) return false;
    GElf_Dyn dyn;
    for (int i = 0; static_cast<std::size_t>(i) < data->d_size / shdr.sh_entsize && gelf_getdyn(data, i, &dyn); ++i) {
        if (dyn.d_tag == DT_NULL) break;
        if (dyn.d_tag == DT_FLAGS_1 && (dyn.d_un.d_val & DF_1_PIE)) return true;
    }
    return false;
}

void add_imports(Elf* elf, std::unordered_set<std::string>& needed) {
    GElf_Ehdr ehdr;
    if (!gelf_getehdr(elf, &ehdr) || (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN)) return;
    bool dynamic = false, interpreter = false;
    std::size_t count = 0;
    elf_getphdrnum(elf, &count);
    for (std::size_t i = 0; i < count; ++i) {
        GElf_Phdr phdr;
        if (!gelf_getphdr(elf, static_cast<int>(i), &phdr)) continue;
        dynamic |= phdr.p_type == PT_DYNAMIC;
        interpreter |= phdr.p_type == PT_INTERP;
    }
    if (!dynamic) return;
    const bool executable = ehdr.e_type == ET_EXEC || interpreter;
    if (!executable && says_pie(elf)) return;

    GElf_Shdr dynsym_header;
    Elf_Scn* dynsym = section_of_type(elf, SHT_DYNSYM, dynsym_header);
    Elf_Data* symbols = dynsym ? elf_getdata(dynsym, nullptr) : nullptr;
    if (!symbols || dynsym_header.sh_entsize == 0) return;
    const std::size_t symbol_count = symbols->d_size / dynsym_header.sh_entsize;

    std::vector<bool> copied;  // executables only: shared libraries have no copy relocations
    const unsigned copy_type = executable ? copy_relocation_type(ehdr.e_machine) : 0;
    for (Elf_Scn* s = copy_type ? elf_nextscn(elf, nullptr) : nullptr; s; s = elf_nextscn(elf, s)) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(s, &shdr) || (shdr.sh_type != SHT_RELA && shdr.sh_type != SHT_REL) ||
            shdr.sh_link != elf_ndxscn(dynsym) || shdr.sh_entsize == 0)
            continue;
        Elf_Data* data = elf_getdata(s, nullptr);
        if (!data) continue;
        for (int i = 0; static_cast<std::size_t>(i) < data->d_size / shdr.sh_entsize; ++i) {
            GElf_Rela rela;
            GElf_Rel rel;
            GElf_Xword info = 0;
            if (shdr.sh_type == SHT_RELA && gelf_getrela(data, i, &rela)) info = rela.r_info;
            else if (shdr.sh_type == SHT_REL && gelf_getrel(data, i, &rel)) info = rel.r_info;
            if (GELF_R_TYPE(info) != copy_type || GELF_R_SYM(info) >= symbol_count) continue;
            copied.resize(symbol_count);
            copied[GELF_R_SYM(info)] = true;
        }
    }

    for (int i = 1; static_cast<std::size_t>(i) < symbol_count; ++i) {
        GElf_Sym sym;
        if (!gelf_getsym(symbols, i, &sym)) continue;
        const int binding = GELF_ST_BIND(sym.st_info), type = GELF_ST_TYPE(sym.st_info);
        if (binding != STB_GLOBAL && binding != STB_WEAK && binding != STB_GNU_UNIQUE) continue;
        if (type == STT_SECTION || type == STT_FILE) continue;
        if (sym.st_shndx != SHN_UNDEF && (copied.empty() || !copied[i])) continue;
        const char* name = elf_strptr(elf, dynsym_header.sh_link, sym.st_name);
        if (!name) continue;
        const std::string_view text = name;
        const std::string_view plain = text.substr(0, text.find('@'));
        if (!plain.empty()) needed.emplace(plain);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: needed_limit EXPORTS FILE...\n");
        return 2;
    }
    elf_version(EV_CURRENT);
    std::unordered_set<std::string> needed;
    for (int a = 2; a < argc; ++a) {
        if (is_kernel_library(argv[a])) continue;
        const int fd = open(argv[a], O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        if (Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr)) {
            if (elf_kind(elf) == ELF_K_ELF) add_imports(elf, needed);
            elf_end(elf);
        }
        close(fd);
    }
    std::ifstream exports(argv[1]);
    std::vector<std::string> script;
    for (std::string line; std::getline(exports, line);) {
        line = line.substr(0, line.find('#'));
        const auto first = line.find_first_not_of(" \t\r"), last = line.find_last_not_of(" \t\r");
        if (first == std::string::npos) continue;
        std::string name = line.substr(first, last - first + 1);
        name = name.substr(0, name.find('@'));
        if (needed.count(name)) script.push_back(std::move(name));
    }
    std::sort(script.begin(), script.end());
    script.erase(std::unique(script.begin(), script.end()), script.end());
    for (const auto& name : script) std::printf("%s\n", name.c_str());
    return 0;
}
