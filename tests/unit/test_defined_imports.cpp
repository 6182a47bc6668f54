#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "defined_imports.hpp"

using namespace osv;

namespace {

using Views = std::vector<std::string_view>;

// Files as lists of defined names, "read" in order through DefinedImports like the collector does.
struct FakeApp {
    std::shared_ptr<SymbolNames> names = std::make_shared<SymbolNames>();
    DefinedImports defined{names};
    std::vector<std::vector<std::string>> files;
    int rereads = 0;
    std::size_t reread_entries = 0;

    void read(std::vector<std::string> imports, std::vector<std::string> definitions) {
        defined.start_file(files.size());
        for (const auto& name : imports) names->intern(name);
        for (std::size_t i = 0; i < definitions.size(); ++i) defined.defined(definitions[i], i);
        files.push_back(definitions);
    }
    Views finish() {
        auto found = defined.finish([&](std::size_t file, const std::vector<std::size_t>& indexes, DefinitionSink& sink) {
            ++rereads;
            reread_entries += indexes.size();
            for (const std::size_t i : indexes) sink.defined(files[file][i], i);
        });
        std::sort(found.begin(), found.end());
        return found;
    }
};

}  // namespace

TEST_CASE("defined imports: a definition read before its import is found by reading its entry again") {
    FakeApp app;
    app.read({}, {"zlib_fn", "unused_fn"});       // the library comes first (sorted by path)
    app.read({"zlib_fn", "puts", "own_fn"}, {});  // then the program importing from it
    app.read({}, {"own_fn"});                     // a library read after the import: no reread needed
    CHECK(app.finish() == Views{"own_fn", "zlib_fn"});
    CHECK(app.rereads == 1);  // only the first library, once
    CHECK(app.reread_entries == 1);  // and of it only zlib_fn's entry
}

TEST_CASE("defined imports: nothing is reread when every definition follows its import") {
    FakeApp app;
    app.read({"a", "b"}, {});
    app.read({}, {"a", "c"});
    CHECK(app.finish() == Views{"a"});
    CHECK(app.rereads == 0);
}
