#include "config.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <sstream>

#include "error.hpp"
#include "text_input.hpp"
#include "yaml_keys.hpp"

namespace osv {
namespace {

[[noreturn]] void fail_at(const std::filesystem::path& path, const YAML::Mark& mark, const std::string& what) {
    throw InputError(position_message(path, mark.line + 1, mark.column + 1, what));
}

std::vector<std::string> string_list(const std::filesystem::path& path, const YAML::Node& node, const std::string& key) {
    if (!node.IsSequence()) fail_at(path, node.Mark(), "'" + key + "' must be a list");
    std::vector<std::string> out;
    for (const auto& item : node) {
        if (!item.IsScalar()) fail_at(path, item.Mark(), "'" + key + "' entries must be strings");
        out.push_back(item.Scalar());
    }
    return out;
}

std::vector<std::filesystem::path> path_list(const std::filesystem::path& path, const YAML::Node& node,
                                             const std::string& key) {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : string_list(path, node, key)) {
        std::filesystem::path p = entry;
        out.push_back(p.is_relative() ? path.parent_path() / p : p);
    }
    return out;
}

// Where a second YAML document starts, if there is one. Not YAML::LoadAll: yaml-cpp 0.7 loops
// forever on some malformed streams (a lone ",") when asked for documents until there are none.
class DocumentStarts : public YAML::EventHandler {
public:
    YAML::Mark last;
    void OnDocumentStart(const YAML::Mark& mark) override { last = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

std::optional<YAML::Mark> second_document(const std::string& text) {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentStarts starts;
    if (!parser.HandleNextDocument(starts)) return std::nullopt;  // asked twice at most, never in a loop
    if (!parser.HandleNextDocument(starts)) return std::nullopt;
    return starts.last;
}

}  // namespace

AppConfig read_app_config(const std::filesystem::path& path) {
    const std::string text = read_text_file(path);
    YAML::Node root;
    try {
        root = YAML::Load(text);
        if (!root.IsNull() && !root.IsMap())
            fail_at(path, root.Mark(), "expected a mapping of settings (keep, keep_files, manifests, defines, strict)");
        // One document: settings after a '---' would otherwise be ignored without a word.
        if (const auto second = second_document(text))
            fail_at(path, *second, "a second YAML document; put every setting in one mapping");
    } catch (const YAML::DeepRecursion& error) {
        fail_at(path, error.mark, "nested too deeply; a config is one mapping of lists and words");
    } catch (const YAML::Exception& error) {
        fail_at(path, error.mark, error.msg);
    }
    AppConfig config;
    if (root.IsNull()) return config;
    if (!root.IsMap()) fail_at(path, root.Mark(), "expected a mapping of settings (keep, keep_files, manifests, defines, strict)");
    // A key that comes twice (one value would win silently) or is not a word (a list, a mapping)
    // is a mistake in the file.
    if (const auto twice = duplicate_key(root)) fail_at(path, twice->mark, "'" + twice->name + "' is set twice; keep one");
    for (const auto& item : root) {
        if (!item.first.IsScalar()) fail_at(path, item.first.Mark(), "a setting name must be a word");
        const std::string key = item.first.Scalar();
        const YAML::Node& value = item.second;
        try {
            if (key == "keep") {
                config.keep = string_list(path, value, key);
            } else if (key == "keep_files") {
                config.keep_files = path_list(path, value, key);
            } else if (key == "manifests") {
                config.manifests = path_list(path, value, key);
            } else if (key == "defines") {
                if (!value.IsMap()) fail_at(path, value.Mark(), "'defines' must be a mapping of VAR: VALUE");
                if (const auto twice = duplicate_key(value))
                    fail_at(path, twice->mark, "define '" + twice->name + "' is set twice; keep one");
                for (const auto& define : value) {
                    if (!define.first.IsScalar()) fail_at(path, define.first.Mark(), "define names must be words");
                    if (!define.second.IsScalar()) fail_at(path, define.second.Mark(), "define values must be strings");
                    config.defines[define.first.Scalar()] = define.second.Scalar();
                }
            } else if (key == "strict") {
                if (!value.IsScalar()) fail_at(path, value.Mark(), "'strict' must be true or false");
                config.strict = value.as<bool>();
            } else {
                fail_at(path, item.first.Mark(),
                        "unknown setting '" + key + "'; known: keep, keep_files, manifests, defines, strict");
            }
        } catch (const YAML::BadConversion&) {
            fail_at(path, value.Mark(), "'" + key + "' must be true or false");
        }
    }
    return config;
}

}  // namespace osv
