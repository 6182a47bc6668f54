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

TEST_CASE("atomic output: a finished file replaces an output only when its bytes differ") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "kernel.elf", "same");
    const auto before = fs::last_write_time(dir / "kernel.elf");
    auto stage = [&](const std::string& bytes) {
        TemporaryFile produced(dir / "kernel.elf");
        test::write_file(produced.path(), bytes);
        OutputBatch batch;
        batch.add_file(dir / "kernel.elf", std::move(produced));
        return batch.commit();
    };
    CHECK(stage("same").empty());
    CHECK(fs::last_write_time(dir / "kernel.elf") == before);
    CHECK(stage("different").size() == 1);
    CHECK(test::read_file(dir / "kernel.elf") == "different");
    int entries = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(dir)) ++entries;
    CHECK(entries == 1);  // no temporaries left behind
}

TEST_CASE("atomic output: all or nothing — one failing output leaves the others unchanged") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "app.vs", "old\n");
    OutputBatch batch;
    batch.add(dir / "app.vs", "new\n");
    batch.add(dir / "missing-folder" / "app.yaml", "report\n");
    CHECK_THROWS_AS(batch.commit(), InputError);
    CHECK(test::read_file(dir / "app.vs") == "old\n");
}

TEST_CASE("atomic output: an output may not be an input or another output") {
    const auto dir = test::scratch_dir();
    OutputBatch twice;
    twice.add(dir / "a", "1");
    twice.add(dir / "sub" / ".." / "a", "2");
    CHECK_THROWS_WITH_AS(twice.refuse_overlap({}),
                         ("'" + (dir / "sub" / ".." / "a").string() + "' is named as two outputs; give each its own file").c_str(),
                         UsageError);
    OutputBatch over_input;
    over_input.add(dir / "hello", "text");
    CHECK_THROWS_WITH_AS(over_input.refuse_overlap({dir / "hello"}),
                         ("output '" + (dir / "hello").string() + "' is also an input; write it elsewhere").c_str(),
                         UsageError);
    OutputBatch to_stdout;
    to_stdout.add("-", "x");
    CHECK_NOTHROW(to_stdout.refuse_overlap({"-"}));
}

TEST_CASE("atomic output: devices are written in place, never replaced") {
    CHECK(write_if_changed("/dev/null", "discarded\n") == false);
    CHECK(fs::is_character_file("/dev/null"));
    const auto dir = test::scratch_dir();
    TemporaryFile produced(dir / "kernel.elf");
    test::write_file(produced.path(), "bytes");
    OutputBatch batch;
    batch.add_file("/dev/null", std::move(produced));
    CHECK(batch.commit().count("/dev/null") == 1);
    CHECK(fs::is_character_file("/dev/null"));
    int entries = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(dir)) ++entries;
    CHECK(entries == 0);
}
