#include <doctest/doctest.h>

#include "error.hpp"
#include "exports.hpp"
#include "test_support.hpp"

using namespace osv;
using Names = std::vector<std::string>;

TEST_CASE("exports: plain lists take one name per line, comments and version suffixes removed") {
    CHECK(parse_symbol_list("# OSv all.symbols\nputs\n\n  memcpy@GLIBC_2.14  \nfree # trailing\n", "all.symbols") ==
          Names{"puts", "memcpy", "free"});
    try {
        parse_symbol_list("puts\nnot one\n", "all.symbols");
        FAIL("expected an error");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()) == "all.symbols:2:4: expected one symbol name per line, found 'not one'");
    }
    // Found by fuzz_version_script: a line "@" gave an empty name, which a written list loses.
    CHECK_THROWS_WITH_AS(parse_symbol_list("puts\n  @GLIBC_2.2\n", "all.symbols"),
                         "all.symbols:2:3: '@GLIBC_2.2' has a version but no symbol name", InputError);
}

TEST_CASE("exports: the source format is recognised by content, and sources add up") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "list", "puts\nstrlen\n");
    test::write_file(dir / "script", "{ global: puts; malloc; local: *; };\n");
    ExportSet set;
    CHECK(add_exports_from(dir / "list", set) == ExportSourceFormat::list);
    CHECK(add_exports_from(dir / "script", set) == ExportSourceFormat::version_script);
    CHECK(!set.arch);
    CHECK(Names(set.names.begin(), set.names.end()) == Names{"malloc", "puts", "strlen"});
    CHECK(add_exports_from(test::fixtures() / "fake-kernel.so", set) == ExportSourceFormat::elf);
    CHECK(set.arch.has_value());
    CHECK(set.names.count("kernel_only_function"));
    CHECK(set.sources.size() == 3);
}

TEST_CASE("exports: binary data that is not ELF is refused") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "blob", std::string("\x01\x02\0\x03", 4));
    ExportSet set;
    CHECK_THROWS_WITH_AS(add_exports_from(dir / "blob", set),
                         ((dir / "blob").string() + ": binary data that is not ELF; pass a kernel ELF, a version script or a symbol list").c_str(),
                         InputError);
}
