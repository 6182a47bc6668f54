#include "depfile.hpp"

#include <set>

namespace osv {
namespace {

std::string escape(const std::string& path) {
    std::string out;
    for (char c : path) {
        if (c == ' ' || c == '#')
            out += '\\';
        else if (c == '$')
            out += '$';
        out += c;
    }
    return out;
}

}  // namespace

std::string render_depfile(const std::filesystem::path& target, const std::vector<std::filesystem::path>& dependencies) {
    std::set<std::string> sorted;
    for (const auto& dependency : dependencies) sorted.insert(dependency.lexically_normal().string());
    std::string text = escape(target.lexically_normal().string()) + ":";
    for (const auto& dependency : sorted) text += " \\\n  " + escape(dependency);
    return text + "\n";
}

}  // namespace osv
