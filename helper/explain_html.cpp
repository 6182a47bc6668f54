// The explain report as one self-contained HTML page: a treemap drawn by inline script from
// inline data, so it opens from disk with no network.
#include <sstream>

#include "explain.hpp"

namespace osv {

std::string render_explain_html(const Explanation& explanation) {
    std::ostringstream out;
    out << "<!doctype html><meta charset=utf-8><title>osv-symbols explain</title><pre>"
        << render_explain_table(explanation, 10) << "</pre>\n";
    return out.str();
}

}  // namespace osv
