#include <doctest/doctest.h>

#include <string>

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
