#include "manifest.hpp"

#include <algorithm>
#include <iterator>

#include "error.hpp"
#include "folder_walk.hpp"
#include "text_input.hpp"

namespace osv {
namespace {

struct LineContext {
    const std::filesystem::path& manifest;
    std::size_t line;
    [[noreturn]] void fail(std::size_t column, const std::string& what) const {
        throw InputError(position_message(manifest, line, column, what));
    }
};

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

// ${VAR} (this project's spelling) and %(VAR)s (the Python spelling OSv's own manifests use).
std::string expand_variables(std::string_view text, std::size_t column_base, const ManifestDefines& defines,
                             const LineContext& where) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const bool dollar = text.substr(i).starts_with("${");
        const bool percent = text.substr(i).starts_with("%(");
        if (!dollar && !percent) {
            out += text[i++];
            continue;
        }
        const char closer = dollar ? '}' : ')';
        const auto end = text.find(closer, i + 2);
        if (end == std::string_view::npos)
            where.fail(column_base + i, std::string("unterminated variable reference, expected '") + closer + "'");
        const std::string name(text.substr(i + 2, end - i - 2));
        std::size_t after = end + 1;
        if (percent) {
            if (after >= text.size() || text[after] != 's')
                where.fail(column_base + i, "expected %(" + name + ")s");
            ++after;
        }
        const auto value = defines.find(name);
        if (value == defines.end())
            where.fail(column_base + i, "undefined variable '" + name + "'; pass --define " + name + "=VALUE");
        out += value->second;
        i = after;
    }
    return out;
}

void add_tree(const std::string& guest_prefix, const std::filesystem::path& host_folder, ExpandedManifest& out,
              const LineContext& where, std::size_t column) {
    std::error_code ec;
    if (!std::filesystem::is_directory(host_folder, ec))
        where.fail(column, "'" + quoted_path(host_folder) + "' is not a folder (needed by the /** entry)");
    // Like OSv's os.walk(), links to folders are neither followed nor listed.
    WalkedTree tree;
    try {
        tree = walk_folder(host_folder, FolderLinks::skip);
    } catch (const FolderWalkError& error) {
        where.fail(column, "cannot walk " + quoted_path(host_folder) + ": " + error.what());
    }
    std::move(tree.folders.begin(), tree.folders.end(), std::back_inserter(out.folders));
    std::vector<ManifestFile> found;
    for (auto& file : tree.files)
        found.push_back({guest_prefix + file.relative, std::move(file.path), std::move(file.real_path)});
    std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.guest_path < b.guest_path; });
    out.files.insert(out.files.end(), found.begin(), found.end());
    for (const auto& file : found)
        out.image_entries.push_back({file.guest_path, ImageEntryKind::file, file.host_path, {}, where.line});
}

}  // namespace

ExpandedManifest read_manifest(const std::filesystem::path& manifest, const ManifestDefines& defines) {
    const std::string text = read_text_file(manifest);
    const std::filesystem::path base = manifest.parent_path();
    ExpandedManifest out;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        const std::string_view raw(text.data() + start, end - start);
        start = end + 1;
        ++line_number;
        const LineContext where{manifest, line_number};
        const std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#' || line == "[manifest]") continue;
        if (raw.find('\0') != std::string_view::npos) where.fail(1, "binary data in a manifest");

        const auto separator = line.find(": ");
        const std::size_t line_column = static_cast<std::size_t>(line.data() - raw.data()) + 1;
        if (separator == std::string_view::npos)
            where.fail(line_column, "expected 'guest/path: host/path'");
        const std::string guest(trim(line.substr(0, separator)));
        const std::string_view host_text = trim(line.substr(separator + 2));
        const std::size_t host_column = static_cast<std::size_t>(host_text.data() - raw.data()) + 1;
        if (guest.empty()) where.fail(line_column, "empty guest path before ':'");
        if (host_text.empty()) where.fail(host_column, "empty host path after ':'");
        if (host_text.starts_with("->")) {  // a symlink inside the image: nothing to analyse
            const std::string target = expand_variables(host_text.substr(2), host_column + 2, defines, where);
            if (target.empty()) where.fail(host_column, "empty symlink target after '->'");
            out.image_entries.push_back({guest, ImageEntryKind::symlink, {}, target, line_number});
            continue;
        }

        std::string host = expand_variables(host_text, host_column, defines, where);
        const bool keep_symlink = host.starts_with("!");  // OSv copies a "!host" symlink as a symlink
        if (keep_symlink) host.erase(0, 1);
        std::filesystem::path host_path = host;
        if (host_path.is_relative()) host_path = base / host_path;

        if (guest.ends_with("/**") != host.ends_with("/**"))
            where.fail(host_column, "a recursive entry needs '/**' on both sides");
        if (guest.ends_with("/**")) {
            add_tree(guest.substr(0, guest.size() - 2), host_path.parent_path(), out, where, host_column);
            continue;
        }
        std::string guest_path = guest;
        if (const auto amp = guest.find("/&/"); amp != std::string::npos && host.ends_with("/&")) {
            const std::string suffix = guest.substr(amp + 3);
            guest_path = guest.substr(0, amp) + "/" + suffix;
            host_path = host_path.parent_path() / suffix;
        }
        std::error_code ec;
        if (!std::filesystem::exists(host_path, ec))
            where.fail(host_column, "host file '" + quoted_path(host_path) + "'" +
                                        (ec ? ": " + file_error_text(ec.value()) : std::string(" does not exist")));
        const bool is_folder = std::filesystem::is_directory(host_path, ec);
        if (keep_symlink && std::filesystem::is_symlink(host_path, ec)) {
            const auto target = std::filesystem::read_symlink(host_path, ec);
            if (ec) where.fail(host_column, "cannot read symlink '" + quoted_path(host_path) + "': " + ec.message());
            out.image_entries.push_back({guest_path, ImageEntryKind::symlink, host_path, target.string(), line_number});
        } else {
            const auto kind = is_folder ? ImageEntryKind::folder : ImageEntryKind::file;
            out.image_entries.push_back({guest_path, kind, host_path, {}, line_number});
        }
        if (is_folder) continue;  // a folder entry creates a folder: nothing to analyse
        out.files.push_back({guest_path, host_path, {}});
    }
    return out;
}

}  // namespace osv
