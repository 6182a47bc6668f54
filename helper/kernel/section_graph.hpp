// The kernel link as a graph of input sections, read with libelf from the link's objects and
// archive members: a section references the section that defines each of its relocations'
// targets (globals resolved across files, a strong definition over a weak one, else the first).
// Liveness from the linker's roots models ld's --gc-sections; what the model cannot see (merged
// strings, relaxation, linker-made sections) is measured from the linker's own map instead
// (link_map.hpp), and the two are compared in the report.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace osv {

enum class SectionKind { text, rodata, data, bss, eh_frame, other };
inline constexpr int section_kind_count = 6;
const char* to_string(SectionKind kind);
// The kind of an input or output section, by name first (".text.foo", ".rodata.str1.1"), then flags.
SectionKind section_kind(std::string_view name, std::uint64_t flags, std::uint32_t type);

// The OSv component of a link input, from its path relative to the link's folder: "core",
// "fs/zfs", "bsd", "drivers", "libc", "musl", "arch", "external/<name>", "libstdc++", "libgcc", ...
std::string component_of(std::string_view input_path);

struct GraphSection {
    std::uint32_t file = 0;       // index into SectionGraph::files
    std::string name;
    SectionKind kind = SectionKind::other;
    std::uint64_t size = 0;       // sh_size in the object (strings before merging)
    std::uint64_t eh_frame = 0;   // bytes of the FDEs describing this section
};

struct GraphFile {
    std::string name;             // as the linker names it: "build/x.o", "lib.a(member.o)"
    std::string component;
};

struct SectionGraph {
    std::vector<GraphFile> files;
    std::vector<GraphSection> sections;
    std::vector<std::vector<std::uint32_t>> references;            // per section
    std::unordered_map<std::string, std::uint32_t> definitions;    // global symbol -> section
    std::set<std::string> hidden;                                  // globals with hidden visibility somewhere
    std::multimap<std::string, std::uint32_t> local_symbols;       // for --why lookups
    std::vector<std::uint32_t> keep_roots;                         // KEEP, notes, init arrays, __start_/__stop_
    std::optional<std::uint32_t> entry;                            // the section of the entry symbol
    std::map<std::string, std::string> script_aliases;             // name = target; from the linker scripts
};

struct GraphInputs {
    std::filesystem::path cwd;                       // the link's folder: names are relative to it
    std::vector<std::string> objects_and_archives;   // in link order, as written in the link command
    std::set<std::string> loaded_members;            // "archive(member)" the linker pulled in
    std::vector<std::filesystem::path> linker_scripts;  // -T and the scripts they INCLUDE
    std::vector<std::string> keep_patterns;          // section globs inside KEEP(...)
    std::vector<std::string> discard_patterns;       // section globs inside /DISCARD/
    std::string entry_symbol;
};

// Reads every object and loaded archive member. Throws InputError for unreadable files.
SectionGraph build_section_graph(const GraphInputs& inputs);

// Linker-script facts the graph needs: KEEP patterns, ENTRY, and `name = target;` aliases.
void read_linker_script_facts(const std::filesystem::path& script, GraphInputs& into,
                              std::map<std::string, std::string>& aliases);

// The roots of one link: the graph's keep roots and entry, plus the sections of the exported names.
struct RootSet {
    std::vector<std::uint32_t> sections;
    std::vector<std::string> labels;   // why each is a root ("export puts", "KEEP .init_array")
};
// Exported = in `exports` (a version script's globals), defined, not hidden.
RootSet roots_for(const SectionGraph& graph, const std::vector<std::string>& exports, bool with_keep_roots = true);
// The section defining a global (through script aliases), if any.
std::optional<std::uint32_t> defining_section(const SectionGraph& graph, const std::string& name);

// Live sections: everything reachable from these roots.
std::vector<bool> live_sections(const SectionGraph& graph, const std::vector<std::uint32_t>& roots);

// One shortest reference chain from any root to a section matching `name` (a symbol, a section
// name, or an input file or component): sections from the root to the match; empty if none live.
struct Chain {
    bool known = false;                 // NAME names something in the link at all
    std::string root_label;
    std::vector<std::uint32_t> sections;
};
Chain why_live(const SectionGraph& graph, const RootSet& roots, const std::string& name);

}  // namespace osv
