#include "options.hpp"

#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "error.hpp"

namespace osv {

// Here, not in main.cpp: the subcommands that call it are in the library, and so must it be.
bool print_help_if_asked(const Arguments& args, const char* text) {
    for (const auto& arg : args)
        if (arg == "--help" || arg == "-h") {
            std::cout << text;
            return true;
        }
    return false;
}

std::optional<std::string> ParsedOptions::value(std::string_view name) const {
    const auto it = values_.find(std::string(name));
    if (it == values_.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedOptions::values(std::string_view name) const {
    const auto it = values_.find(std::string(name));
    return it == values_.end() ? std::vector<std::string>{} : it->second;
}

ParsedOptions parse_options(std::string_view command, const std::vector<std::string>& args,
                            const std::vector<OptionSpec>& specs, bool allow_positional) {
    const std::string prefix = "osv-symbols " + std::string(command) + ": ";
    ParsedOptions parsed;
    bool only_positional = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (only_positional || arg == "-" || !arg.starts_with("-")) {
            if (!allow_positional) throw UsageError(prefix + "unexpected argument '" + arg + "'");
            parsed.positional_.push_back(arg);
            continue;
        }
        if (arg == "--") {
            only_positional = true;
            continue;
        }
        const bool long_form = arg.starts_with("--");
        const std::string body = arg.substr(long_form ? 2 : 1);
        const auto equals = body.find('=');
        const std::string given = body.substr(0, equals);
        const auto spec = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) {
            return long_form ? s.name == given : (given.size() == 1 && s.short_name == given[0]);
        });
        if (spec == specs.end()) throw UsageError(prefix + "unknown option '" + arg + "'");
        const std::string& name = spec->name;
        std::string value;
        if (!spec->takes_value) {
            if (equals != std::string::npos) throw UsageError(prefix + "option --" + name + " takes no value");
        } else if (equals != std::string::npos) {
            value = body.substr(equals + 1);
        } else {
            if (i + 1 >= args.size()) throw UsageError(prefix + "option --" + name + " needs a value");
            value = args[++i];
        }
        auto& slot = parsed.values_[name];
        if (!slot.empty() && !spec->repeatable)
            throw UsageError(prefix + "option --" + name + " given more than once");
        slot.push_back(value);
    }
    return parsed;
}

}  // namespace osv
