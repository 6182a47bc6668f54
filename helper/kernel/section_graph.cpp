#include "section_graph.hpp"

#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <regex>
#include <sstream>

#include "error.hpp"
#include "libelf_support.hpp"
#include "text_input.hpp"

namespace osv {

const char* to_string(SectionKind kind) {
    switch (kind) {
        case SectionKind::text: return "text";
        case SectionKind::rodata: return "rodata";
        case SectionKind::data: return "data";
        case SectionKind::bss: return "bss";
        case SectionKind::eh_frame: return "eh_frame";
        case SectionKind::other: return "other";
    }
    return "other";
}

SectionKind section_kind(std::string_view name, std::uint64_t flags, std::uint32_t type) {
    const auto starts = [&](std::string_view prefix) { return name.substr(0, prefix.size()) == prefix; };
    if (!(flags & SHF_ALLOC)) return SectionKind::other;
    if (starts(".eh_frame")) return SectionKind::eh_frame;
    if (type == SHT_NOBITS) return SectionKind::bss;
    if (flags & SHF_EXECINSTR) return SectionKind::text;
    if (starts(".rodata") || starts(".gcc_except_table")) return SectionKind::rodata;
    if (starts(".dyn") || starts(".hash") || starts(".gnu.hash") || starts(".rela") || starts(".interp") ||
        starts(".note") || starts(".start32") || starts(".stapsdt") || starts(".got"))
        return SectionKind::other;
    if (flags & SHF_WRITE) return SectionKind::data;
    return SectionKind::other;
}

std::string component_of(std::string_view input_path) {
    std::string path(input_path);
    if (const auto open = path.find('('); open != std::string::npos && path.back() == ')') path.resize(open);
    const std::string file = std::filesystem::path(path).filename().string();
    if (file.size() > 2 && file.ends_with(".a")) {
        if (file.starts_with("libstdc++")) return "libstdc++";
        if (file.starts_with("libgcc")) return "libgcc";
        if (file.starts_with("libboost")) return "boost";
        return file.substr(0, file.size() - 2);
    }
    // OSv's objects live under build/<mode>.<arch>/ in the link's folder.
    static const std::regex build_prefix("^(\\./)?build/[^/]+/");
    path = std::regex_replace(path, build_prefix, "");
    std::vector<std::string> parts;
    for (std::size_t start = 0; start <= path.size();) {
        const std::size_t slash = std::min(path.find('/', start), path.size());
        parts.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    if (parts.size() == 1) return file == "bootfs.o" ? "bootfs" : "core";
    const std::string& top = parts[0];
    if (top == "fs") return parts.size() > 2 ? "fs/" + parts[1] : "fs";
    if (top == "external") {
        if (parts.size() > 3 && (parts[1] == "x64" || parts[1] == "aarch64")) return "external/" + parts[2];
        return parts.size() > 2 ? "external/" + parts[1] : "external";
    }
    return top;
}

namespace {

class FileHandle {
public:
    explicit FileHandle(const std::filesystem::path& path) : path_(path) {
        initialize_libelf_once();
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) throw InputError(quoted_path(path) + ": cannot open: " + file_error_text(errno) + "; check the kit's inputs");
        elf_ = elf_begin(fd_, ELF_C_READ_MMAP, nullptr);
        if (!elf_) throw InputError(quoted_path(path) + ": cannot read as ELF or archive: " + libelf_error());
    }
    ~FileHandle() {
        if (elf_) elf_end(elf_);
        if (fd_ >= 0) ::close(fd_);
    }
    FileHandle(const FileHandle&) = delete;
    FileHandle& operator=(const FileHandle&) = delete;
    Elf* get() const { return elf_; }
    int fd() const { return fd_; }

private:
    std::filesystem::path path_;
    int fd_ = -1;
    Elf* elf_ = nullptr;
};

struct Builder {
    SectionGraph& graph;
    std::set<std::string> seen_groups;
    std::set<std::string> start_stop_wanted;  // X of referenced __start_X / __stop_X
    std::set<std::string> weak_definitions;
    struct PendingReloc {
        std::uint32_t from;
        std::uint32_t file;
        std::string global;      // a global target, resolved once every file is read
    };
    std::vector<PendingReloc> pending;

    [[noreturn]] void corrupt(const std::string& name, const std::string& what) {
        throw InputError(name + ": corrupted ELF object (" + what + "); rebuild or re-copy it");
    }

    void read_object(Elf* elf, const std::string& name) {
        if (elf_kind(elf) != ELF_K_ELF) return;
        GElf_Ehdr ehdr;
        if (!gelf_getehdr(elf, &ehdr)) corrupt(name, "bad ELF header: " + libelf_error());
        if (ehdr.e_type != ET_REL) return;
        std::size_t shstrndx = 0, count = 0;
        if (elf_getshdrstrndx(elf, &shstrndx) != 0 || elf_getshdrnum(elf, &count) != 0)
            corrupt(name, "no section table: " + libelf_error());
        const auto file = static_cast<std::uint32_t>(graph.files.size());
        graph.files.push_back({name, component_of(name)});

        std::vector<GElf_Shdr> headers(count);
        std::vector<std::string> names(count);
        for (std::size_t i = 1; i < count; ++i) {
            Elf_Scn* scn = elf_getscn(elf, i);
            if (!scn || !gelf_getshdr(scn, &headers[i])) corrupt(name, "bad section header");
            const char* text = elf_strptr(elf, shstrndx, headers[i].sh_name);
            if (!text) corrupt(name, "bad section name offset");
            names[i] = text;
        }
        // Symbol table.
        std::size_t symtab = 0;
        for (std::size_t i = 1; i < count; ++i)
            if (headers[i].sh_type == SHT_SYMTAB) symtab = i;
        std::vector<GElf_Sym> symbols;
        std::vector<std::string> symbol_names;
        if (symtab) {
            Elf_Data* data = elf_getdata(elf_getscn(elf, symtab), nullptr);
            const std::size_t entsize = gelf_fsize(elf, ELF_T_SYM, 1, EV_CURRENT);
            if (!data || headers[symtab].sh_entsize != entsize) corrupt(name, "bad symbol table");
            const std::size_t n = data->d_size / entsize;
            symbols.resize(n);
            symbol_names.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                if (!gelf_getsym(data, static_cast<int>(i), &symbols[i])) corrupt(name, "bad symbol");
                const char* text = elf_strptr(elf, headers[symtab].sh_link, symbols[i].st_name);
                if (!text) corrupt(name, "bad symbol name offset");
                symbol_names[i] = text;
            }
        }
        // COMDAT groups: a signature seen before means this copy is discarded.
        std::vector<bool> discarded(count, false);
        for (std::size_t i = 1; i < count; ++i) {
            if (headers[i].sh_type != SHT_GROUP) continue;
            Elf_Data* data = elf_getdata(elf_getscn(elf, i), nullptr);
            if (!data || data->d_size < 4 || headers[i].sh_info >= symbol_names.size()) corrupt(name, "bad section group");
            const auto* words = static_cast<const std::uint32_t*>(data->d_buf);
            if (!(words[0] & GRP_COMDAT)) continue;
            if (seen_groups.insert(symbol_names[headers[i].sh_info]).second) continue;
            for (std::size_t w = 1; w < data->d_size / 4; ++w)
                if (words[w] < count) discarded[words[w]] = true;
        }
        // Nodes: allocated sections with content or space.
        std::vector<std::int64_t> node(count, -1);
        for (std::size_t i = 1; i < count; ++i) {
            const GElf_Shdr& shdr = headers[i];
            // Notes are kept whether allocated or not (ld.bfd: `.note.stapsdt` lands in `.note`).
            if (discarded[i] || !((shdr.sh_flags & SHF_ALLOC) || shdr.sh_type == SHT_NOTE) || shdr.sh_type == SHT_GROUP ||
                matches(discard_patterns, names[i]))
                continue;
            node[i] = static_cast<std::int64_t>(graph.sections.size());
            GraphSection section;
            section.file = file;
            section.name = names[i];
            section.kind = section_kind(names[i], shdr.sh_flags, shdr.sh_type);
            section.size = section.kind == SectionKind::eh_frame ? 0 : shdr.sh_size;  // FDEs go to their code
            graph.sections.push_back(std::move(section));
            graph.references.emplace_back();
            if (shdr.sh_type == SHT_NOTE || shdr.sh_type == SHT_INIT_ARRAY || shdr.sh_type == SHT_FINI_ARRAY ||
                shdr.sh_type == SHT_PREINIT_ARRAY || keep(names[i]))
                if (!names[i].starts_with(".eh_frame")) graph.keep_roots.push_back(static_cast<std::uint32_t>(node[i]));
        }
        // Definitions.
        std::vector<std::int64_t> symbol_node(symbols.size(), -1);
        for (std::size_t i = 1; i < symbols.size(); ++i) {
            const GElf_Sym& sym = symbols[i];
            const int bind = GELF_ST_BIND(sym.st_info);
            const std::string& symbol = symbol_names[i];
            if (GELF_ST_VISIBILITY(sym.st_other) == STV_HIDDEN && bind != STB_LOCAL && !symbol.empty())
                graph.hidden.insert(symbol);
            if (sym.st_shndx == SHN_UNDEF) {
                if (symbol.starts_with("__start_")) start_stop_wanted.insert(symbol.substr(8));
                if (symbol.starts_with("__stop_")) start_stop_wanted.insert(symbol.substr(7));
                continue;
            }
            if (sym.st_shndx >= count || node[sym.st_shndx] < 0) continue;
            const auto section = static_cast<std::uint32_t>(node[sym.st_shndx]);
            symbol_node[i] = section;
            if (symbol.empty() || GELF_ST_TYPE(sym.st_info) == STT_SECTION) continue;
            if (bind == STB_LOCAL) {
                graph.local_symbols.emplace(symbol, section);
                continue;
            }
            const bool weak = bind == STB_WEAK;
            const auto existing = graph.definitions.find(symbol);
            if (existing == graph.definitions.end()) {
                graph.definitions.emplace(symbol, section);
                if (weak) weak_definitions.insert(symbol);
            } else if (!weak && weak_definitions.erase(symbol)) {
                existing->second = section;
            }
        }
        // Relocations: edges from the section they patch.
        for (std::size_t i = 1; i < count; ++i) {
            const GElf_Shdr& shdr = headers[i];
            if (shdr.sh_type != SHT_RELA && shdr.sh_type != SHT_REL) continue;
            if (shdr.sh_info >= count || node[shdr.sh_info] < 0 || shdr.sh_link != symtab) continue;
            const auto from = static_cast<std::uint32_t>(node[shdr.sh_info]);
            const bool rela = shdr.sh_type == SHT_RELA;
            const std::size_t entsize = gelf_fsize(elf, rela ? ELF_T_RELA : ELF_T_REL, 1, EV_CURRENT);
            Elf_Data* data = elf_getdata(elf_getscn(elf, i), nullptr);
            if (!data || shdr.sh_entsize != entsize) corrupt(name, "bad relocation section " + names[i]);
            const std::size_t n = data->d_size / entsize;
            std::vector<std::pair<std::uint64_t, std::size_t>> by_offset;  // for .eh_frame
            for (std::size_t r = 0; r < n; ++r) {
                GElf_Rela rel{};
                if (rela) {
                    if (!gelf_getrela(data, static_cast<int>(r), &rel)) corrupt(name, "bad relocation");
                } else {
                    GElf_Rel plain;
                    if (!gelf_getrel(data, static_cast<int>(r), &plain)) corrupt(name, "bad relocation");
                    rel.r_offset = plain.r_offset;
                    rel.r_info = plain.r_info;
                }
                const std::size_t s = GELF_R_SYM(rel.r_info);
                if (s == 0 || s >= symbols.size()) continue;
                by_offset.emplace_back(rel.r_offset, s);
            }
            if (graph.sections[from].kind == SectionKind::eh_frame) {
                read_eh_frame(elf, shdr.sh_info, by_offset, symbols, symbol_names, symbol_node, file);
                continue;
            }
            for (const auto& [offset, s] : by_offset) add_reference(from, file, symbols[s], symbol_names[s], symbol_node[s]);
        }
    }

    void add_reference(std::uint32_t from, std::uint32_t file, const GElf_Sym& sym, const std::string& symbol,
                       std::int64_t own_node) {
        if (GELF_ST_BIND(sym.st_info) == STB_LOCAL) {
            if (own_node >= 0) graph.references[from].push_back(static_cast<std::uint32_t>(own_node));
            return;
        }
        pending.push_back({from, file, symbol});
    }

    // ld keeps .eh_frame and drops the FDEs of dead code; an FDE's other references (its LSDA in
    // .gcc_except_table, its CIE's personality routine) live only while its function does. So the
    // FDE's bytes and references are charged to the section its pc_begin points into.
    void read_eh_frame(Elf* elf, std::size_t index, std::vector<std::pair<std::uint64_t, std::size_t>>& relocs,
                       const std::vector<GElf_Sym>& symbols, const std::vector<std::string>& symbol_names,
                       const std::vector<std::int64_t>& symbol_node, std::uint32_t file) {
        Elf_Data* data = elf_getdata(elf_getscn(elf, index), nullptr);
        if (!data || !data->d_buf) return;
        std::sort(relocs.begin(), relocs.end());
        const auto* bytes = static_cast<const unsigned char*>(data->d_buf);
        const std::size_t size = data->d_size;
        std::map<std::uint64_t, std::vector<std::size_t>> cie_relocs;  // CIE offset -> relocated symbols
        std::size_t cursor = 0;
        auto relocs_in = [&](std::uint64_t begin, std::uint64_t end) {
            std::vector<std::pair<std::uint64_t, std::size_t>> found;
            auto it = std::lower_bound(relocs.begin(), relocs.end(), std::make_pair(begin, std::size_t{0}));
            for (; it != relocs.end() && it->first < end; ++it) found.push_back(*it);
            return found;
        };
        while (cursor + 8 <= size) {
            std::uint32_t length = 0, id = 0;
            std::memcpy(&length, bytes + cursor, 4);
            if (length == 0 || length == 0xffffffff || cursor + 4 + length > size) break;
            std::memcpy(&id, bytes + cursor + 4, 4);
            const std::uint64_t begin = cursor, end = cursor + 4 + length;
            const auto inside = relocs_in(begin, end);
            if (id == 0) {
                for (const auto& [offset, s] : inside) cie_relocs[begin].push_back(s);
            } else if (!inside.empty() && inside.front().first == begin + 8) {
                const std::int64_t code = symbol_node[inside.front().second];
                if (code >= 0) {
                    const auto target = static_cast<std::uint32_t>(code);
                    graph.sections[target].eh_frame += length + 4;
                    for (std::size_t k = 1; k < inside.size(); ++k)
                        add_reference(target, file, symbols[inside[k].second], symbol_names[inside[k].second],
                                      symbol_node[inside[k].second]);
                    const std::uint64_t cie = begin + 4 - id;
                    for (const std::size_t s : cie_relocs[cie]) add_reference(target, file, symbols[s], symbol_names[s], symbol_node[s]);
                }
            }
            cursor = end;
        }
    }

    std::vector<std::string> keep_patterns;
    std::vector<std::string> discard_patterns;
    static bool matches(const std::vector<std::string>& patterns, const std::string& section) {
        for (const auto& pattern : patterns)
            if (fnmatch(pattern.c_str(), section.c_str(), 0) == 0) return true;
        return false;
    }
    bool keep(const std::string& section) const { return matches(keep_patterns, section); }

    void finish() {
        for (const auto& reloc : pending) {
            const auto found = graph.definitions.find(reloc.global);
            if (found != graph.definitions.end()) graph.references[reloc.from].push_back(found->second);
        }
        pending.clear();
        for (auto& refs : graph.references) {
            std::sort(refs.begin(), refs.end());
            refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
        }
        // ld keeps every section named X (a C identifier) when __start_X or __stop_X is referenced.
        for (std::uint32_t i = 0; i < graph.sections.size(); ++i)
            if (start_stop_wanted.count(graph.sections[i].name)) graph.keep_roots.push_back(i);
        std::sort(graph.keep_roots.begin(), graph.keep_roots.end());
        graph.keep_roots.erase(std::unique(graph.keep_roots.begin(), graph.keep_roots.end()), graph.keep_roots.end());
    }
};

std::string strip_comments(std::string text) {
    for (std::size_t open = text.find("/*"); open != std::string::npos; open = text.find("/*", open)) {
        const std::size_t close = text.find("*/", open + 2);
        text.erase(open, close == std::string::npos ? std::string::npos : close + 2 - open);
    }
    return text;
}

}  // namespace

void read_linker_script_facts(const std::filesystem::path& script, GraphInputs& into,
                              std::map<std::string, std::string>& aliases) {
    const std::string text = strip_comments(read_text_file(script));
    static const std::regex keep_block("KEEP\\s*\\(\\s*\\*\\s*\\(([^)]*(\\([^)]*\\)[^)]*)*)\\)\\s*\\)");
    for (std::sregex_iterator it(text.begin(), text.end(), keep_block), end; it != end; ++it) {
        std::string inner = (*it)[1].str();
        // SORT_BY_INIT_PRIORITY(.init_array.*) and the like: the pattern is inside.
        inner = std::regex_replace(inner, std::regex("[A-Z_]+\\s*\\(([^)]*)\\)"), "$1");
        std::istringstream words(inner);
        for (std::string word; words >> word;) into.keep_patterns.push_back(word);
    }
    // /DISCARD/ : { *(.note.gnu.property) }
    static const std::regex discard("/DISCARD/\\s*:\\s*\\{([^}]*)\\}");
    for (std::sregex_iterator it(text.begin(), text.end(), discard), end; it != end; ++it) {
        static const std::regex inner_pattern("\\*\\s*\\(([^)]*)\\)");
        const std::string block = (*it)[1].str();
        for (std::sregex_iterator p(block.begin(), block.end(), inner_pattern); p != end; ++p) {
            std::istringstream words((*p)[1].str());
            for (std::string word; words >> word;) into.discard_patterns.push_back(word);
        }
    }
    static const std::regex entry("ENTRY\\s*\\(\\s*([A-Za-z0-9_.$]+)\\s*\\)");
    std::smatch match;
    if (std::regex_search(text, match, entry)) into.entry_symbol = match[1].str();
    // name = target;  and PROVIDE[_HIDDEN](name = target ...): the first identifier of the value.
    static const std::regex assignment("(^|[;{(\\s])([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*([A-Za-z_][A-Za-z0-9_]*)");
    for (std::sregex_iterator it(text.begin(), text.end(), assignment), end; it != end; ++it)
        aliases.emplace((*it)[2].str(), (*it)[3].str());
}

SectionGraph build_section_graph(const GraphInputs& inputs) {
    SectionGraph graph;
    Builder builder{graph, {}, {}, {}, {}, inputs.keep_patterns, inputs.discard_patterns};
    for (const auto& input : inputs.objects_and_archives) {
        const std::filesystem::path path = inputs.cwd / input;
        FileHandle handle(path);
        if (elf_kind(handle.get()) == ELF_K_AR) {
            Elf* member = nullptr;
            while ((member = elf_begin(handle.fd(), ELF_C_READ_MMAP, handle.get())) != nullptr) {
                Elf_Arhdr* header = elf_getarhdr(member);
                if (header && header->ar_name && header->ar_name[0] != '/') {
                    const std::string name = input + "(" + header->ar_name + ")";
                    if (inputs.loaded_members.count(name)) builder.read_object(member, name);
                }
                elf_next(member);
                elf_end(member);
            }
        } else {
            builder.read_object(handle.get(), input);
        }
    }
    builder.finish();
    for (const auto& script : inputs.linker_scripts) {
        GraphInputs ignored;
        read_linker_script_facts(script, ignored, graph.script_aliases);
    }
    if (!inputs.entry_symbol.empty()) graph.entry = defining_section(graph, inputs.entry_symbol);
    return graph;
}

std::optional<std::uint32_t> defining_section(const SectionGraph& graph, const std::string& name) {
    std::string current = name;
    for (int depth = 0; depth < 8; ++depth) {
        if (const auto found = graph.definitions.find(current); found != graph.definitions.end()) return found->second;
        const auto alias = graph.script_aliases.find(current);
        if (alias == graph.script_aliases.end()) break;
        current = alias->second;
    }
    return std::nullopt;
}

RootSet roots_for(const SectionGraph& graph, const std::vector<std::string>& exports, bool with_keep_roots) {
    RootSet roots;
    if (with_keep_roots) {
        if (graph.entry) {
            roots.sections.push_back(*graph.entry);
            roots.labels.push_back("entry");
        }
        for (const auto section : graph.keep_roots) {
            roots.sections.push_back(section);
            roots.labels.push_back("kept " + graph.sections[section].name);
        }
    }
    for (const auto& name : exports) {
        if (graph.hidden.count(name)) continue;
        if (const auto section = defining_section(graph, name)) {
            roots.sections.push_back(*section);
            roots.labels.push_back("export " + name);
        }
    }
    return roots;
}

std::vector<bool> live_sections(const SectionGraph& graph, const std::vector<std::uint32_t>& roots) {
    std::vector<bool> live(graph.sections.size(), false);
    std::vector<std::uint32_t> stack;
    for (const auto root : roots)
        if (!live[root]) {
            live[root] = true;
            stack.push_back(root);
        }
    while (!stack.empty()) {
        const auto section = stack.back();
        stack.pop_back();
        for (const auto next : graph.references[section])
            if (!live[next]) {
                live[next] = true;
                stack.push_back(next);
            }
    }
    return live;
}

Chain why_live(const SectionGraph& graph, const RootSet& roots, const std::string& name) {
    std::set<std::uint32_t> targets;
    if (const auto section = defining_section(graph, name)) targets.insert(*section);
    for (auto [it, end] = graph.local_symbols.equal_range(name); it != end; ++it) targets.insert(it->second);
    if (targets.empty())
        for (std::uint32_t i = 0; i < graph.sections.size(); ++i)
            if (graph.sections[i].name == name) targets.insert(i);
    if (targets.empty())
        for (std::uint32_t i = 0; i < graph.sections.size(); ++i) {
            const GraphFile& file = graph.files[graph.sections[i].file];
            if (file.component == name || file.name == name || file.name.find(name) != std::string::npos)
                targets.insert(i);
        }
    if (targets.empty()) return {};
    // Breadth first from every root at once: the first target reached has a shortest chain.
    std::vector<std::int64_t> parent(graph.sections.size(), -2);
    std::vector<std::size_t> root_of(graph.sections.size(), 0);
    std::deque<std::uint32_t> queue;
    for (std::size_t r = 0; r < roots.sections.size(); ++r) {
        const auto section = roots.sections[r];
        if (parent[section] != -2) continue;
        parent[section] = -1;
        root_of[section] = r;
        queue.push_back(section);
    }
    while (!queue.empty()) {
        const auto section = queue.front();
        queue.pop_front();
        if (targets.count(section)) {
            Chain chain;
            chain.known = true;
            chain.root_label = roots.labels[root_of[section]];
            for (std::int64_t at = section; at >= 0; at = parent[static_cast<std::size_t>(at)])
                chain.sections.push_back(static_cast<std::uint32_t>(at));
            std::reverse(chain.sections.begin(), chain.sections.end());
            return chain;
        }
        for (const auto next : graph.references[section])
            if (parent[next] == -2) {
                parent[next] = section;
                root_of[next] = root_of[section];
                queue.push_back(next);
            }
    }
    Chain dead;
    dead.known = true;
    return dead;
}

}  // namespace osv
