#include "report.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>

namespace osv {
namespace {

void emit_string_list(YAML::Emitter& out, const char* key, const std::vector<std::string>& items) {
    out << YAML::Key << key << YAML::Value;
    if (items.empty()) out << YAML::Flow;  // "key: []" rather than a dangling block
    out << YAML::BeginSeq;
    for (const auto& item : items) out << item;
    out << YAML::EndSeq;
}

std::string finish(YAML::Emitter& out) {
    std::string text = out.c_str();
    return text + "\n";
}

}  // namespace

std::string render_app_report(const std::vector<ElfSymbols>& programs, std::size_t skipped, const SymbolPlan& plan) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "inputs" << YAML::Value << YAML::BeginSeq;
    for (const auto& program : programs) {
        out << YAML::BeginMap;
        out << YAML::Key << "path" << YAML::Value << program.path;
        out << YAML::Key << "kind" << YAML::Value << to_string(program.kind);
        out << YAML::Key << "linking" << YAML::Value << (program.is_static ? "static" : "dynamic");
        out << YAML::Key << "imports" << YAML::Value << program.imports.size();
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;

    std::size_t unresolved_count = plan.unresolved.size();
    out << YAML::Key << "counts" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "inputs" << YAML::Value << programs.size();
    out << YAML::Key << "needed" << YAML::Value << plan.needed_count;
    out << YAML::Key << "exported" << YAML::Value << plan.script.size();
    out << YAML::Key << "kept" << YAML::Value << plan.kept.size();
    out << YAML::Key << "unresolved" << YAML::Value << unresolved_count;
    out << YAML::Key << "skipped" << YAML::Value << skipped;
    out << YAML::EndMap;

    std::vector<std::string> unresolved;
    for (const auto& [name, importers] : plan.unresolved) unresolved.push_back(name);
    emit_string_list(out, "unresolved", unresolved);
    emit_string_list(out, "kept", plan.kept);
    emit_string_list(out, "unmatched_keeps", plan.unmatched_keeps);

    out << YAML::Key << "dlsym_warnings" << YAML::Value;
    if (plan.dl_users.empty()) out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const auto& user : plan.dl_users) {
        out << YAML::BeginMap << YAML::Key << "path" << YAML::Value << user.path.string();
        emit_string_list(out, "imports", user.functions);
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;

    out << YAML::Key << "dlsym_candidates" << YAML::Value;
    if (plan.candidates.empty()) out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const auto& candidate : plan.candidates) {
        out << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "path" << YAML::Value << candidate.path.string();
        out << YAML::Key << "name" << YAML::Value << candidate.name;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::EndMap;
    return finish(out);
}

std::string render_closure_report(const std::vector<std::filesystem::path>& app_files, const LibraryClosure& closure) {
    auto strings = [](const std::vector<std::filesystem::path>& paths) {
        std::vector<std::string> out;
        for (const auto& path : paths) out.push_back(path.string());
        return out;
    };
    YAML::Emitter out;
    out << YAML::BeginMap;
    emit_string_list(out, "inputs", strings(app_files));
    out << YAML::Key << "counts" << YAML::Value << YAML::BeginMap;
    for (NeedOutcome outcome : {NeedOutcome::found, NeedOutcome::app_file, NeedOutcome::kernel, NeedOutcome::not_found})
        out << YAML::Key << to_string(outcome) << YAML::Value
            << std::count_if(closure.libraries.begin(), closure.libraries.end(),
                             [&](const NeededLibrary& library) { return library.outcome == outcome; });
    out << YAML::EndMap;
    out << YAML::Key << "libraries" << YAML::Value;
    if (closure.libraries.empty()) out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const auto& library : closure.libraries) {
        out << YAML::BeginMap;
        out << YAML::Key << "needed" << YAML::Value << library.name;
        out << YAML::Key << "outcome" << YAML::Value << to_string(library.outcome);
        if (!library.file.empty()) out << YAML::Key << "file" << YAML::Value << library.file.string();
        if (!library.found_through.empty()) out << YAML::Key << "through" << YAML::Value << library.found_through;
        if (library.outcome != NeedOutcome::kernel)
            out << YAML::Key << "first_requester" << YAML::Value << library.first_requester.string();
        emit_string_list(out, "requested_by", strings(library.requested_by));
        if (library.outcome == NeedOutcome::not_found) emit_string_list(out, "searched", strings(library.searched));
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    emit_string_list(out, "notes", closure.notes);
    emit_string_list(out, "folders_searched", strings(closure.folders_searched));
    out << YAML::EndMap;
    return finish(out);
}

std::string RelinkSummary::one_line(const std::string& output_name) const {
    char line[512];
    const double change = base_size ? 100.0 * (static_cast<double>(new_size) - static_cast<double>(base_size)) /
                                          static_cast<double>(base_size)
                                    : 0.0;
    std::snprintf(line, sizeof line, "%s: %ju -> %ju bytes (%+.1f%%), exported symbols %zu -> %zu, link %.2f s (%s%s)%s",
                  output_name.c_str(), base_size, new_size, change, base_exports, new_exports, link_seconds,
                  linker.c_str(), icf ? ", --icf=all" : "", changed ? "" : ", unchanged");
    return line;
}

std::string render_relink_report(const RelinkSummary& summary, const std::vector<std::string>& exports) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "linker" << YAML::Value << summary.linker;
    out << YAML::Key << "icf" << YAML::Value << summary.icf;
    out << YAML::Key << "base_size" << YAML::Value << summary.base_size;
    out << YAML::Key << "size" << YAML::Value << summary.new_size;
    out << YAML::Key << "base_exports" << YAML::Value << summary.base_exports;
    out << YAML::Key << "exports" << YAML::Value << summary.new_exports;
    emit_string_list(out, "exported_symbols", exports);
    out << YAML::Key << "timing" << YAML::Value << YAML::BeginMap;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", summary.link_seconds);
    out << YAML::Key << "link_seconds" << YAML::Value << seconds;
    out << YAML::EndMap;
    out << YAML::EndMap;
    return finish(out);
}

}  // namespace osv
