#include "kit_commands.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include "kit.hpp"

namespace osv {
namespace {

enum class Kind {
    flag,            // no value
    value,           // a value that is not a file (a symbol, an address, a word)
    folder,          // a search folder (-L): read only through the files found there
    file,            // a file the tool reads: must be a kit input
    output,          // -o: must be {output}
    version_script,  // --version-script: {version_script} or a kit input
};

struct Option {
    std::string_view name;
    Kind kind;
    bool separate = true;  // the value may be the next argument ("--defsym X"), not only "--defsym=X"
};

// GNU ld, ld.lld and gold options that neither write files nor load code. Anything else
// (-Map, --dependency-file, --plugin, --error-handling-script, --reproduce, -l, ...) is refused.
constexpr auto link_options = std::to_array<Option>({
    {"-o", Kind::output}, {"--output", Kind::output},
    {"-T", Kind::file}, {"--script", Kind::file}, {"--version-script", Kind::version_script},
    {"--dynamic-list", Kind::file}, {"--retain-symbols-file", Kind::file}, {"--symbol-ordering-file", Kind::file},
    {"-L", Kind::folder}, {"--library-path", Kind::folder}, {"-rpath-link", Kind::folder}, {"--rpath-link", Kind::folder},
    {"--sysroot", Kind::folder, false},
    {"-Ttext", Kind::value}, {"-Tdata", Kind::value}, {"-Tbss", Kind::value}, {"-Ttext-segment", Kind::value},
    {"-Trodata-segment", Kind::value}, {"-Tldata-segment", Kind::value}, {"--section-start", Kind::value},
    {"--defsym", Kind::value}, {"-m", Kind::value}, {"-e", Kind::value}, {"--entry", Kind::value}, {"-z", Kind::value},
    {"--exclude-libs", Kind::value}, {"-soname", Kind::value}, {"-h", Kind::value}, {"--soname", Kind::value},
    {"-u", Kind::value}, {"--undefined", Kind::value}, {"--require-defined", Kind::value}, {"-rpath", Kind::value},
    {"--rpath", Kind::value}, {"--dynamic-linker", Kind::value}, {"-I", Kind::value}, {"--image-base", Kind::value},
    {"--oformat", Kind::value}, {"-O", Kind::value}, {"--wrap", Kind::value}, {"-y", Kind::value},
    {"--trace-symbol", Kind::value}, {"--export-dynamic-symbol", Kind::value}, {"-A", Kind::value},
    {"--architecture", Kind::value}, {"-b", Kind::value}, {"--format", Kind::value},
    {"--hash-style", Kind::value, false}, {"--icf", Kind::value, false}, {"--build-id", Kind::value, false},
    {"--sort-section", Kind::value, false}, {"--orphan-handling", Kind::value, false},
    {"--unresolved-symbols", Kind::value, false}, {"--threads", Kind::value, false},
    {"--compress-debug-sections", Kind::value, false}, {"--error-limit", Kind::value, false},
    {"-Bdynamic", Kind::flag}, {"-Bstatic", Kind::flag}, {"-Bsymbolic", Kind::flag}, {"-Bsymbolic-functions", Kind::flag},
    {"-dy", Kind::flag}, {"-dn", Kind::flag}, {"--export-dynamic", Kind::flag}, {"-E", Kind::flag},
    {"--no-export-dynamic", Kind::flag}, {"--eh-frame-hdr", Kind::flag}, {"--no-eh-frame-hdr", Kind::flag},
    {"--enable-new-dtags", Kind::flag}, {"--disable-new-dtags", Kind::flag}, {"--gc-sections", Kind::flag},
    {"--no-gc-sections", Kind::flag}, {"--print-gc-sections", Kind::flag}, {"--no-print-gc-sections", Kind::flag},
    {"--whole-archive", Kind::flag}, {"--no-whole-archive", Kind::flag}, {"--as-needed", Kind::flag},
    {"--no-as-needed", Kind::flag}, {"--start-group", Kind::flag}, {"--end-group", Kind::flag}, {"-(", Kind::flag},
    {"-)", Kind::flag}, {"--no-warn-rwx-segments", Kind::flag}, {"--warn-rwx-segments", Kind::flag},
    {"--no-warn-execstack", Kind::flag}, {"--warn-execstack", Kind::flag}, {"--no-relax-gp", Kind::flag},
    {"-relax", Kind::flag}, {"--relax", Kind::flag}, {"--no-relax", Kind::flag}, {"--no-error-rwx-segments", Kind::flag},
    {"-static", Kind::flag}, {"-shared", Kind::flag}, {"-pie", Kind::flag}, {"--pie", Kind::flag}, {"-no-pie", Kind::flag},
    {"--no-pie", Kind::flag}, {"-nostdlib", Kind::flag}, {"--no-undefined", Kind::flag},
    {"--allow-multiple-definition", Kind::flag}, {"-s", Kind::flag}, {"-S", Kind::flag}, {"--strip-all", Kind::flag},
    {"--strip-debug", Kind::flag}, {"--build-id", Kind::flag}, {"-x", Kind::flag}, {"-X", Kind::flag},
    {"--discard-all", Kind::flag}, {"--discard-locals", Kind::flag}, {"--no-dynamic-linker", Kind::flag},
    {"--sort-common", Kind::flag}, {"--fatal-warnings", Kind::flag}, {"--no-fatal-warnings", Kind::flag},
    {"-N", Kind::flag}, {"-n", Kind::flag}, {"--omagic", Kind::flag}, {"--nmagic", Kind::flag},
    {"--demangle", Kind::flag}, {"--no-demangle", Kind::flag}, {"--emit-relocs", Kind::flag}, {"-q", Kind::flag},
    {"-M", Kind::flag}, {"--print-map", Kind::flag}, {"--cref", Kind::flag}, {"--stats", Kind::flag},
    {"--warn-common", Kind::flag}, {"--no-undefined-version", Kind::flag}, {"--undefined-version", Kind::flag},
    {"--no-rosegment", Kind::flag}, {"--rosegment", Kind::flag}, {"--no-keep-memory", Kind::flag},
    {"--reduce-memory-overheads", Kind::flag}, {"--warn-once", Kind::flag}, {"--error-unresolved-symbols", Kind::flag},
    {"--warn-unresolved-symbols", Kind::flag}, {"--allow-shlib-undefined", Kind::flag},
    {"--no-allow-shlib-undefined", Kind::flag}, {"--copy-dt-needed-entries", Kind::flag},
    {"--no-copy-dt-needed-entries", Kind::flag}, {"--ld-generated-unwind-info", Kind::flag},
    {"--no-ld-generated-unwind-info", Kind::flag}, {"--no-define-common", Kind::flag},
});

// strip, objcopy and llvm-strip options that neither write extra files (--dump-section,
// --split-dwo) nor read any (--keep-symbols=FILE, --add-section).
constexpr auto strip_options = std::to_array<Option>({
    {"-o", Kind::output},
    {"-R", Kind::value}, {"--remove-section", Kind::value}, {"-K", Kind::value}, {"--keep-symbol", Kind::value},
    {"-N", Kind::value}, {"--strip-symbol", Kind::value}, {"--keep-section", Kind::value}, {"-F", Kind::value},
    {"--target", Kind::value}, {"-I", Kind::value}, {"--input-target", Kind::value}, {"-O", Kind::value},
    {"--output-target", Kind::value}, {"--remove-relocations", Kind::value},
    {"-s", Kind::flag}, {"--strip-all", Kind::flag}, {"-S", Kind::flag}, {"-g", Kind::flag}, {"-d", Kind::flag},
    {"--strip-debug", Kind::flag}, {"--strip-unneeded", Kind::flag}, {"-x", Kind::flag}, {"--discard-all", Kind::flag},
    {"-X", Kind::flag}, {"--discard-locals", Kind::flag}, {"-p", Kind::flag}, {"--preserve-dates", Kind::flag},
    {"-D", Kind::flag}, {"--enable-deterministic-archives", Kind::flag}, {"-U", Kind::flag},
    {"--disable-deterministic-archives", Kind::flag}, {"--only-keep-debug", Kind::flag}, {"--strip-dwo", Kind::flag},
    {"-w", Kind::flag}, {"--wildcard", Kind::flag}, {"--keep-file-symbols", Kind::flag},
});

constexpr std::array<std::string_view, 3> placeholders = {kit_output, kit_version_script, kit_input};

bool has_placeholder(std::string_view text) {
    return std::any_of(placeholders.begin(), placeholders.end(),
                       [&](std::string_view p) { return text.find(p) != std::string_view::npos; });
}

// One argument understood: an option (with its value, if any) or a positional argument.
struct Argument {
    const Option* option = nullptr;  // null for a positional argument
    std::string value;               // the option's value, or the positional argument
};

template <std::size_t N>
const Option* find_option(const std::array<Option, N>& table, const std::string& arg, std::string& value, bool& takes_next) {
    takes_next = false;
    for (const auto& option : table)
        if (arg == option.name && (option.kind == Kind::flag || option.separate)) {
            takes_next = option.kind != Kind::flag;
            return &option;
        }
    for (const auto& option : table)
        if (option.kind != Kind::flag && arg.size() > option.name.size() + 1 && arg.starts_with(option.name) &&
            arg[option.name.size()] == '=') {
            value = arg.substr(option.name.size() + 1);
            return &option;
        }
    // Single-letter options take their value attached too ("-Lfolder", "-o{output}").
    for (const auto& option : table)
        if (option.kind != Kind::flag && option.name.size() == 2 && arg.size() > 2 && arg.starts_with(option.name)) {
            value = arg.substr(2);
            return &option;
        }
    return nullptr;
}

// The arguments after argv[0], or a problem with them.
template <std::size_t N>
std::string parse_arguments(const std::vector<std::string>& argv, const std::array<Option, N>& table, const char* tool,
                            std::vector<Argument>& out) {
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& arg = argv[i];
        if (arg.starts_with("@")) return "passes the response file '" + arg + "' (its options cannot be checked)";
        if (!arg.starts_with("-") || arg == "-") {
            out.push_back({nullptr, arg});
            continue;
        }
        if (arg.starts_with("-l"))
            return "links the library '" + arg + "' by search (name its file instead, so it is a fingerprinted input)";
        Argument parsed;
        bool takes_next = false;
        parsed.option = find_option(table, arg, parsed.value, takes_next);
        if (!parsed.option)
            return "passes '" + arg + "', not an option a kit may give " + tool +
                   " (it could write or load files other than the kit's)";
        if (takes_next) {
            if (i + 1 == argv.size()) return "ends with '" + arg + "', which needs a value";
            parsed.value = argv[++i];
        }
        out.push_back(std::move(parsed));
    }
    return {};
}

class CommandCheck {
public:
    CommandCheck(const Kit& kit, const char* field) : kit_(kit), field_(field) {
        for (const auto& input : kit.inputs) inputs_.insert(input.path.lexically_normal());
    }

    std::string problem(const std::string& what) const { return "'" + std::string(field_) + "' " + what; }

    bool is_input(const std::string& arg) const {
        const std::filesystem::path path = arg;
        return inputs_.count((path.is_absolute() ? path : kit_.link_cwd / path).lexically_normal()) > 0;
    }

    std::string not_an_input(const std::string& arg) const {
        return problem("names '" + arg + "', which is not one of the kit's fingerprinted inputs");
    }

private:
    const Kit& kit_;
    const char* field_;
    std::set<std::filesystem::path> inputs_;
};

bool is_linker(const std::string& program) {
    const std::string name = std::filesystem::path(program).filename().string();
    return name == "ld" || name == "ld.bfd" || name == "ld.lld" || name == "ld.gold" ||
           (name.size() > 3 && (name.ends_with("-ld") || name.ends_with("-ld.bfd")));
}

bool is_strip(const std::string& program) {
    const std::string name = std::filesystem::path(program).filename().string();
    return name == "strip" || name == "objcopy" || name == "llvm-strip" || (name.size() > 6 && name.ends_with("-strip"));
}

std::string link_problem(const Kit& kit) {
    const CommandCheck check(kit, "link.argv");
    if (kit.link_argv.empty()) return check.problem("is empty");
    if (!is_linker(kit.link_argv[0]))
        return check.problem("runs '" + kit.link_argv[0] + "', not a linker (ld, ld.bfd, ld.lld, ld.gold, *-ld, *-ld.bfd)");
    std::vector<Argument> arguments;
    if (auto problem = parse_arguments(kit.link_argv, link_options, "the linker", arguments); !problem.empty())
        return check.problem(problem);
    std::size_t outputs = 0;
    for (const auto& argument : arguments) {
        const Kind kind = argument.option ? argument.option->kind : Kind::file;
        const std::string& value = argument.value;
        if (kind == Kind::output) {
            if (value != kit_output) return check.problem("writes '" + value + "'; its only output may be " + std::string(kit_output));
            ++outputs;
        } else if (kind == Kind::version_script && value == kit_version_script) {
            continue;
        } else if (has_placeholder(value)) {
            return check.problem("has a placeholder in '" + value + "' (only -o " + std::string(kit_output) +
                                 " and --version-script=" + std::string(kit_version_script) + " take them)");
        } else if ((kind == Kind::file || kind == Kind::version_script) && !check.is_input(value)) {
            return check.not_an_input(value);
        }
    }
    if (outputs != 1) return check.problem("must name its output once, as -o " + std::string(kit_output));
    return {};
}

std::string strip_problem(const Kit& kit) {
    const CommandCheck check(kit, "strip.argv");
    if (kit.strip_argv.empty()) return check.problem("is empty");
    if (!is_strip(kit.strip_argv[0]))
        return check.problem("runs '" + kit.strip_argv[0] + "', not strip (strip, objcopy, llvm-strip, *-strip)");
    std::vector<Argument> arguments;
    if (auto problem = parse_arguments(kit.strip_argv, strip_options, "strip", arguments); !problem.empty())
        return check.problem(problem);
    std::size_t outputs = 0, inputs = 0;
    for (const auto& argument : arguments) {
        const std::string& value = argument.value;
        const bool output = argument.option ? argument.option->kind == Kind::output : value == kit_output;
        if (output) {
            if (value != kit_output) return check.problem("writes '" + value + "'; its only output may be " + std::string(kit_output));
            ++outputs;
        } else if (!argument.option && value == kit_input) {
            ++inputs;
        } else if (has_placeholder(value)) {
            return check.problem("has a placeholder in '" + value + "'");
        } else if (!argument.option) {
            return check.problem("names '" + value + "'; strip reads only " + std::string(kit_input));
        }
    }
    if (inputs != 1 || outputs != 1)
        return check.problem("must name " + std::string(kit_input) + " and " + std::string(kit_output) + " once each");
    return {};
}

}  // namespace

std::string kit_command_problem(const Kit& kit) {
    if (kit.inputs.empty()) return "'inputs' is empty (a link reads files)";
    if (auto problem = link_problem(kit); !problem.empty()) return problem;
    return strip_problem(kit);
}

std::vector<std::string> link_option_files(const std::vector<std::string>& argv) {
    std::vector<Argument> arguments;
    parse_arguments(argv, link_options, "the linker", arguments);
    std::vector<std::string> files;
    for (const auto& argument : arguments)
        if (argument.option && argument.option->name != "-T" && argument.option->name != "--script" &&
            (argument.option->kind == Kind::file || argument.option->kind == Kind::version_script) &&
            !has_placeholder(argument.value))
            files.push_back(argument.value);
    return files;
}

}  // namespace osv
