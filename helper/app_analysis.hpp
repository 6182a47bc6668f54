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
void print_diagnostics(const AppAnalysis& analysis);

}  // namespace osv
