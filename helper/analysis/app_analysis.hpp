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

// The dl* warnings alone (check prints them too): names looked up at run time are not imports, and
// the libraries a program dlopen()s must be inputs as well (with the strings that look like them).
void print_dl_warnings(const SymbolPlan& plan);

// The one-line error for unresolved imports under --strict or check: the names, who imports them,
// and the ways out.
std::string unresolved_failure(const SymbolPlan& plan, std::string_view what);

}  // namespace osv
