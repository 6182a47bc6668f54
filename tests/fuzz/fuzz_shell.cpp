// The splitter of make's dry-run lines: never crashes, and no word is empty-and-unquoted garbage
// beyond the line (every word's bytes come from the line).
#include <cstdlib>

#include "fuzz_input.hpp"
#include "process.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view line = osv::fuzz::text(data, size);
    std::size_t total = 0;
    for (const auto& command : osv::split_shell_commands(line)) {
        if (command.empty()) std::abort();
        for (const auto& word : command) total += word.size();
    }
    if (total > line.size()) std::abort();
    return 0;
}
