// The bootfs and disk (MBR + rofs) writers on their own, on guest trees built from fuzzed entries:
// whatever they write, the independent readers of tests/support read back as exactly the tree, and
// bootfs refuses only a path its 110-byte name field cannot hold (rofs refuses nothing this small).
//
// Input: lines "<kind><guest path>\t<content>", kind 'd' a folder, 'l' a symlink whose target is the
// content, anything else a file with the content as its bytes. Entries go in like build_guest_tree
// puts manifest entries (empty, "." and ".." components dropped here, as that function refuses them;
// a later entry replaces an earlier one; nothing goes inside a file or symlink, and no file replaces a
// filled folder), so the writers see every shape the tree can take.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

#include "error.hpp"
#include "fuzz_input.hpp"
#include "image_bootfs.hpp"
#include "image_disk.hpp"
#include "image_readers.hpp"
#include "image_rofs.hpp"
#include "image_tree.hpp"

namespace {

std::vector<std::string> components(std::string_view path) {
    std::vector<std::string> out;
    std::string name;
    for (const char c : std::string(path) + "/") {
        if (c != '/') {
            name += c == '\0' ? '0' : c;  // no name holds a NUL on any host
            continue;
        }
        if (!name.empty() && name != "." && name != "..") out.push_back(name);
        name.clear();
    }
    return out;
}

// Adds one entry; false when the tree's rules refuse it.
bool add_entry(osv::GuestNode& root, const std::vector<std::string>& names, osv::ImageEntryKind kind,
               const std::string& content, std::size_t number) {
    if (names.empty()) return false;  // the root is a folder
    osv::GuestNode* folder = &root;
    for (std::size_t i = 0; i + 1 < names.size(); ++i) {
        auto& child = folder->children[names[i]];
        if (!child) child = std::make_unique<osv::GuestNode>();
        if (child->kind != osv::ImageEntryKind::folder) return false;
        folder = child.get();
    }
    auto& node = folder->children[names.back()];
    if (node && node->kind == osv::ImageEntryKind::folder && !node->children.empty())
        return kind == osv::ImageEntryKind::folder;
    node = std::make_unique<osv::GuestNode>();
    node->kind = kind;
    node->origin = "fuzz:" + std::to_string(number);
    if (kind == osv::ImageEntryKind::symlink) node->link_target = content;
    if (kind == osv::ImageEntryKind::file) {
        node->host_path = osv::fuzz::scratch() / ("file" + std::to_string(number));
        std::ofstream(node->host_path, std::ios::binary | std::ios::trunc) << content;
    }
    return true;
}

osv::test::GuestListing expected_listing(const osv::GuestTree& tree) {
    osv::test::GuestListing out;
    for (const auto& [path, node] : osv::guest_paths_in_order(tree)) {
        switch (node->kind) {
        case osv::ImageEntryKind::folder: out[path] = {"dir", ""}; break;
        case osv::ImageEntryKind::file: out[path] = {"file", osv::read_guest_file(*node)}; break;
        case osv::ImageEntryKind::symlink: out[path] = {"link", node->link_target}; break;
        }
    }
    return out;
}

[[noreturn]] void finding(const char* what) {
    std::fprintf(stderr, "fuzz_image: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // The readers check with doctest's CHECK and REQUIRE: outside a test case, a failed one aborts.
    static doctest::Context context;
    context.setAsDefaultForAssertsOutOfTestCases();
    context.setAssertHandler([](const doctest::AssertData& data) {
        std::fprintf(stderr, "fuzz_image: reader check failed at %s:%d: %s\n", data.m_file, data.m_line, data.m_expr);
        std::abort();
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = osv::fuzz::text(data, size);
    osv::GuestTree tree;
    std::size_t number = 0;
    for (std::size_t start = 0; start < text.size() && number < 64;) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        const std::size_t tab = std::min(line.find('\t'), line.size());
        const auto kind = line[0] == 'd' ? osv::ImageEntryKind::folder
                          : line[0] == 'l' ? osv::ImageEntryKind::symlink : osv::ImageEntryKind::file;
        const std::string content(line.substr(std::min(tab + 1, line.size())));
        add_entry(tree.root, components(line.substr(1, tab - 1)), kind, content, number++);
    }
    const osv::test::GuestListing expected = expected_listing(tree);

    bool fits_bootfs = true;
    for (const auto& [path, node] : osv::guest_paths_in_order(tree))
        if (path.size() + (node->kind == osv::ImageEntryKind::folder) > osv::bootfs_max_path) fits_bootfs = false;
    try {
        const std::string archive = osv::bootfs_archive(tree);
        if (!fits_bootfs) finding("bootfs wrote a path longer than its name field");
        if (osv::test::read_bootfs(archive) != expected) finding("bootfs does not read back as the tree");
    } catch (const osv::InputError&) {
        if (fits_bootfs) finding("bootfs refused a tree whose paths all fit");
    }
    try {
        const std::string disk = osv::partitioned_disk(osv::rofs_image(tree));
        if (osv::test::read_rofs_disk(disk) != expected) finding("the rofs disk does not read back as the tree");
    } catch (const osv::InputError&) {
        finding("rofs refused a small tree");
    }
    return 0;
}
