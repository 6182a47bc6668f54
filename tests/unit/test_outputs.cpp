#include <doctest/doctest.h>

#include "atomic_output.hpp"
#include "depfile.hpp"
#include "error.hpp"
#include "test_support.hpp"

using namespace osv;
namespace fs = std::filesystem;

TEST_CASE("depfile: make syntax, escaped, sorted and unique") {
    using Paths = std::vector<fs::path>;
    using Strings = std::vector<std::string>;  // a big app's file list comes as strings
    CHECK(render_depfile("out/app.vs", Strings{"b file", "a#1", "c$d", "a#1"}) ==
          "out/app.vs: \\\n  a\\#1 \\\n  b\\ file \\\n  c$$d\n");
    CHECK(render_depfile("out/app.vs", Paths{"b file", "a#1", "c$d", "a#1"}) ==
          render_depfile("out/app.vs", Strings{"b file", "a#1", "c$d", "a#1"}));
    CHECK(render_depfile("x", Paths{}) == "x:\n");
    // ':' is escaped (GNU make reads "a\:b" as one name); what Make cannot express is refused.
    CHECK(render_depfile("out", Strings{"C:drive"}) == "out: \\\n  C\\:drive\n");
    const std::string refused = ": a path with a newline, tab or control character, or ending in a backslash, cannot be "
                                "written in a Make depfile; rename it, or leave out --depfile";
    CHECK_THROWS_WITH_AS(render_depfile("out", Strings{"two\nlines"}), ("two\\nlines" + refused).c_str(), InputError);
    CHECK_THROWS_WITH_AS(render_depfile("out", Paths{"a\tb"}), ("a\\tb" + refused).c_str(), InputError);
    CHECK_THROWS_WITH_AS(render_depfile("out", Strings{"dir\\"}), ("dir\\\\" + refused).c_str(), InputError);
    CHECK_THROWS_AS(render_depfile("new\nline", Paths{}), InputError);
}

TEST_CASE("atomic output: an output may not be an input or another output") {
    const auto dir = test::scratch_dir();
    OutputBatch twice;
    twice.add(dir / "a", "1");
    twice.add(dir / "sub" / ".." / "a", "2");
    CHECK_THROWS_WITH_AS(twice.refuse_overlap(std::vector<fs::path>{}),
                         ("'" + (dir / "sub" / ".." / "a").string() + "' is named as two outputs; give each its own file").c_str(),
                         UsageError);
    OutputBatch over_input;
    over_input.add(dir / "hello", "text");
    CHECK_THROWS_WITH_AS(over_input.refuse_overlap(std::vector<fs::path>{dir / "hello"}),
                         ("output '" + (dir / "hello").string() + "' is also an input; write it elsewhere").c_str(),
                         UsageError);
    CHECK_THROWS_WITH_AS(over_input.refuse_overlap(std::vector<std::string>{(dir / "sub" / ".." / "hello").string()}),
                         ("output '" + (dir / "hello").string() + "' is also an input; write it elsewhere").c_str(),
                         UsageError);
    OutputBatch to_stdout;
    to_stdout.add("-", "x");
    CHECK_NOTHROW(to_stdout.refuse_overlap(std::vector<std::string>{"-"}));
    // A device is written in place, never replaced: it protects no input, and none is looked at.
    OutputBatch to_device;
    to_device.add("/dev/null", "x");
    CHECK_NOTHROW(to_device.refuse_overlap(std::vector<std::string>{"/dev/null"}));
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
