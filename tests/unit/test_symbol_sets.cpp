#include <doctest/doctest.h>

#include <elf.h>

#include <memory>
#include <stdexcept>

#include "error.hpp"
#include "symbol_sets.hpp"

using namespace osv;
using Names = std::vector<std::string>;

namespace {

struct Import {
    const char* name;
    bool weak = false;
};

// A program read alone: its own table of names.
ElfSymbols program(const char* path, std::vector<Import> imports, Names definitions = {}) {
    ElfSymbols p;
    p.path = path;
    p.arch = {ELFCLASS64, EM_X86_64};
    auto names = std::make_shared<SymbolNames>();
    for (const auto& import : imports) p.imports.push_back({names->intern(import.name), import.weak});
    p.names = names;
    p.definitions = std::move(definitions);
    return p;
}

// Programs read together: one table, each import with its id, as the reader hands them over.
ElfSymbols program(const char* path, std::vector<DynamicImport> imports, std::shared_ptr<SymbolNames> names) {
    ElfSymbols p = program(path, {});
    p.imports = std::move(imports);
    p.names = std::move(names);
    return p;
}

ExportSet kernel(std::initializer_list<const char*> names) {
    ExportSet set;
    for (auto n : names) set.names.insert(n);
    return set;
}

Names unresolved_names(const SymbolPlan& plan) {
    Names out;
    for (const auto& [name, files] : plan.unresolved) out.push_back(name);
    return out;
}

}  // namespace

TEST_CASE("symbol sets: script = needed ∩ exports, sorted") {
    const std::vector<ElfSymbols> programs{program("a", {{"puts"}, {"zlib_fn"}}), program("b", {{"malloc"}, {"puts"}})};
    const auto plan = plan_symbols(programs, kernel({"puts", "malloc", "free"}), {}, false);
    CHECK(plan.needed_count == 3);
    CHECK(needed_symbols(programs) == Names{"malloc", "puts", "zlib_fn"});
    CHECK(plan.script == Names{"malloc", "puts"});
    CHECK(unresolved_names(plan) == Names{"zlib_fn"});
    CHECK(plan.unresolved.at("zlib_fn") == std::vector<std::string>{"a"});
}

TEST_CASE("symbol sets: programs sharing the reader's table are indexed by its ids, its other names ignored") {
    // As an app's files come from the reader: one table, each import with its id. A name in the table
    // that no program imports (here "free") is neither needed, nor in the script, nor unresolved.
    auto shared = std::make_shared<SymbolNames>();
    const auto import = [&](const char* name, bool weak = false) {
        const SymbolNames::Id id = shared->intern(name);
        return DynamicImport{id, weak};
    };
    (void)shared->intern("free");
    std::vector<ElfSymbols> programs{program("a", {import("puts"), import("zlib_fn")}, shared),
                                     program("b", {import("malloc"), import("puts"), import("hook", true)}, shared)};
    const auto plan = plan_symbols(programs, kernel({"puts", "malloc", "free"}), {}, false);
    CHECK(plan.needed_count == 4);
    CHECK(plan.script == Names{"malloc", "puts"});
    CHECK(unresolved_names(plan) == Names{"zlib_fn"});
    CHECK(needed_symbols(programs) == Names{"hook", "malloc", "puts", "zlib_fn"});
    // The names some program defines come as ids of that table (AppInputs' defined_imports).
    const auto defined = plan_symbols(programs, kernel({"puts", "malloc"}), {}, false, {*shared->find("zlib_fn")});
    CHECK(defined.unresolved.empty());
    // Ids mean nothing without the table: programs read alone with them are a caller's mistake.
    CHECK_THROWS_AS(plan_symbols({program("c", {{"zlib_fn"}}), program("d", {{"puts"}})}, kernel({}), {}, false, {0}),
                    std::logic_error);
}

TEST_CASE("symbol sets: a kernel export is kept even when an app library defines it too") {
    // OSv resolves imports against the kernel first, so the kernel's toupper is what the app gets.
    const auto plan = plan_symbols({program("app", {{"toupper"}, {"greet"}}), program("libgreet.so", {}, {"greet", "toupper"})},
                                   kernel({"toupper"}), {}, false);
    CHECK(plan.script == Names{"toupper"});
    CHECK(plan.unresolved.empty());  // greet is defined by the app's own library
}

TEST_CASE("symbol sets: weak-only imports are never unresolved; one strong import makes it needed") {
    const auto weak_only = plan_symbols({program("a", {{"hook", true}})}, kernel({}), {}, false);
    CHECK(weak_only.unresolved.empty());
    const auto mixed = plan_symbols({program("a", {{"hook", true}}), program("b", {{"hook", false}})}, kernel({}), {}, false);
    CHECK(unresolved_names(mixed) == Names{"hook"});
    CHECK(mixed.unresolved.at("hook") == std::vector<std::string>{"a", "b"});
}

TEST_CASE("symbol sets: keep names and globs match exports; unmatched keeps are reported") {
    const auto plan = plan_symbols({program("a", {{"puts"}})}, kernel({"puts", "pthread_create", "pthread_join", "cos"}),
                                   {"pthread_*", "cos", "no_such_export", "puts", "nomatch*"}, false);
    CHECK(plan.script == Names{"cos", "pthread_create", "pthread_join", "puts"});
    CHECK(plan.kept == Names{"cos", "pthread_create", "pthread_join"});
    CHECK(plan.unmatched_keeps == Names{"no_such_export", "nomatch*"});
}

TEST_CASE("symbol sets: dl* users are listed") {
    const auto plan = plan_symbols({program("host", {{"dlopen"}, {"dlsym"}, {"puts"}}), program("quiet", {{"puts"}})},
                                   kernel({"puts", "dlopen", "dlsym"}), {}, false);
    REQUIRE(plan.dl_users.size() == 1);
    CHECK(plan.dl_users[0].path == "host");
    CHECK(plan.dl_users[0].functions == Names{"dlopen", "dlsym"});
}

TEST_CASE("symbol sets: inputs must match an ELF kernel's architecture") {
    ExportSet exports = kernel({"puts"});
    exports.arch = ElfArch{ELFCLASS64, EM_X86_64};
    auto arm = program("arm-app", {{"puts"}});
    arm.arch = {ELFCLASS64, EM_AARCH64};
    CHECK_NOTHROW(check_same_architecture({program("x", {})}, exports));
    CHECK_THROWS_WITH_AS(check_same_architecture({arm}, exports),
                         "arm-app: architecture ELF64 AArch64 differs from the kernel's ELF64 x86-64; build the app for the kernel's architecture",
                         InputError);
    exports.arch.reset();  // a list carries no architecture: nothing to compare
    CHECK_NOTHROW(check_same_architecture({arm}, exports));
}
