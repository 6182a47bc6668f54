#include <doctest/doctest.h>

#include "error.hpp"
#include "input_error_of.hpp"
#include "test_support.hpp"
#include "version_script.hpp"

using namespace osv;
using Names = std::vector<std::string>;

namespace {
Names parse(std::string_view text) { return parse_version_script_globals(text, "app.vs"); }
std::string error_of(std::string_view text) { return test::input_error_of([&] { parse(text); }); }
}  // namespace

TEST_CASE("version script: OSv's generic shape") {
    CHECK(parse("{\n\tglobal:\n\t\tputs;\n\t\t__libc_start_main;\n\tlocal:\n\t\t*;\n};\n") ==
          Names{"__libc_start_main", "puts"});
}

TEST_CASE("version script: comments, several nodes, tags, dependencies and quotes") {
    const char* text = R"(/* leading
   comment */ # and a hash comment
VERS_1 { global: a; "b"; local: *; };
VERS_2 { global: c; # trailing
  d@VERS_X; } VERS_1;
{ e; local: hidden; };
)";
    CHECK(parse(text) == Names{"a", "b", "c", "d", "e"});
}

TEST_CASE("version script: a symbol literally named global or local") {
    CHECK(parse("{ global: global; local; local: *; };") == Names{"global", "local"});
}

TEST_CASE("version script: errors name file, line and column") {
    CHECK(error_of("{\n  global:\n    puts\n  local: *;\n};") == "app.vs:4:3: expected ';' after a name, found 'local'");
    CHECK(error_of("{ global: a; /* never closed") == "app.vs:1:14: unterminated /* comment");
    CHECK(error_of("{ global: mem*; };") == "app.vs:1:11: wildcard 'mem*' under global: names no symbol; list the names");
    CHECK(error_of("{ global: extern \"C++\" { x; }; };") ==
          "app.vs:1:11: extern \"C++\" blocks are not supported; list the mangled names instead");
    CHECK(error_of("{ global: a;\n") == "app.vs:2:1: missing '}' at end of file");
    CHECK(error_of("") == "app.vs:1:1: no version node ('{ global: ...; local: *; };') found");
    CHECK(error_of("{ global: a; }") == "app.vs:1:15: expected ';' after '}', found end of file");
    CHECK(error_of("{ global: ; };") == "app.vs:1:11: expected a symbol name, found ';'");
    // Found by fuzz_version_script: "@V" alone became an empty name, written back as nothing.
    CHECK(error_of("{ global: @V1; };") == "app.vs:1:11: '@V1' has a version but no symbol name");
    CHECK(error_of("{ global: \"@@V\"; };") == "app.vs:1:11: '@@V' has a version but no symbol name");
}

TEST_CASE("version script: detection ignores braces in comments") {
    CHECK(looks_like_version_script("{ global: a; };"));
    CHECK_FALSE(looks_like_version_script("# { not a script\nputs\n"));
    CHECK_FALSE(looks_like_version_script("/* { */ puts\n"));
}

TEST_CASE("version script: rendered from the template, and parses back to the same names") {
    const Names names = {"__libc_start_main", "puts"};
    const std::string text = render_version_script(names);
    std::string expected = test::read_file(test::source_dir() / ".." / "templates" / "version_script.in");
    expected.replace(expected.find("@SYMBOLS@\n"), 10, "    __libc_start_main;\n    puts;\n");
    CHECK(text == expected);
    CHECK(parse(text) == names);
    CHECK(parse(render_version_script({})) == Names{});
}

TEST_CASE("version script: names that are not plain identifiers are quoted, and parse back") {
    const Names names = {"odd name", "plain", "we;ird}"};
    const std::string text = render_version_script(names);
    CHECK(text.find("    \"odd name\";\n") != std::string::npos);
    CHECK(text.find("    plain;\n") != std::string::npos);
    CHECK(parse(text) == names);
}
