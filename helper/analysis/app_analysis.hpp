// The analysis behind version-script and check: collect the app, check architectures, plan the
// symbol sets, and tell the user on standard error what needs their attention.
#pragma once

#include "app_request.hpp"
#include "symbol_sets.hpp"

namespace osv {

struct AppAnalysis {
    AppRequest request;
    ExportSet exports;
    AppInputs app;
    SymbolPlan plan;
};

AppAnalysis analyse_app(const ParsedOptions& options, std::string_view command, bool find_candidates);

// Warnings (dl* users, unmatched keeps, static programs) and unresolved imports, one line each.
// With a report to look at, a long unresolved list is cut after `unresolved_lines` lines.
inline constexpr std::size_t all_lines = static_cast<std::size_t>(-1);
void print_diagnostics(const AppAnalysis& analysis, std::size_t unresolved_lines = all_lines);

}  // namespace osv
