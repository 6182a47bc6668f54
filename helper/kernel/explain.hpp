// What is in a kernel, and why: the kit's kernel relinked with ld.bfd and a link map, generic (every
// export) and specialized (an app's version script), broken down by OSv component and section kind
// from the map (exact), plus the section reference graph (section_graph.hpp) for what each export
// alone keeps alive, what holds the floor that remains with no exports, and why a name is in.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "section_graph.hpp"

namespace osv {

struct KindSizes {
    std::array<std::uint64_t, section_kind_count> bytes{};
    std::uint64_t total() const;
    KindSizes& operator+=(const KindSizes& other);
};

struct OutputSectionSize {
    std::string name;
    SectionKind kind = SectionKind::other;
    std::uint64_t size = 0;
};

// How far the graph model's live set is from what the linker kept (by its map).
struct ModelAgreement {
    std::size_t both = 0;
    std::size_t model_only = 0;       // the model keeps, ld dropped
    std::size_t linker_only = 0;      // ld kept, the model drops
    std::uint64_t model_only_bytes = 0;
    std::uint64_t linker_only_bytes = 0;
    std::vector<std::string> model_only_examples;
    std::vector<std::string> linker_only_examples;
};

struct KernelLayout {
    std::string label;                                // "generic", "specialized"
    std::size_t exports = 0;                          // names exported
    std::uint64_t stripped_size = 0;                  // the stripped kernel file
    std::vector<OutputSectionSize> sections;          // allocated output sections, from the kernel
    KindSizes totals;                                 // = sum of `sections` by kind
    std::map<std::string, KindSizes> components;      // from the map; sums to `totals`
    std::map<std::string, KindSizes> files;           // per input file (the treemap's leaves)
    ModelAgreement agreement;
    KindSizes model_live;                             // the model's live bytes by kind
    std::vector<std::string> warnings;                // where the map and the kernel disagree
};

struct ExclusiveCost {
    std::string name;              // an export, or a group of roots
    std::uint64_t bytes = 0;       // section bytes + their FDEs that nothing else keeps alive
    std::uint64_t text = 0;
    std::size_t sections = 0;
    std::string component;         // where the export is defined
};

// The floor in layers: what the boot path reaches, then what static constructors add, and so on.
struct FloorLayer {
    std::string name;
    KindSizes added;                                   // live bytes this layer adds to the ones before
    std::vector<std::pair<std::string, std::uint64_t>> components;  // of `added`, largest first
};

struct WhyChain {
    std::string name;
    bool known = false;                  // a symbol, section, file or component of the link
    std::string root;                    // empty: not live
    std::vector<std::string> steps;      // "section (file)"
};

struct ExplainRequest {
    std::filesystem::path kit_file;
    std::optional<std::filesystem::path> version_script;   // none: the generic kernel alone
    std::vector<std::string> why;
};

struct Explanation {
    KernelLayout generic;
    std::optional<KernelLayout> specialized;
    std::vector<ExclusiveCost> exports;      // of the specialized kernel (else generic), largest first
    std::vector<ExclusiveCost> floor;        // roots other than exports, by component, largest first
    std::vector<FloorLayer> floor_layers;
    KindSizes floor_live;                    // model bytes live with no export at all
    std::map<std::string, std::uint64_t> floor_components;  // those bytes by component
    std::vector<WhyChain> why;
    std::vector<std::filesystem::path> files_read;
};

Explanation explain_kernel(const ExplainRequest& request);

std::string render_explain_yaml(const Explanation& explanation);
std::string render_explain_table(const Explanation& explanation, std::size_t top);
std::string render_explain_html(const Explanation& explanation);

}  // namespace osv
