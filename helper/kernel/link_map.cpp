#include "link_map.hpp"

#include <sstream>

#include "error.hpp"
#include "text_input.hpp"

namespace osv {
namespace {

bool is_hex(const std::string& word) { return word.size() > 2 && word[0] == '0' && word[1] == 'x'; }

std::vector<std::string> words_of(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

}  // namespace

LinkMap parse_link_map(const std::string& text, const std::filesystem::path& origin) {
    LinkMap map;
    enum class Part { start, members, discarded, memory, layout } part = Part::start;
    std::istringstream lines(text);
    std::string line, output, pending;  // pending: an input section name whose numbers are on the next line
    bool seen_layout = false;
    while (std::getline(lines, line)) {
        if (line.starts_with("Archive member included")) { part = Part::members; continue; }
        if (line.starts_with("Discarded input sections") || line.starts_with("Allocating common symbols")) {
            part = Part::discarded;
            continue;
        }
        if (line.starts_with("Memory Configuration")) { part = Part::memory; continue; }
        if (line.starts_with("Linker script and memory map")) { part = Part::layout; seen_layout = true; continue; }
        if (line.empty()) continue;
        if (part == Part::members) {
            if (line[0] != ' ' && line.back() == ')') map.loaded_members.insert(line);
            continue;
        }
        if (part != Part::layout) continue;
        if (line[0] != ' ') {  // an output section: ".text   0x... 0x..." or its name alone
            const auto words = words_of(line);
            static const char* const commands[] = {"LOAD", "OUTPUT(", "INPUT(", "START", "END", "GROUP(", "TARGET("};
            bool command = false;
            for (const char* name : commands) command = command || (!words.empty() && words[0].starts_with(name));
            if (!words.empty() && !command && !words[0].starts_with("0x")) output = words[0];
            pending.clear();
            continue;
        }
        auto words = words_of(line);
        if (words.empty()) continue;
        if (line[1] != ' ') {  // an input section (" .text.foo 0x... 0x... file"), a pattern or *fill*
            pending.clear();
            if (words[0].starts_with("*(") || words[0].starts_with("KEEP") || words[0].starts_with("SORT") ||
                (words[0].starts_with("*") && words[0] != "*fill*"))
                continue;
            if (words.size() == 1) {
                pending = words[0];
                continue;
            }
            if (words.size() >= 3 && is_hex(words[1]) && is_hex(words[2]) && output != "/DISCARD/") {
                MapInput input{output, words[0], "", std::stoull(words[2], nullptr, 16)};
                if (words[0] != "*fill*" && words.size() >= 4) {
                    std::string file = words[3];
                    for (std::size_t w = 4; w < words.size(); ++w) file += " " + words[w];
                    input.file = file;
                }
                map.inputs.push_back(std::move(input));
            }
            continue;
        }
        // Indented: numbers of a pending input section, a symbol, or "(size before relaxing)".
        if (!pending.empty() && words.size() >= 3 && is_hex(words[0]) && is_hex(words[1]) && output != "/DISCARD/") {
            MapInput input{output, pending, "", std::stoull(words[1], nullptr, 16)};
            std::string file = words[2];
            for (std::size_t w = 3; w < words.size(); ++w) file += " " + words[w];
            input.file = file;
            map.inputs.push_back(std::move(input));
        }
        pending.clear();
    }
    if (!seen_layout) throw InputError(quoted_path(origin) + ": not a GNU ld link map (no 'Linker script and memory map')");
    return map;
}

LinkMap read_link_map(const std::filesystem::path& path) { return parse_link_map(read_text_file(path), path); }

}  // namespace osv
