// What the YAML readers (the app config, kernel kits) share about keys: yaml-cpp keeps a key given
// twice in a mapping, and a lookup then silently takes one of the values; both readers refuse it.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace osv {

struct DuplicateKey {
    std::string name;
    YAML::Mark mark;  // of the second occurrence
};

// The first key that `map` gives twice (scalar keys, compared as written), if `map` is a mapping.
std::optional<DuplicateKey> duplicate_key(const YAML::Node& map);

// The same in `node` and every mapping inside it, at any depth, in document order.
std::optional<DuplicateKey> duplicate_key_anywhere(const YAML::Node& node);

}  // namespace osv
