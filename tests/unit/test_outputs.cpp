#include <doctest/doctest.h>

#include "atomic_output.hpp"
#include "depfile.hpp"
#include "error.hpp"
#include "test_support.hpp"

using namespace osv;
namespace fs = std::filesystem;

TEST_CASE("depfile: make syntax, escaped, sorted and unique") {
    CHECK(render_depfile("out/app.vs", {"b file", "a#1", "c$d", "a#1"}) ==
          "out/app.vs: \\\n  a\\#1 \\\n  b\\ file \\\n  c$$d\n");
    CHECK(render_depfile("x", {}) == "x:\n");
}

TEST_CASE("atomic output: written once, not rewritten when unchanged, no temporaries left") {
    const auto dir = test::scratch_dir();
    const auto file = dir / "app.vs";
    CHECK(write_if_changed(file, "one\n"));
    const auto first = fs::last_write_time(file);
    CHECK_FALSE(write_if_changed(file, "one\n"));
    CHECK(fs::last_write_time(file) == first);
    CHECK(write_if_changed(file, "two\n"));
    CHECK(test::read_file(file) == "two\n");
    int entries = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(dir)) ++entries;
    CHECK(entries == 1);
    CHECK((fs::status(file).permissions() & fs::perms::others_read) != fs::perms::none);
}

TEST_CASE("atomic output: a missing folder is an InputError and creates nothing") {
    const auto dir = test::scratch_dir();
    CHECK_THROWS_AS(write_if_changed(dir / "no" / "such" / "out", "x"), InputError);
    CHECK_FALSE(fs::exists(dir / "no"));
}

TEST_CASE("atomic output: replace_if_changed keeps an identical file untouched") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "kernel.elf", "same");
    test::write_file(dir / "new", "same");
    const auto before = fs::last_write_time(dir / "kernel.elf");
    CHECK_FALSE(replace_if_changed(dir / "new", dir / "kernel.elf"));
    CHECK_FALSE(fs::exists(dir / "new"));
    CHECK(fs::last_write_time(dir / "kernel.elf") == before);
    test::write_file(dir / "new", "different");
    CHECK(replace_if_changed(dir / "new", dir / "kernel.elf"));
    CHECK(test::read_file(dir / "kernel.elf") == "different");
}

TEST_CASE("atomic output: devices are written in place, never replaced") {
    CHECK(write_if_changed("/dev/null", "discarded\n"));
    CHECK(fs::is_character_file("/dev/null"));
    const auto dir = test::scratch_dir();
    test::write_file(dir / "temp", "bytes");
    CHECK(replace_if_changed(dir / "temp", "/dev/null"));
    CHECK(fs::is_character_file("/dev/null"));
    CHECK_FALSE(fs::exists(dir / "temp"));
}
