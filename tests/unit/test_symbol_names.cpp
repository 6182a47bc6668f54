#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "symbol_names.hpp"
#include "text_input.hpp"

using namespace osv;

TEST_CASE("symbol names: each name stored once, views stay valid while the table grows") {
    SymbolNames names;
    const auto puts = names.intern("puts");
    const std::string_view view = names.name(puts);
    for (int i = 0; i < 20000; ++i) names.intern("name_" + std::to_string(i));  // several rehashes and blocks
    CHECK(names.intern("puts") == puts);
    CHECK(view == "puts");
    CHECK(names.find("name_19999").has_value());
    CHECK_FALSE(names.find("name_20000").has_value());
    CHECK(names.size() == 20001);
    CHECK(names.intern("") == names.intern(""));
}

TEST_CASE("symbol names: every length reads back, across block ends and past a block's size") {
    // Names are stored with a one-byte length (254 and shorter) or a marker and four bytes, in
    // 64 KB blocks; a name longer than a block gets one of its own.
    SymbolNames names;
    std::vector<std::string> stored;
    for (const std::size_t size : {0, 1, 253, 254, 255, 256, 1000, 65535, 65536, 70000, 3})
        stored.push_back(std::string(size, static_cast<char>('a' + stored.size())));
    for (int i = 0; i < 3000; ++i) stored.push_back(std::string(200 + i % 90, static_cast<char>('0' + i % 10)) + std::to_string(i));
    std::vector<SymbolNames::Id> ids;
    for (const auto& name : stored) ids.push_back(names.intern(name));
    REQUIRE(names.size() == stored.size());
    for (std::size_t i = 0; i < stored.size(); ++i) {
        CHECK(ids[i] == i);
        CHECK(names.name(ids[i]) == stored[i]);
        CHECK(names.find(stored[i]) == ids[i]);
    }
    CHECK_FALSE(names.find(std::string(254, 'c')).has_value());  // one longer than a stored name
}

TEST_CASE("symbol names: a batch of lookups finds what find() finds, present or not, in order") {
    SymbolNames names;
    for (int i = 0; i < 5000; ++i) names.intern("fn_" + std::to_string(i));  // most home slots taken: probes go on
    names.intern(std::string(300, 'x'));
    std::vector<std::string> asked;
    for (int i = 0; i < 10000; i += 7) asked.push_back("fn_" + std::to_string(i));  // half of them absent
    asked.push_back(std::string(300, 'x'));
    asked.push_back(std::string(299, 'x'));
    std::vector<std::string_view> views(asked.begin(), asked.end());
    std::vector<std::uint64_t> hashes;
    for (const auto& name : asked) hashes.push_back(SymbolNames::hash(name));
    std::vector<std::pair<std::size_t, SymbolNames::Id>> found, expected;
    names.find_batch(views.data(), hashes.data(), views.size(), [&](std::size_t i, SymbolNames::Id id) { found.emplace_back(i, id); });
    for (std::size_t i = 0; i < asked.size(); ++i)
        if (const auto id = names.find(asked[i])) expected.emplace_back(i, *id);
    CHECK(found.size() == 716);  // fn_0 .. fn_4998 in steps of 7 (715), and the long name
    CHECK(found == expected);
    SymbolNames empty;
    empty.find_batch(views.data(), hashes.data(), views.size(), [&](std::size_t, SymbolNames::Id) { FAIL("found in nothing"); });
}

TEST_CASE("names: a quote, backslash or control character is refused at any place of a long name") {
    // is_writable_symbol_name() tests eight bytes at a time: each byte of a word, and the tail.
    const std::string plain = "_ZNSt6vectorIiSaIiEE9push_backEOi.cold@@GLIBCXX_3.4";
    CHECK(is_writable_symbol_name(plain));
    CHECK(is_writable_symbol_name("caf\xc3\xa9_\xff\x80z"));  // bytes from 0x80 up are fine
    for (std::size_t at = 0; at < plain.size(); ++at)
        for (const char bad : {'"', '\\', '\n', '\x01', '\x1f', '\x7f'}) {
            std::string name = plain;
            name[at] = bad;
            CHECK_FALSE(is_writable_symbol_name(name));
        }
    for (const char fine : {' ', '!', '#', '[', ']', '~', '\x20'}) CHECK(is_writable_symbol_name(plain + fine));
}
