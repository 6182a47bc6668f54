#include "explain.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <unistd.h>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "error.hpp"
#include "kit.hpp"
#include "link_map.hpp"
#include "process.hpp"
#include "relink.hpp"
#include "text_input.hpp"
#include "version_script.hpp"

namespace osv {

std::uint64_t KindSizes::total() const {
    std::uint64_t sum = 0;
    for (const auto b : bytes) sum += b;
    return sum;
}

KindSizes& KindSizes::operator+=(const KindSizes& other) {
    for (int k = 0; k < section_kind_count; ++k) bytes[k] += other.bytes[k];
    return *this;
}

namespace {

constexpr const char* padding_component = "(padding)";
constexpr const char* linker_component = "(linker)";

// Bytes ld makes itself, named by what they are for: the dynamic symbol tables (what a version
// script shrinks), the .eh_frame lookup table, and the rest (reserved space such as .tbss's).
std::string linker_part(const std::string& section) {
    if (section == ".eh_frame_hdr") return "(eh_frame_hdr)";
    if (section.starts_with(".dyn") || section.starts_with(".gnu.hash") || section == ".hash" ||
        section.starts_with(".gnu.version") || section.starts_with(".rela") || section == ".interp" ||
        section.starts_with(".got") || section.starts_with(".plt") || section == ".iplt" || section == ".igot.plt")
        return "(dynamic linking)";
    return linker_component;
}

// A scratch folder for the links, removed with everything in it.
class ScratchFolder {
public:
    ScratchFolder() {
        std::string pattern = (std::filesystem::temp_directory_path() / "osv-explain-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw InputError(std::string("cannot make a scratch folder: ") + std::strerror(errno));
        path_ = pattern;
    }
    ~ScratchFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::vector<OutputSectionSize> allocated_sections(const std::filesystem::path& path) {
    if (elf_version(EV_CURRENT) == EV_NONE) throw std::runtime_error("libelf: version mismatch");
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError(quoted_path(path) + ": cannot open the linked kernel");
    Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
    std::vector<OutputSectionSize> sections;
    std::size_t shstrndx = 0;
    if (!elf || elf_getshdrstrndx(elf, &shstrndx) != 0) {
        if (elf) elf_end(elf);
        ::close(fd);
        throw InputError(quoted_path(path) + ": the linked kernel is not a readable ELF file");
    }
    for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn; scn = elf_nextscn(elf, scn)) {
        GElf_Shdr shdr;
        if (!gelf_getshdr(scn, &shdr) || !(shdr.sh_flags & SHF_ALLOC)) continue;
        const char* name = elf_strptr(elf, shstrndx, shdr.sh_name);
        const std::string text = name ? name : "";
        sections.push_back({text, section_kind(text, shdr.sh_flags, shdr.sh_type), shdr.sh_size});
    }
    elf_end(elf);
    ::close(fd);
    return sections;
}

// Arguments of ld that take the next argument as their value (not an input file).
bool takes_value(const std::string& arg) {
    static const std::set<std::string, std::less<>> options = {"-o", "-T", "-L", "-m", "-z", "-e", "--exclude-libs",
                                                               "--script", "-Map", "-soname", "-h", "-rpath",
                                                               "-dynamic-linker", "--defsym", "-y", "-u"};
    return options.count(arg) > 0;
}

struct LinkedKernel {
    LinkMap map;
    std::vector<OutputSectionSize> sections;
    std::uint64_t stripped_size = 0;
};

LinkedKernel link_with_map(const Kit& kit, const std::filesystem::path& script, const std::filesystem::path& folder,
                           const std::string& label) {
    const std::filesystem::path output = folder / (label + ".elf");
    const std::filesystem::path map = folder / (label + ".map");
    const std::filesystem::path stripped = folder / (label + ".stripped.elf");
    std::vector<std::string> argv = link_command_for(kit.link_argv, LinkerChoice::bfd, false);
    for (auto& arg : argv) arg = fill_placeholders(arg, {{kit_output, output.string()}, {kit_version_script, script.string()}});
    argv.push_back("-Map=" + map.string());
    if (run_process(argv, kit.link_cwd, false).exit_status != 0)
        throw InputError("the kernel link with a map (ld.bfd) failed for the " + label + " kernel; its messages are above");
    if (run_process(strip_command(kit.strip_argv, output, stripped), kit.link_cwd, false).exit_status != 0)
        throw InputError("stripping the " + label + " kernel failed; its messages are above");
    LinkedKernel linked;
    linked.map = read_link_map(map);
    linked.sections = allocated_sections(output);
    linked.stripped_size = std::filesystem::file_size(stripped);
    return linked;
}

bool is_linker_made(const std::string& section);

KernelLayout layout_of(const LinkedKernel& linked, const std::string& label, std::size_t exports) {
    KernelLayout layout;
    layout.label = label;
    layout.exports = exports;
    layout.stripped_size = linked.stripped_size;
    layout.sections = linked.sections;
    std::map<std::string, SectionKind> kind_of;
    std::map<std::string, std::uint64_t> attributed;
    for (const auto& section : linked.sections) {
        kind_of[section.name] = section.kind;
        layout.totals.bytes[static_cast<int>(section.kind)] += section.size;
    }
    // ld merges duplicate strings and constants (SHF_MERGE: .rodata.str*, .rodata.cst*) but its map
    // lists their sizes before merging: an output section's savings are shared among its
    // mergeable inputs in proportion to their sizes, so the components still sum to the section.
    std::map<std::string, std::uint64_t> listed, mergeable;
    const auto is_mergeable = [](const std::string& name) {
        return name.find(".str") != std::string::npos || name.find(".cst") != std::string::npos;
    };
    for (const auto& input : linked.map.inputs) {
        listed[input.output_section] += input.size;
        if (!input.file.empty() && is_mergeable(input.section)) mergeable[input.output_section] += input.size;
    }
    std::map<std::string, std::uint64_t> size_of, merge_left;
    for (const auto& section : linked.sections) size_of[section.name] = section.size;
    for (const auto& [name, total] : listed)
        if (size_of.count(name) && total > size_of[name] && mergeable[name] > 0)
            merge_left[name] = std::min(total - size_of[name], mergeable[name]);
    std::map<std::string, std::uint64_t> merge_seen;
    for (const auto& input : linked.map.inputs) {
        const auto kind = kind_of.find(input.output_section);
        if (kind == kind_of.end()) continue;  // not allocated (.comment) or discarded
        const std::string component = input.section == "*fill*" ? padding_component
                                      : input.file.empty() || is_linker_made(input.section) ? linker_part(input.section)
                                                                 : component_of(input.file);
        std::uint64_t size = input.size;
        if (merge_left.count(input.output_section) && !input.file.empty() && is_mergeable(input.section)) {
            // Cumulative rounding, so the shares add up to the savings exactly.
            const std::uint64_t before = merge_seen[input.output_section];
            merge_seen[input.output_section] += input.size;
            const auto share = [&](std::uint64_t upto) {
                return static_cast<std::uint64_t>(static_cast<long double>(merge_left[input.output_section]) * upto /
                                                  mergeable[input.output_section]);
            };
            size -= share(merge_seen[input.output_section]) - share(before);
        }
        layout.components[component].bytes[static_cast<int>(kind->second)] += size;
        if (!input.file.empty()) layout.files[input.file].bytes[static_cast<int>(kind->second)] += size;
        attributed[input.output_section] += size;
    }
    // What the map does not list (.dynsym, .hash, reserved space in .tbss, ...) is the linker's own.
    for (const auto& section : linked.sections) {
        const std::uint64_t done = attributed[section.name];
        if (section.size > done)
            layout.components[linker_part(section.name)].bytes[static_cast<int>(section.kind)] += section.size - done;
        else if (done > section.size)  // never seen with ld.bfd 2.40: say so rather than fail
            layout.warnings.push_back("the link map lists " + std::to_string(done) + " bytes in " + section.name +
                                      ", which holds " + std::to_string(section.size) +
                                      "; its components do not sum to it");
    }
    return layout;
}

// Sections ld makes itself, which its map attributes to the first input file.
bool is_linker_made(const std::string& section) {
    static const std::set<std::string, std::less<>> names = {
        ".dynamic", ".dynsym", ".dynstr", ".hash", ".gnu.hash", ".interp", ".got", ".got.plt", ".plt", ".iplt",
        ".igot.plt", ".rela.dyn", ".rela.plt", ".rela.iplt", ".eh_frame_hdr", ".gnu.version", ".gnu.version_d",
        ".gnu.version_r", ".plt.got", ".plt.sec"};
    return names.count(section) > 0 || section.starts_with(".rela.");
}

std::string section_key(const std::string& file, const std::string& section) { return file + "\t" + section; }

ModelAgreement compare(const SectionGraph& graph, const std::vector<bool>& live, const LinkMap& map,
                       const std::vector<OutputSectionSize>& allocated, KindSizes& model_live) {
    std::set<std::string> outputs;
    for (const auto& section : allocated) outputs.insert(section.name);
    std::map<std::string, int> kept;
    std::map<std::string, std::uint64_t> kept_bytes;
    for (const auto& input : map.inputs)
        if (!input.file.empty() && input.size > 0 && outputs.count(input.output_section) && !is_linker_made(input.section) && input.section != "*fill*" && !input.section.starts_with(".eh_frame") &&
            input.output_section != "/DISCARD/") {
            ++kept[section_key(input.file, input.section)];
            kept_bytes[section_key(input.file, input.section)] += input.size;
        }
    ModelAgreement agreement;
    std::map<std::string, int> model;
    std::map<std::string, std::uint64_t> model_bytes;
    for (std::uint32_t i = 0; i < graph.sections.size(); ++i) {
        const GraphSection& section = graph.sections[i];
        if (!live[i]) continue;
        model_live.bytes[static_cast<int>(section.kind)] += section.size;
        model_live.bytes[static_cast<int>(SectionKind::eh_frame)] += section.eh_frame;
        if (section.kind == SectionKind::eh_frame || section.size == 0) continue;
        const std::string key = section_key(graph.files[section.file].name, section.name);
        ++model[key];
        model_bytes[key] += section.size;
    }
    for (const auto& [key, count] : model) {
        const auto found = kept.find(key);
        const int linker = found == kept.end() ? 0 : found->second;
        agreement.both += static_cast<std::size_t>(std::min(count, linker));
        if (count > linker) {
            agreement.model_only += static_cast<std::size_t>(count - linker);
            agreement.model_only_bytes += model_bytes[key] / static_cast<std::uint64_t>(count) * static_cast<std::uint64_t>(count - linker);
            if (agreement.model_only_examples.size() < 8) agreement.model_only_examples.push_back(key);
        }
    }
    for (const auto& [key, count] : kept) {
        const auto found = model.find(key);
        const int ours = found == model.end() ? 0 : found->second;
        if (count > ours) {
            agreement.linker_only += static_cast<std::size_t>(count - ours);
            agreement.linker_only_bytes += kept_bytes[key] / static_cast<std::uint64_t>(count) * static_cast<std::uint64_t>(count - ours);
            if (agreement.linker_only_examples.size() < 8) agreement.linker_only_examples.push_back(key);
        }
    }
    for (auto& example : agreement.model_only_examples) std::replace(example.begin(), example.end(), '\t', ' ');
    for (auto& example : agreement.linker_only_examples) std::replace(example.begin(), example.end(), '\t', ' ');
    return agreement;
}

struct Cost {
    std::uint64_t bytes = 0, text = 0;
    std::size_t sections = 0;
};

Cost cost_of_difference(const SectionGraph& graph, const std::vector<bool>& with, const std::vector<bool>& without) {
    Cost cost;
    for (std::size_t i = 0; i < with.size(); ++i)
        if (with[i] && !without[i]) {
            const GraphSection& section = graph.sections[i];
            cost.bytes += section.size + section.eh_frame;
            if (section.kind == SectionKind::text) cost.text += section.size;
            ++cost.sections;
        }
    return cost;
}

// For each group of roots, the bytes only that group keeps alive: live(all) minus live(all but it).
std::vector<ExclusiveCost> exclusive_costs(const SectionGraph& graph, const std::vector<std::uint32_t>& roots,
                                           const std::vector<std::string>& group_of_root,
                                           const std::map<std::string, std::string>& component_of_group) {
    const std::vector<bool> all = live_sections(graph, roots);
    std::map<std::string, std::vector<std::size_t>> members;
    for (std::size_t r = 0; r < roots.size(); ++r) members[group_of_root[r]].push_back(r);
    std::vector<ExclusiveCost> costs;
    for (const auto& [group, indexes] : members) {
        std::vector<std::uint32_t> others;
        std::set<std::size_t> skip(indexes.begin(), indexes.end());
        for (std::size_t r = 0; r < roots.size(); ++r)
            if (!skip.count(r)) others.push_back(roots[r]);
        const Cost cost = cost_of_difference(graph, all, live_sections(graph, others));
        ExclusiveCost item{group, cost.bytes, cost.text, cost.sections, ""};
        if (const auto found = component_of_group.find(group); found != component_of_group.end()) item.component = found->second;
        costs.push_back(item);
    }
    std::stable_sort(costs.begin(), costs.end(), [](const auto& a, const auto& b) {
        return a.bytes != b.bytes ? a.bytes > b.bytes : a.name < b.name;
    });
    return costs;
}

GraphInputs graph_inputs_of(const Kit& kit, const LinkMap& map) {
    GraphInputs inputs;
    inputs.cwd = kit.link_cwd;
    inputs.loaded_members = map.loaded_members;
    for (std::size_t i = 1; i < kit.link_argv.size(); ++i) {
        const std::string& arg = kit.link_argv[i];
        if (takes_value(arg)) {
            ++i;
            continue;
        }
        if (arg.starts_with("-")) continue;
        if (arg.ends_with(".o") || arg.ends_with(".a")) inputs.objects_and_archives.push_back(arg);
    }
    std::map<std::string, std::string> aliases;
    for (const auto& input : kit.inputs)
        if (input.path.extension() == ".ld") {
            inputs.linker_scripts.push_back(input.path);
            read_linker_script_facts(input.path, inputs, aliases);
        }
    return inputs;
}

std::string describe(const SectionGraph& graph, std::uint32_t section) {
    return graph.sections[section].name + " (" + graph.files[graph.sections[section].file].name + ")";
}

}  // namespace

Explanation explain_kernel(const ExplainRequest& request) {
    const Kit kit = read_kit(request.kit_file);
    verify_kit_inputs(kit, request.kit_file);
    ScratchFolder scratch;
    const std::filesystem::path generic_script = scratch.path() / "generic.version_script";
    {
        std::ofstream out(generic_script);
        out << render_version_script(kit.exports);
        if (!out) throw InputError("cannot write " + generic_script.string());
    }
    std::vector<std::string> specialized_names;
    if (request.version_script)
        specialized_names = parse_version_script_globals(read_text_file(*request.version_script), *request.version_script);
    const std::set<std::string> universe(kit.exports.begin(), kit.exports.end());
    std::size_t specialized_exports = 0;
    for (const auto& name : specialized_names) specialized_exports += universe.count(name);

    Explanation result;
    const LinkedKernel generic = link_with_map(kit, generic_script, scratch.path(), "generic");
    result.generic = layout_of(generic, "generic", kit.exports.size());
    std::optional<LinkedKernel> specialized;
    if (request.version_script) {
        specialized = link_with_map(kit, std::filesystem::absolute(*request.version_script), scratch.path(), "specialized");
        result.specialized = layout_of(*specialized, "specialized", specialized_exports);
    }

    const SectionGraph graph = build_section_graph(graph_inputs_of(kit, generic.map));
    const RootSet generic_roots = roots_for(graph, kit.exports);
    result.generic.agreement = compare(graph, live_sections(graph, generic_roots.sections), generic.map, generic.sections, result.generic.model_live);
    const std::vector<std::string>& names = request.version_script ? specialized_names : kit.exports;
    const RootSet roots = roots_for(graph, names);
    if (specialized)
        result.specialized->agreement = compare(graph, live_sections(graph, roots.sections), specialized->map, specialized->sections,
                                                 result.specialized->model_live);

    // Exclusive bytes of each export, with every other root in place.
    std::vector<std::string> group_of_root;
    std::map<std::string, std::string> component_of_group;
    for (std::size_t r = 0; r < roots.sections.size(); ++r) {
        const std::string& label = roots.labels[r];
        group_of_root.push_back(label.starts_with("export ") ? label.substr(7) : "(" + label + ")");
        if (label.starts_with("export "))
            component_of_group[label.substr(7)] = graph.files[graph.sections[roots.sections[r]].file].component;
    }
    for (auto& cost : exclusive_costs(graph, roots.sections, group_of_root, component_of_group))
        if (!cost.name.starts_with("(")) result.exports.push_back(cost);

    // The floor: what stays with no export at all, and which roots hold it, by component.
    const RootSet floor_roots = roots_for(graph, {});
    const std::vector<bool> floor_live = live_sections(graph, floor_roots.sections);
    for (std::uint32_t i = 0; i < graph.sections.size(); ++i)
        if (floor_live[i]) {
            const GraphSection& section = graph.sections[i];
            result.floor_live.bytes[static_cast<int>(section.kind)] += section.size;
            result.floor_live.bytes[static_cast<int>(SectionKind::eh_frame)] += section.eh_frame;
            result.floor_components[graph.files[section.file].component] += section.size + section.eh_frame;
        }
    std::vector<std::string> floor_groups;
    for (std::size_t r = 0; r < floor_roots.sections.size(); ++r) {
        const GraphSection& section = graph.sections[floor_roots.sections[r]];
        std::string kind = floor_roots.labels[r] == "entry" ? "entry" : section.name;
        for (const char* prefix : {".init_array", ".ctors", ".fini_array", ".dtors", ".preinit_array", ".note"})
            if (kind.starts_with(prefix)) kind = prefix;
        floor_groups.push_back(graph.files[section.file].component + " " + kind);
    }
    result.floor = exclusive_costs(graph, floor_roots.sections, floor_groups, {});

    // Layers: the boot path (entry and the addresses the boot code jumps through), then static
    // constructors, tracepoint patch sites, then every other kept section.
    const auto layer_of = [&](std::size_t r) {
        const std::string& name = graph.sections[floor_roots.sections[r]].name;
        if (floor_roots.labels[r] == "entry" || name.starts_with(".start32")) return 0;
        if (name.starts_with(".init_array") || name.starts_with(".ctors") || name.starts_with(".preinit_array")) return 1;
        if (name.starts_with(".tracepoint_patch_sites")) return 2;
        return 3;
    };
    const char* layer_names[] = {"boot path (entry, .start32 addresses)", "static constructors (.init_array, .ctors)",
                                 "tracepoint patch sites", "other kept sections (.fixup, .memcpy_decode, notes, __start_/__stop_)"};
    std::vector<bool> before(graph.sections.size(), false);
    std::vector<std::uint32_t> layer_roots;
    for (int layer = 0; layer < 4; ++layer) {
        for (std::size_t r = 0; r < floor_roots.sections.size(); ++r)
            if (layer_of(r) == layer) layer_roots.push_back(floor_roots.sections[r]);
        const std::vector<bool> now = live_sections(graph, layer_roots);
        FloorLayer item{layer_names[layer], {}, {}};
        std::map<std::string, std::uint64_t> by_component;
        for (std::uint32_t i = 0; i < graph.sections.size(); ++i)
            if (now[i] && !before[i]) {
                const GraphSection& section = graph.sections[i];
                item.added.bytes[static_cast<int>(section.kind)] += section.size;
                item.added.bytes[static_cast<int>(SectionKind::eh_frame)] += section.eh_frame;
                by_component[graph.files[section.file].component] += section.size + section.eh_frame;
            }
        for (const auto& entry : by_component) item.components.push_back(entry);
        std::stable_sort(item.components.begin(), item.components.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
        result.floor_layers.push_back(std::move(item));
        before = now;
    }

    for (const auto& name : request.why) {
        WhyChain why{name, false, "", {}};
        const Chain chain = why_live(graph, roots, name);
        why.known = chain.known;
        if (!chain.sections.empty()) {
            why.root = chain.root_label;
            for (const auto section : chain.sections) why.steps.push_back(describe(graph, section));
        }
        result.why.push_back(std::move(why));
    }

    result.files_read = {request.kit_file};
    if (request.version_script) result.files_read.push_back(*request.version_script);
    for (const auto& input : kit.inputs) result.files_read.push_back(input.path);
    return result;
}

namespace {

void emit_kinds(YAML::Emitter& out, const KindSizes& sizes) {
    out << YAML::Flow << YAML::BeginMap;
    for (int k = 0; k < section_kind_count; ++k)
        out << YAML::Key << to_string(static_cast<SectionKind>(k)) << YAML::Value << sizes.bytes[k];
    out << YAML::Key << "total" << YAML::Value << sizes.total();
    out << YAML::EndMap;
}

void emit_layout(YAML::Emitter& out, const KernelLayout& layout) {
    out << YAML::BeginMap;
    out << YAML::Key << "exports" << YAML::Value << layout.exports;
    out << YAML::Key << "stripped_file_bytes" << YAML::Value << layout.stripped_size;
    out << YAML::Key << "allocated_bytes" << YAML::Value;
    emit_kinds(out, layout.totals);
    out << YAML::Key << "sections" << YAML::Value << YAML::BeginMap;
    for (const auto& section : layout.sections) out << YAML::Key << section.name << YAML::Value << section.size;
    out << YAML::EndMap;
    out << YAML::Key << "components" << YAML::Value << YAML::BeginMap;
    for (const auto& [component, sizes] : layout.components) {
        out << YAML::Key << component << YAML::Value;
        emit_kinds(out, sizes);
    }
    out << YAML::EndMap;
    const ModelAgreement& a = layout.agreement;
    if (!layout.warnings.empty()) out << YAML::Key << "warnings" << YAML::Value << layout.warnings;
    out << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "live_bytes" << YAML::Value;
    emit_kinds(out, layout.model_live);
    out << YAML::Key << "sections_agreeing" << YAML::Value << a.both;
    out << YAML::Key << "kept_by_model_only" << YAML::Value << a.model_only;
    out << YAML::Key << "kept_by_model_only_bytes" << YAML::Value << a.model_only_bytes;
    out << YAML::Key << "kept_by_linker_only" << YAML::Value << a.linker_only;
    out << YAML::Key << "kept_by_linker_only_bytes" << YAML::Value << a.linker_only_bytes;
    out << YAML::Key << "model_only_examples" << YAML::Value << YAML::Flow << a.model_only_examples;
    out << YAML::Key << "linker_only_examples" << YAML::Value << YAML::Flow << a.linker_only_examples;
    out << YAML::EndMap;
    out << YAML::EndMap;
}

void emit_costs(YAML::Emitter& out, const char* key, const std::vector<ExclusiveCost>& costs) {
    out << YAML::Key << key << YAML::Value;
    if (costs.empty()) out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const auto& cost : costs) {
        out << YAML::Flow << YAML::BeginMap << YAML::Key << "name" << YAML::Value << cost.name;
        if (!cost.component.empty()) out << YAML::Key << "component" << YAML::Value << cost.component;
        out << YAML::Key << "bytes" << YAML::Value << cost.bytes << YAML::Key << "text" << YAML::Value << cost.text
            << YAML::Key << "sections" << YAML::Value << cost.sections << YAML::EndMap;
    }
    out << YAML::EndSeq;
}

std::string with_commas(std::uint64_t value) {
    std::string digits = std::to_string(value), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string signed_commas(std::int64_t value) {
    return (value < 0 ? "-" : value > 0 ? "+" : "") + with_commas(static_cast<std::uint64_t>(value < 0 ? -value : value));
}

std::string pad(const std::string& text, std::size_t width, bool right) {
    if (text.size() >= width) return text;
    return right ? std::string(width - text.size(), ' ') + text : text + std::string(width - text.size(), ' ');
}

}  // namespace

std::string render_explain_yaml(const Explanation& e) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "method" << YAML::Value
        << "sizes from ld.bfd's link map of the kit's kernel (exact); exclusive bytes, floor and chains from the "
           "section reference graph of the link inputs (a model of --gc-sections, compared with the map under model)";
    out << YAML::Key << "generic" << YAML::Value;
    emit_layout(out, e.generic);
    if (e.specialized) {
        out << YAML::Key << "specialized" << YAML::Value;
        emit_layout(out, *e.specialized);
    }
    emit_costs(out, "exports_by_exclusive_bytes", e.exports);
    out << YAML::Key << "floor" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "live_bytes_without_exports" << YAML::Value;
    emit_kinds(out, e.floor_live);
    out << YAML::Key << "components" << YAML::Value << YAML::BeginMap;
    for (const auto& [component, bytes] : e.floor_components) out << YAML::Key << component << YAML::Value << bytes;
    out << YAML::EndMap;
    out << YAML::Key << "layers" << YAML::Value << YAML::BeginSeq;
    for (const auto& layer : e.floor_layers) {
        out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << layer.name;
        out << YAML::Key << "adds" << YAML::Value;
        emit_kinds(out, layer.added);
        out << YAML::Key << "components" << YAML::Value << YAML::BeginMap;
        for (const auto& [component, bytes] : layer.components) out << YAML::Key << component << YAML::Value << bytes;
        out << YAML::EndMap << YAML::EndMap;
    }
    out << YAML::EndSeq;
    emit_costs(out, "roots_by_exclusive_bytes", e.floor);
    out << YAML::EndMap;
    if (!e.why.empty()) {
        out << YAML::Key << "why" << YAML::Value << YAML::BeginSeq;
        for (const auto& why : e.why) {
            out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << why.name;
            out << YAML::Key << "known" << YAML::Value << why.known;
            out << YAML::Key << "live" << YAML::Value << !why.root.empty();
            if (!why.root.empty()) {
                out << YAML::Key << "root" << YAML::Value << why.root;
                out << YAML::Key << "chain" << YAML::Value << why.steps;
            }
            out << YAML::EndMap;
        }
        out << YAML::EndSeq;
    }
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

std::string render_explain_table(const Explanation& e, std::size_t top) {
    std::ostringstream out;
    const KernelLayout& g = e.generic;
    const KernelLayout* s = e.specialized ? &*e.specialized : nullptr;
    auto row = [&](const std::string& name, std::uint64_t generic, std::optional<std::uint64_t> special) {
        out << pad(name, 24, false) << pad(with_commas(generic), 12, true);
        if (special)
            out << pad(with_commas(*special), 14, true)
                << pad(signed_commas(static_cast<std::int64_t>(*special) - static_cast<std::int64_t>(generic)), 12, true);
        out << "\n";
    };
    out << pad("kernel", 24, false) << pad("generic", 12, true);
    if (s) out << pad("specialized", 14, true) << pad("change", 12, true);
    out << "\n";
    row("exports", g.exports, s ? std::optional<std::uint64_t>(s->exports) : std::nullopt);
    row("stripped file", g.stripped_size, s ? std::optional<std::uint64_t>(s->stripped_size) : std::nullopt);
    for (int k = 0; k < section_kind_count; ++k)
        row(std::string("  ") + to_string(static_cast<SectionKind>(k)), g.totals.bytes[k],
            s ? std::optional<std::uint64_t>(s->totals.bytes[k]) : std::nullopt);
    row("  allocated total", g.totals.total(), s ? std::optional<std::uint64_t>(s->totals.total()) : std::nullopt);

    out << "\n" << pad("component (all kinds)", 24, false) << pad("generic", 12, true);
    if (s) out << pad("specialized", 14, true) << pad("change", 12, true);
    out << "\n";
    std::vector<std::pair<std::uint64_t, std::string>> order;
    for (const auto& [component, sizes] : (s ? s->components : g.components)) order.emplace_back(sizes.total(), component);
    std::sort(order.rbegin(), order.rend());
    for (std::size_t i = 0; i < order.size() && i < top; ++i) {
        const std::string& component = order[i].second;
        const auto generic = g.components.count(component) ? g.components.at(component).total() : 0;
        row(component, generic, s ? std::optional<std::uint64_t>(order[i].first) : std::nullopt);
    }
    out << "\n" << pad("export", 40, false) << pad("exclusive", 12, true) << pad("text", 12, true) << "  component\n";
    for (std::size_t i = 0; i < e.exports.size() && i < top; ++i)
        out << pad(e.exports[i].name, 40, false) << pad(with_commas(e.exports[i].bytes), 12, true)
            << pad(with_commas(e.exports[i].text), 12, true) << "  " << e.exports[i].component << "\n";
    out << "\nwith no exports at all " << with_commas(e.floor_live.total()) << " bytes stay live ("
        << with_commas(e.floor_live.bytes[static_cast<int>(SectionKind::text)]) << " text, the model's count), reached from:\n";
    for (const auto& layer : e.floor_layers) {
        out << pad(layer.name, 72, false) << pad(with_commas(layer.added.total()), 12, true) << pad(with_commas(layer.added.bytes[0]), 12, true) << "\n   ";
        for (std::size_t i = 0; i < layer.components.size() && i < 5; ++i)
            out << " " << layer.components[i].first << " " << with_commas(layer.components[i].second);
        out << "\n";
    }
    out << "roots holding the most bytes no other root reaches:\n";
    for (std::size_t i = 0; i < e.floor.size() && i < top; ++i)
        out << pad(e.floor[i].name, 40, false) << pad(with_commas(e.floor[i].bytes), 12, true)
            << pad(with_commas(e.floor[i].text), 12, true) << "\n";
    for (const auto& why : e.why) {
        out << "\nwhy " << why.name << ": ";
        if (!why.known) {
            out << "no symbol, section, input file or component of the link has that name\n";
            continue;
        }
        if (why.root.empty()) {
            out << "not live in this kernel\n";
            continue;
        }
        out << why.root << "\n";
        for (std::size_t i = 0; i < why.steps.size(); ++i)
            out << "  " << std::string(i * 2, ' ') << (i ? "-> " : "") << why.steps[i] << "\n";
    }
    return out.str();
}

}  // namespace osv
