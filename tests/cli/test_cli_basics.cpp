// The command line itself: help, version, exit statuses, one-line errors.
#include <doctest/doctest.h>

#include "test_support.hpp"

using namespace osv::test;

TEST_CASE("cli: --version and --help for every command") {
    const Run version = osv_symbols({"--version"});
    CHECK(version.status == 0);
    CHECK(version.out.starts_with("osv-symbols "));
    for (const char* command : {"needed", "exports", "version-script", "check", "relink", "closure"}) {
        CAPTURE(command);
        const Run help = osv_symbols({command, "--help"});
        CHECK(help.status == 0);
        CHECK(help.out.starts_with(std::string("usage: osv-symbols ") + command));
    }
    const Run kit_help = osv_symbols({"kit", "capture", "--help"});
    CHECK(kit_help.status == 0);
    CHECK(kit_help.out.starts_with("usage: osv-symbols kit capture"));
    CHECK(osv_symbols({}).status == 2);
}

TEST_CASE("cli: usage errors are exit 2 with one line pointing at --help") {
    const Run unknown = osv_symbols({"frobnicate"});
    CHECK(unknown.status == 2);
    CHECK(unknown.err == "osv-symbols: error: unknown command 'frobnicate'; run 'osv-symbols --help'\n");
    const Run bad_option = osv_symbols({"needed", "--frob"});
    CHECK(bad_option.status == 2);
    CHECK(bad_option.err == "osv-symbols: error: needed: unknown option '--frob' (see 'osv-symbols needed --help')\n");
    const Run no_exports = osv_symbols({"version-script", (fixtures() / "hello-pie").string()});
    CHECK(no_exports.status == 2);
    CHECK(no_exports.err ==
          "osv-symbols: error: version-script: --exports SOURCE or --kit KIT is required (the kernel's export universe) (see "
          "'osv-symbols version-script --help')\n");
    const Run bad_linker = osv_symbols({"relink", "--kit", "k", "--version-script", "v", "-o", "o", "--linker", "gold"});
    CHECK(bad_linker.status == 2);
    CHECK(bad_linker.err.starts_with("osv-symbols: error: relink: --linker takes bfd or lld, got 'gold'"));
}
