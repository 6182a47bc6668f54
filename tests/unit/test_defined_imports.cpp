#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "defined_imports.hpp"
#include "gnu_hash.hpp"

using namespace osv;

namespace {

using Views = std::vector<std::string_view>;

// Files as lists of defined names, "read" in order through DefinedImports like the ELF reader shows
// them: by GNU hash first (a file with .gnu.hash) or by name only (a file without).
struct FakeApp {
    std::shared_ptr<SymbolNames> names = std::make_shared<SymbolNames>();
    DefinedImports defined{names};
    struct File {
        std::vector<std::string> definitions;
        bool gnu_hash;
    };
    std::vector<File> files;
    int rereads = 0;
    std::size_t names_read = 0;  // definitions whose name the sink asked for (first reads and rereads)

    void show(const File& file, DefinitionSink& sink) {
        for (const auto& name : file.definitions) {
            if (file.gnu_hash && !sink.hashed(gnu_hash(name))) continue;
            ++names_read;
            sink.defined(name);
        }
    }
    void read(std::vector<std::string> imports, std::vector<std::string> definitions, bool gnu_hash = true) {
        defined.start_file(files.size());
        for (const auto& name : imports) names->intern(name);
        files.push_back({std::move(definitions), gnu_hash});
        show(files.back(), defined);
    }
    Views finish() {
        Views found;
        for (const auto id : defined.finish([&](std::size_t file, DefinitionSink& sink) {
                 ++rereads;
                 show(files[file], sink);
             }))
            found.push_back(names->name(id));
        std::sort(found.begin(), found.end());
        return found;
    }
};

}  // namespace

TEST_CASE("gnu hash: the dynamic loader's hash, as .gnu.hash holds it") {
    CHECK(gnu_hash("") == 5381);
    CHECK(gnu_hash("printf") == 0x156b2bb8);  // h * 33 + c from 5381, as glibc's ld.so computes it
    CHECK(gnu_hash("fn_ab") == gnu_hash("fn_bA"));  // 'a'*33+'b' == 'b'*33+'A': the collisions below
    GnuHashSet set;
    for (std::uint32_t i = 0; i < 5000; ++i) set.insert(i * 2654435761u);  // several growths
    CHECK(set.size() == 5000);
    CHECK(set.contains(4999 * 2654435761u));
    CHECK(set.contains((4999 * 2654435761u) ^ 1));  // bit 0 ends a chain in .gnu.hash: ignored
    CHECK_FALSE(set.contains(5000 * 2654435761u));
    set.insert(0);  // 0 (and 1) is no empty slot
    CHECK(set.contains(1));
}

TEST_CASE("defined imports: a definition read before its import is found by reading its file again") {
    FakeApp app;
    app.read({}, {"zlib_fn", "unused_fn"});       // the library comes first (sorted by path)
    app.read({"zlib_fn", "puts", "own_fn"}, {});  // then the program importing from it
    app.read({}, {"own_fn", "other_fn"});         // a library read after the import: no reread needed
    CHECK(app.names_read == 1);                   // own_fn only: the others are skipped by their hash
    CHECK(app.finish() == Views{"own_fn", "zlib_fn"});
    CHECK(app.rereads == 1);     // only the first library, once
    CHECK(app.names_read == 2);  // and of it only zlib_fn's name
}

TEST_CASE("defined imports: hundreds of names read again are all found (looked up in batches)") {
    FakeApp app;
    std::vector<std::string> names;
    for (int i = 0; i < 200; ++i) names.push_back("fn_" + std::to_string(i));
    app.read({}, names);
    app.read(names, {});
    const Views found = app.finish();
    CHECK(found.size() == 200);
    CHECK(app.rereads == 1);
}

TEST_CASE("defined imports: nothing is reread when every definition follows its import") {
    FakeApp app;
    app.read({"a", "b"}, {});
    app.read({}, {"a", "c"});
    CHECK(app.finish() == Views{"a"});
    CHECK(app.rereads == 0);
}

TEST_CASE("defined imports: a hash shared by two names is no definition; the names decide") {
    SUBCASE("the definition first") {
        FakeApp app;
        app.read({}, {"fn_bA"});
        app.read({"fn_ab"}, {});
        CHECK(app.finish() == Views{});
        CHECK(app.rereads == 1);  // the hash matched: the name was read and compared
    }
    SUBCASE("the import first") {
        FakeApp app;
        app.read({"fn_ab"}, {});
        app.read({}, {"fn_bA"});
        CHECK(app.names_read == 1);
        CHECK(app.finish() == Views{});
    }
    SUBCASE("both names defined and imported, in either order") {
        FakeApp app;
        app.read({}, {"fn_bA"});
        app.read({"fn_ab", "fn_bA"}, {});
        app.read({}, {"fn_ab"});
        CHECK(app.finish() == Views{"fn_ab", "fn_bA"});
    }
}

TEST_CASE("defined imports: files without .gnu.hash are checked by name, before and after their imports") {
    FakeApp app;
    app.read({}, {"early_fn", "unused_fn"}, false);
    app.read({"early_fn", "late_fn", "hashed_fn"}, {}, false);
    app.read({}, {"late_fn"}, false);
    app.read({}, {"hashed_fn"}, true);
    CHECK(app.finish() == Views{"early_fn", "hashed_fn", "late_fn"});
    CHECK(app.rereads == 1);
}

TEST_CASE("defined imports: a file number given again drops what was shown of it") {
    FakeApp app;
    app.defined.start_file(0);
    app.defined.hashed(gnu_hash("dropped_fn"));  // deferred, then the file turned out to be no program
    app.read({}, {"other_fn"});                  // the same number again
    app.read({"dropped_fn"}, {});
    CHECK(app.finish() == Views{});
    CHECK(app.rereads == 0);  // no file left a hash of dropped_fn
}
