#include "depfile.hpp"

#include <algorithm>
#include <set>

#include "error.hpp"
#include "text_input.hpp"

namespace osv {
namespace {

std::string escape(const std::string& path) {
    const bool control = std::any_of(path.begin(), path.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (control || (!path.empty() && path.back() == '\\'))
        throw InputError(printable_name(path) +
                         ": a path with a newline, tab or control character, or ending in a backslash, cannot be "
                         "written in a Make depfile; rename it, or leave out --depfile");
    std::string out;
    for (char c : path) {
        if (c == ' ' || c == '#' || c == ':')
            out += '\\';
        else if (c == '$')
            out += '$';
        out += c;
    }
    return out;
}

}  // namespace

namespace {

template <typename Paths>
std::string render(const std::filesystem::path& target, const Paths& dependencies) {
    std::set<std::string> sorted;
    for (const auto& dependency : dependencies) sorted.insert(std::filesystem::path(dependency).lexically_normal().string());
    std::string text = escape(target.lexically_normal().string()) + ":";
    for (const auto& dependency : sorted) text += " \\\n  " + escape(dependency);
    return text + "\n";
}

}  // namespace

std::string render_depfile(const std::filesystem::path& target, const std::vector<std::filesystem::path>& dependencies) {
    return render(target, dependencies);
}

std::string render_depfile(const std::filesystem::path& target, const std::vector<std::string>& dependencies) {
    return render(target, dependencies);
}

}  // namespace osv
