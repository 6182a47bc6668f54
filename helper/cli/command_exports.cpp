// osv-symbols exports: the kernel's export universe as a sorted list, from any supported source.
#include "app_request.hpp"
#include "atomic_output.hpp"
#include "commands.hpp"

namespace osv {
namespace {

constexpr const char* exports_usage = R"(usage: osv-symbols exports --exports SOURCE [--exports SOURCE]... [--kit KIT]... [-o OUT]

Prints the names a kernel exports, sorted, one per line. SOURCE is recognised by content:
  an ELF file        its defined global and weak dynamic symbols (the kernel itself)
  a version script   the names under global: (comments, several nodes and local: *; handled)
  a plain list       one name per line, '#' comments (like OSv's all.symbols)
Several sources give their union. --kit KIT uses a kernel kit's export universe.
  -o, --output OUT   write here ('-' or absent: standard output)
)";

}  // namespace

int run_exports(const Arguments& args) {
    if (print_help_if_asked(args, exports_usage)) return 0;
    auto specs = exports_option_specs();
    specs.insert(specs.end(), {{"output", true, false, 'o'}});
    const ParsedOptions options = parse_options("exports", args, specs, false);
    const ExportSet exports = export_set_from(options, "exports");
    std::string text;
    for (const auto& name : exports.names) text += name + "\n";
    OutputBatch outputs;
    outputs.add(options.value("output").value_or("-"), text);
    outputs.refuse_overlap(exports.sources);
    outputs.commit();
    return 0;
}

}  // namespace osv
