#include "kit.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "content_hash.hpp"
#include "error.hpp"
#include "kit_bundle.hpp"
#include "kit_commands.hpp"
#include "text_input.hpp"
#include "yaml_keys.hpp"

namespace osv {
namespace {

constexpr int kit_format = 1;

class KitReader {
public:
    explicit KitReader(const std::filesystem::path& file) : file_(file) {}

    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& what) const {
        if (mark.is_null()) throw InputError(quoted_path(file_) + ": " + what + "; recapture it with osv-symbols kit capture");
        throw InputError(position_message(file_, mark.line + 1, mark.column + 1,
                                          what + "; recapture it with osv-symbols kit capture"));
    }

    YAML::Node field(const YAML::Node& parent, const char* key, const char* where) const {
        if (!parent.IsMap()) fail(parent.Mark(), std::string("'") + where + "' must be a mapping");
        YAML::Node node = parent[key];
        if (!node) fail(parent.Mark(), std::string("missing '") + where + "." + key + "'");
        return node;
    }

    template <typename T>
    T scalar(const YAML::Node& parent, const char* key, const char* where) const {
        const YAML::Node node = field(parent, key, where);
        try {
            if (!node.IsScalar()) throw YAML::BadConversion(node.Mark());
            return node.as<T>();
        } catch (const YAML::BadConversion&) {
            fail(node.Mark(), std::string("'") + where + "." + key + "' has the wrong type");
        }
    }

    std::vector<std::string> strings(const YAML::Node& parent, const char* key, const char* where) const {
        const YAML::Node node = field(parent, key, where);
        if (!node.IsSequence()) fail(node.Mark(), std::string("'") + where + "." + key + "' must be a list");
        std::vector<std::string> out;
        for (const auto& item : node) {
            if (!item.IsScalar()) fail(item.Mark(), std::string("'") + where + "." + key + "' entries must be strings");
            out.push_back(item.Scalar());
        }
        return out;
    }

    std::filesystem::path path(const std::string& text) const {
        std::filesystem::path p = text;
        return p.is_relative() ? (file_.parent_path() / p).lexically_normal() : p;
    }

    void require_placeholders(const YAML::Node& at, const std::vector<std::string>& argv, const char* where,
                              std::initializer_list<std::string_view> placeholders) const {
        if (argv.empty()) fail(at.Mark(), std::string("'") + where + "' is empty");
        for (auto placeholder : placeholders) {
            const bool found = std::any_of(argv.begin(), argv.end(), [&](const std::string& arg) {
                return arg.find(placeholder) != std::string::npos;
            });
            if (!found) fail(at.Mark(), std::string("'") + where + "' lacks the " + std::string(placeholder) + " placeholder");
        }
    }

private:
    const std::filesystem::path& file_;
};

}  // namespace

std::string fill_placeholders(std::string_view arg, const std::vector<std::pair<std::string_view, std::string>>& values) {
    std::string out;
    for (std::size_t at = 0; at < arg.size();) {
        bool filled = false;
        for (const auto& [placeholder, value] : values)
            if (arg.substr(at).starts_with(placeholder)) {
                out += value;
                at += placeholder.size();
                filled = true;
                break;
            }
        if (!filled) out += arg[at++];
    }
    return out;
}

std::vector<std::string> strip_command(const std::vector<std::string>& strip_argv, const std::filesystem::path& input,
                                       const std::filesystem::path& output) {
    std::vector<std::string> argv = strip_argv;
    for (auto& arg : argv) arg = fill_placeholders(arg, {{kit_input, input.string()}, {kit_output, output.string()}});
    return argv;
}

Kit read_kit(const std::filesystem::path& kit_file) {
    if (is_kit_bundle(kit_file)) return read_kit(unpacked_bundle_kit(kit_file));
    const std::string text = read_text_file(kit_file);
    KitReader reader(kit_file);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::DeepRecursion& error) {
        reader.fail(error.mark, "nested too deeply for a kit");  // yaml-cpp's own words are "bad file"
    } catch (const YAML::Exception& error) {
        reader.fail(error.mark, error.msg);
    }
    if (!root.IsMap()) reader.fail(root.Mark(), "not a kernel kit (expected a YAML mapping)");
    // Two `link:` or `argv:` keys would leave one silently unused: the kit is not what it says.
    if (const auto twice = duplicate_key_anywhere(root))
        reader.fail(twice->mark, "'" + twice->name + "' is given twice; keep one");
    if (reader.scalar<int>(root, "format", "kit") != kit_format)
        reader.fail(root["format"].Mark(), "unsupported kit format (this osv-symbols reads format 1)");

    Kit kit;
    const YAML::Node arch = reader.field(root, "arch", "kit");
    kit.arch.elf_class = reader.scalar<int>(arch, "class", "arch");
    kit.arch.machine = reader.scalar<int>(arch, "machine", "arch");
    const YAML::Node base = reader.field(root, "base", "kit");
    kit.base_kernel = reader.path(reader.scalar<std::string>(base, "kernel", "base"));
    kit.base_stripped_size = reader.scalar<std::uintmax_t>(base, "stripped_size", "base");
    if (base["files"]) kit.base_files = reader.path(reader.scalar<std::string>(base, "files", "base"));
    const YAML::Node link = reader.field(root, "link", "kit");
    kit.link_cwd = reader.path(reader.scalar<std::string>(link, "cwd", "link"));
    kit.link_argv = reader.strings(link, "argv", "link");
    if (link["debug_stripped"]) kit.debug_stripped = reader.scalar<bool>(link, "debug_stripped", "link");
    reader.require_placeholders(link["argv"], kit.link_argv, "link.argv", {kit_output, kit_version_script});
    const YAML::Node strip = reader.field(root, "strip", "kit");
    kit.strip_argv = reader.strings(strip, "argv", "strip");
    reader.require_placeholders(strip["argv"], kit.strip_argv, "strip.argv", {kit_input, kit_output});

    const YAML::Node inputs = reader.field(root, "inputs", "kit");
    if (!inputs.IsSequence()) reader.fail(inputs.Mark(), "'kit.inputs' must be a list");
    std::set<std::filesystem::path> listed;  // after making paths absolute: "a.o" and "./a.o" are one input
    for (const auto& input : inputs) {
        kit.inputs.push_back({reader.path(reader.scalar<std::string>(input, "path", "inputs[]")),
                              reader.scalar<std::uintmax_t>(input, "size", "inputs[]"),
                              reader.scalar<std::string>(input, "fingerprint", "inputs[]")});
        // Kits from before SHA-256 have 16-digit fingerprints: say so, rather than "changed".
        if (!is_fingerprint(kit.inputs.back().fingerprint))
            reader.fail(input["fingerprint"].Mark(), "'inputs[].fingerprint' is not a SHA-256 (64 hex digits)");
        if (!listed.insert(kit.inputs.back().path.lexically_normal()).second)
            reader.fail(input.Mark(), "input " + quoted_path(kit.inputs.back().path) + " is listed twice; keep one");
    }
    kit.exports = reader.strings(root, "exports", "kit");
    for (const auto& name : kit.exports)
        if (!is_writable_symbol_name(name))
            reader.fail(root["exports"].Mark(), "export \"" + printable_name(name) +
                                                    "\" has a quote, backslash or control character");
    // The commands run: refuse any that could do more than link the inputs into {output}.
    if (const std::string problem = kit_command_problem(kit); !problem.empty()) reader.fail(YAML::Mark::null_mark(), problem);
    std::sort(kit.exports.begin(), kit.exports.end());
    return kit;
}

std::string render_kit(const Kit& kit) {
    YAML::Emitter out;
    out << YAML::Comment("osv-specialize kernel kit: how to relink one base kernel with an app's version script.\n"
                         "Written by `osv-symbols kit capture`; paths are absolute or relative to this file's folder.");
    out << YAML::BeginMap;
    out << YAML::Key << "format" << YAML::Value << kit_format;
    out << YAML::Key << "arch" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "class" << YAML::Value << kit.arch.elf_class;
    out << YAML::Key << "machine" << YAML::Value << kit.arch.machine;
    out << YAML::Key << "description" << YAML::Value << kit.arch.describe();
    out << YAML::EndMap;
    out << YAML::Key << "base" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "kernel" << YAML::Value << kit.base_kernel.string();
    out << YAML::Key << "stripped_size" << YAML::Value << kit.base_stripped_size;
    out << YAML::Key << "exports" << YAML::Value << kit.exports.size();
    if (!kit.base_files.empty()) out << YAML::Key << "files" << YAML::Value << kit.base_files.string();
    out << YAML::EndMap;
    out << YAML::Key << "link" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "cwd" << YAML::Value << kit.link_cwd.string();
    if (kit.debug_stripped) out << YAML::Key << "debug_stripped" << YAML::Value << true;
    out << YAML::Key << "argv" << YAML::Value << YAML::BeginSeq;
    for (const auto& arg : kit.link_argv) out << YAML::DoubleQuoted << arg;
    out << YAML::EndSeq << YAML::EndMap;
    out << YAML::Key << "strip" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "argv" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& arg : kit.strip_argv) out << YAML::DoubleQuoted << arg;
    out << YAML::EndSeq << YAML::EndMap;
    out << YAML::Key << "inputs" << YAML::Value << YAML::BeginSeq;
    for (const auto& input : kit.inputs) {
        out << YAML::Flow << YAML::BeginMap;
        out << YAML::Key << "path" << YAML::Value << input.path.string();
        out << YAML::Key << "size" << YAML::Value << input.size;
        out << YAML::Key << "fingerprint" << YAML::Value << input.fingerprint;
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::Key << "exports" << YAML::Value << YAML::BeginSeq;
    for (const auto& name : kit.exports) out << name;
    out << YAML::EndSeq;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

void verify_kit_inputs(const Kit& kit, const std::filesystem::path& kit_file) {
    for (const auto& input : kit.inputs) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(input.path, ec);
        if (ec)
            throw InputError(quoted_path(kit_file) + ": input '" + quoted_path(input.path) + "' is " +
                             (ec == std::errc::too_many_symbolic_link_levels ? "a link loop" : "missing") +
                             "; rebuild the kernel, then recapture the kit");
        if (size != input.size || file_fingerprint(input.path) != input.fingerprint)
            throw InputError(quoted_path(kit_file) + ": input '" + quoted_path(input.path) +
                             "' changed since the kit was captured; recapture it with osv-symbols kit capture");
    }
}

void add_exports_from_kit(const std::filesystem::path& kit_file, ExportSet& into) {
    const Kit kit = read_kit(kit_file);
    if (into.arch && !(*into.arch == kit.arch))
        throw InputError(quoted_path(kit_file) + ": architecture " + kit.arch.describe() + " differs from the other exports (" +
                         into.arch->describe() + "); use one kernel");
    into.arch = kit.arch;
    into.names.insert(kit.exports.begin(), kit.exports.end());
    into.sources.push_back(kit_file);
}

}  // namespace osv
