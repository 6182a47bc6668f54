#include <doctest/doctest.h>

#include "config.hpp"
#include "error.hpp"
#include "input_error_of.hpp"
#include "options.hpp"
#include "process.hpp"
#include "test_support.hpp"

using namespace osv;
using Strings = std::vector<std::string>;

TEST_CASE("options: forms, repetition, positionals") {
    const std::vector<OptionSpec> specs = {{"keep", true, true}, {"strict", false, false}, {"output", true, false, 'o'}};
    const auto parsed = parse_options("x", {"a", "--keep", "k1", "--keep=k2", "--strict", "-o", "out", "--", "--b"}, specs, true);
    CHECK(parsed.values("keep") == Strings{"k1", "k2"});
    CHECK(parsed.has("strict"));
    CHECK(parsed.value("output") == "out");
    CHECK(parsed.positional() == Strings{"a", "--b"});
}

TEST_CASE("options: mistakes are UsageErrors with the command's name") {
    const std::vector<OptionSpec> specs = {{"output", true, false, 'o'}, {"strict", false, false}};
    CHECK_THROWS_WITH_AS(parse_options("needed", {"--bogus"}, specs, true), "osv-symbols needed: unknown option '--bogus'", UsageError);
    CHECK_THROWS_WITH_AS(parse_options("needed", {"-o"}, specs, true), "osv-symbols needed: option --output needs a value", UsageError);
    CHECK_THROWS_WITH_AS(parse_options("needed", {"-o", "a", "--output", "b"}, specs, true),
                         "osv-symbols needed: option --output given more than once", UsageError);
    CHECK_THROWS_WITH_AS(parse_options("needed", {"-s"}, specs, true), "osv-symbols needed: unknown option '-s'", UsageError);
    CHECK_THROWS_WITH_AS(parse_options("needed", {"--strict=yes"}, specs, true), "osv-symbols needed: option --strict takes no value",
                         UsageError);
    CHECK_THROWS_WITH_AS(parse_options("exports", {"file"}, specs, false), "osv-symbols exports: unexpected argument 'file'", UsageError);
}

TEST_CASE("config: settings, relative paths, and precise errors") {
    const auto dir = test::scratch_dir();
    const auto file = dir / "osv.yaml";
    test::write_file(file, "keep: [cos, 'pthread_*']\nkeep_files: [keep.txt]\nmanifests: [/abs/usr.manifest]\n"
                           "defines: {root: /opt}\nstrict: true\n");
    const auto config = read_app_config(file);
    CHECK(config.keep == Strings{"cos", "pthread_*"});
    CHECK(config.keep_files == std::vector<std::filesystem::path>{dir / "keep.txt"});
    CHECK(config.manifests == std::vector<std::filesystem::path>{"/abs/usr.manifest"});
    CHECK(config.defines.at("root") == "/opt");
    CHECK(config.strict);

    auto error_of = [&](const std::string& text) {
        test::write_file(file, text);
        return test::input_error_of([&] { read_app_config(file); });
    };
    const std::string name = file.string();
    CHECK(error_of("keep: [a\n") == name + ":2:1: end of sequence flow not found");
    CHECK(error_of("keep: [a]\nstrickt: true\n") == name + ":2:1: unknown setting 'strickt'; known: keep, keep_files, manifests, defines, strict");
    CHECK(error_of("keep: cos\n") == name + ":1:7: 'keep' must be a list");
    CHECK(error_of("strict: maybe\n") == name + ":1:9: 'strict' must be true or false");
    CHECK(error_of("- a\n") == name + ":1:1: expected a mapping of settings (keep, keep_files, manifests, defines, strict)");
    // Mistakes yaml-cpp lets through silently, or reports vaguely.
    CHECK(error_of("keep: [a]\nkeep: [b]\n") == name + ":2:1: 'keep' is set twice; keep one");
    CHECK(error_of("keep: [a]\n---\nstrict: true\n") == name + ":2:1: a second YAML document; put every setting in one mapping");
    CHECK(error_of("? [a, b]\n: x\n") == name + ":1:3: a setting name must be a word");
    CHECK(error_of("defines: {a: 1, a: 2}\n") == name + ":1:17: define 'a' is set twice; keep one");
    CHECK(error_of("defines: {[a]: 1}\n") == name + ":1:11: define names must be words");
    CHECK(error_of("keep: " + std::string(100000, '[') + "\n").find(": nested too deeply; a config is one mapping of lists and words") !=
          std::string::npos);
    CHECK(error_of("keep: " + std::string(100000, '[') + "\n").find("bad file") == std::string::npos);
    // Found by fuzz_config under ASan: yaml-cpp's LoadAll loops forever on a lone ","; an error, at once.
    CHECK(error_of(",").starts_with(name + ":1:1: "));
    CHECK(error_of(",k\x01uep: [malloc, \"\t").starts_with(name + ":"));
}

TEST_CASE("shell splitting of make's dry-run lines") {
    CHECK(split_shell_commands("ld -o out 'a b' \"c\\\"d\" e\\ f") ==
          std::vector<Strings>{{"ld", "-o", "out", "a b", "c\"d", "e f"}});
    CHECK(split_shell_commands("cd x && ld -o y; echo done") ==
          std::vector<Strings>{{"cd", "x"}, {"ld", "-o", "y"}, {"echo", "done"}});
    CHECK(split_shell_commands("   ").empty());
}
