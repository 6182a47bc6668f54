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
    // ':' is escaped (GNU make reads "a\:b" as one name); what Make cannot express is refused.
    CHECK(render_depfile("out", {"C:drive"}) == "out: \\\n  C\\:drive\n");
    const std::string refused = ": a path with a newline, tab or control character, or ending in a backslash, cannot be "
                                "written in a Make depfile; rename it, or leave out --depfile";
    CHECK_THROWS_WITH_AS(render_depfile("out", {"two\nlines"}), ("two\\nlines" + refused).c_str(), InputError);
    CHECK_THROWS_WITH_AS(render_depfile("out", {"a\tb"}), ("a\\tb" + refused).c_str(), InputError);
    CHECK_THROWS_WITH_AS(render_depfile("out", {"dir\\"}), ("dir\\\\" + refused).c_str(), InputError);
    CHECK_THROWS_AS(render_depfile("new\nline", {}), InputError);
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

TEST_CASE("atomic output: a folder as one output leaves the others untouched (checked before any is written)") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "a.vs", "old\n");
    fs::create_directory(dir / "report");
    OutputBatch batch;
    batch.add(dir / "a.vs", "new\n");
    batch.add(dir / "report", "report\n");
    CHECK_THROWS_WITH_AS(batch.commit(), ((dir / "report").string() + ": is a folder; name a file to write").c_str(), InputError);
    CHECK(test::read_file(dir / "a.vs") == "old\n");
}

TEST_CASE("atomic output: a replaced file keeps its permission bits") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "private.vs", "old\n");
    fs::permissions(dir / "private.vs", fs::perms::owner_read | fs::perms::owner_write);
    test::write_file(dir / "tool", "old\n");
    fs::permissions(dir / "tool", fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
    OutputBatch batch;
    batch.add(dir / "private.vs", "new\n");
    batch.add(dir / "tool", "new\n");
    batch.commit();
    CHECK(test::read_file(dir / "private.vs") == "new\n");
    CHECK((fs::status(dir / "private.vs").permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK((fs::status(dir / "tool").permissions() & fs::perms::all) ==
          (fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec));
}

TEST_CASE("atomic output: -o naming a symbolic link is refused; the link and its target stay as they were") {
    const auto dir = test::scratch_dir();
    test::write_file(dir / "target", "target\n");
    fs::create_symlink(dir / "target", dir / "link.vs");
    OutputBatch batch;
    batch.add(dir / "link.vs", "new\n");
    CHECK_THROWS_WITH_AS(batch.commit(),
                         ((dir / "link.vs").string() +
                          ": is a symbolic link; name the file itself (outputs are replaced atomically, never written "
                          "through a link)").c_str(),
                         InputError);
    CHECK(fs::is_symlink(dir / "link.vs"));
    CHECK(test::read_file(dir / "target") == "target\n");
    // Links to devices are written in place, as the devices are.
    CHECK_NOTHROW(write_if_changed("/dev/stdout", ""));
}
