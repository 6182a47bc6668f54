// A small, strict command-line parser shared by the subcommands: "--name value", "--name=value",
// repeatable options, flags and positional arguments; anything unknown is a UsageError.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace osv {

struct OptionSpec {
    std::string name;       // without the leading dashes
    bool takes_value = true;
    bool repeatable = false;
    char short_name = 0;    // e.g. 'o' for -o, the same option as --output
};

class ParsedOptions {
public:
    bool has(std::string_view name) const { return values_.count(std::string(name)) > 0; }
    std::optional<std::string> value(std::string_view name) const;
    std::vector<std::string> values(std::string_view name) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    friend ParsedOptions parse_options(std::string_view command, const std::vector<std::string>& args,
                                       const std::vector<OptionSpec>& specs, bool allow_positional);
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positional_;
};

ParsedOptions parse_options(std::string_view command, const std::vector<std::string>& args,
                            const std::vector<OptionSpec>& specs, bool allow_positional);

}  // namespace osv
