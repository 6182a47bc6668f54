#include "yaml_keys.hpp"

#include <set>

namespace osv {

std::optional<DuplicateKey> duplicate_key(const YAML::Node& map) {
    if (!map.IsMap()) return std::nullopt;
    std::set<std::string> seen;
    for (const auto& item : map)
        if (item.first.IsScalar() && !seen.insert(item.first.Scalar()).second)
            return DuplicateKey{item.first.Scalar(), item.first.Mark()};
    return std::nullopt;
}

std::optional<DuplicateKey> duplicate_key_anywhere(const YAML::Node& node) {
    if (auto here = duplicate_key(node)) return here;
    if (node.IsMap()) {
        for (const auto& item : node)
            if (auto inside = duplicate_key_anywhere(item.second)) return inside;
    } else if (node.IsSequence()) {
        for (const auto& item : node)
            if (auto inside = duplicate_key_anywhere(item)) return inside;
    }
    return std::nullopt;
}

}  // namespace osv
