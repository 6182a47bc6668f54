// The link map of GNU ld (-Map): which archive members the link pulled in, and every input
// section kept in the output, with its size after relaxation and the output section it went to.
// This is the linker's own account, so sizes taken from it are exact.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace osv {

struct MapInput {
    std::string output_section;   // ".text"
    std::string section;          // ".text.foo", "*fill*" for alignment padding
    std::string file;             // "build/x.o", "lib.a(member.o)"; empty for padding and linker-made bytes
    std::uint64_t size = 0;
};

struct LinkMap {
    std::set<std::string> loaded_members;   // "archive(member)"
    std::vector<MapInput> inputs;           // kept input sections, in output order
};

// Throws InputError when the file cannot be read or is not an ld.bfd map.
LinkMap read_link_map(const std::filesystem::path& path);
LinkMap parse_link_map(const std::string& text, const std::filesystem::path& origin);

}  // namespace osv
