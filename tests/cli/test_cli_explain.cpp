// osv-symbols explain: on a hand-made kernel assembled from a few sections of known sizes (every
// number below is computed by hand from the .s sources), and on the OSv-shaped test kernel,
// whose breakdown must sum to the relinked kernel's section sizes.
#include <doctest/doctest.h>

#include <map>
#include <regex>

#include "test_kernel.hpp"
#include "test_support.hpp"

using namespace osv::test;

namespace {

// The reference graph (sizes in bytes; every section is its own node):
//   entry _start (.text.start 16) -> core_fn (.text.core 32)
//   .init_array (8, KEEP) -> ctor (.text.ctor 64) -> helper_ctor (.text.helper_ctor 128)
//   exp_a (100) -> helper_a (200, local), shared (50)
//   exp_b (300) -> shared, local_b (60, local)
//   exp_c (40) -> core_fn
//   exp_d (500) -> helper_d (70)
//   dead_fn (.text.dead 1000): nothing refers to it
constexpr const char* start_s = R"(
    .section .text.start,"ax",@progbits
    .globl _start
_start:
    .quad core_fn
    .skip 8
    .section .text.core,"ax",@progbits
    .globl core_fn
    .hidden core_fn
core_fn:
    .skip 32
    .section .text.dead,"ax",@progbits
    .globl dead_fn
    .hidden dead_fn
dead_fn:
    .skip 1000
)";

constexpr const char* exports_s = R"(
    .section .text.exp_a,"ax",@progbits
    .globl exp_a
    .type exp_a, @function
exp_a:
    .quad helper_a
    .quad shared
    .skip 84
    .section .text.helper_a,"ax",@progbits
helper_a:
    .skip 200
    .section .text.shared,"ax",@progbits
    .globl shared
    .hidden shared
shared:
    .skip 50
    .section .text.exp_b,"ax",@progbits
    .globl exp_b
    .type exp_b, @function
exp_b:
    .quad shared
    .quad local_b
    .skip 284
    .section .text.local_b,"ax",@progbits
local_b:
    .skip 60
    .section .text.exp_c,"ax",@progbits
    .globl exp_c
    .type exp_c, @function
exp_c:
    .quad core_fn
    .skip 32
    .section .text.exp_d,"ax",@progbits
    .globl exp_d
    .type exp_d, @function
exp_d:
    .quad helper_d
    .skip 492
    .section .text.helper_d,"ax",@progbits
helper_d:
    .skip 70
)";

constexpr const char* ctor_s = R"(
    .section .init_array,"aw",@init_array
    .quad ctor
    .section .text.ctor,"ax",@progbits
ctor:
    .quad helper_ctor
    .skip 56
    .section .text.helper_ctor,"ax",@progbits
    .globl helper_ctor
    .hidden helper_ctor
helper_ctor:
    .skip 128
)";

constexpr const char* kernel_ld = R"(ENTRY(_start)
SECTIONS
{
    . = 0x400000;
    .text : { *(.text .text.*) }
    .init_array : { KEEP(*(.init_array)) }
    .data : { *(.data .data.*) }
    /DISCARD/ : { *(.note.gnu.property) }
}
)";

constexpr const char* link_command = R"(ld.bfd
-o
{output}
--export-dynamic
--gc-sections
-T
kernel.ld
--version-script={version_script}
build/release.x64/core/start.o
build/release.x64/libc/exports.o
build/release.x64/drivers/ctor.o
build/release.x64/dummy.so
)";

void must(const Run& run, const std::string& what) { REQUIRE_MESSAGE(run.status == 0, what << ": " << run.out << run.err); }

// A kit of the hand-made kernel (generic: every export) and the app's script in `dir`.
fs::path hand_made_kit(const fs::path& dir) {
    const fs::path build = dir / "build" / "release.x64";
    fs::create_directories(build / "core");
    fs::create_directories(build / "libc");
    fs::create_directories(build / "drivers");
    const std::map<std::string, const char*> sources = {
        {"core/start", start_s}, {"libc/exports", exports_s}, {"drivers/ctor", ctor_s}, {"dummy", ""}};
    for (const auto& [name, text] : sources) {
        write_file(build / (name + ".s"), text);
        must(run({"as", "-o", (build / (name + ".o")).string(), (build / (name + ".s")).string()}), "as " + name);
    }
    must(run({"ld.bfd", "-shared", "-o", (build / "dummy.so").string(), (build / "dummy.o").string()}), "dummy.so");
    write_file(dir / "kernel.ld", kernel_ld);
    write_file(dir / "command.txt", link_command);
    write_file(dir / "generic.vs", "{\n  global:\n    exp_a;\n    exp_b;\n    exp_c;\n    exp_d;\n  local:\n    *;\n};\n");
    write_file(dir / "app.vs", "{\n  global:\n    exp_a;\n    exp_b;\n    exp_c;\n  local:\n    *;\n};\n");
    must(run({"ld.bfd", "-o", "generic.elf", "--export-dynamic", "--gc-sections", "-T", "kernel.ld",
              "--version-script=generic.vs", "build/release.x64/core/start.o", "build/release.x64/libc/exports.o",
              "build/release.x64/drivers/ctor.o", "build/release.x64/dummy.so"},
             dir),
         "the generic link");
    must(run({"strip", "-o", "generic-stripped.elf", "generic.elf"}, dir), "strip");
    must(osv_symbols({"kit", "capture", "--link-command", "command.txt", "--cwd", ".", "--base-kernel",
                      "generic-stripped.elf", "-o", "kit.yaml"},
                     dir),
         "kit capture");
    return dir / "kit.yaml";
}

// The number after `key: ` in the first line holding `anchor`, at or after `from`.
std::uint64_t number_after(const std::string& text, const std::string& anchor, const std::string& key,
                           std::size_t from = 0) {
    const std::size_t at = text.find(anchor, from);
    REQUIRE_MESSAGE(at != std::string::npos, "no '" << anchor << "' in:\n" << text);
    const std::size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    std::smatch match;
    REQUIRE_MESSAGE(std::regex_search(line, match, std::regex("(^|[{ ])" + key + ": ([0-9]+)")), key << " in " << line);
    return std::stoull(match[2].str());
}

// Components and their totals in the "components:" map of one kernel's part of the report.
std::map<std::string, std::uint64_t> component_totals(const std::string& yaml, const std::string& kernel) {
    std::map<std::string, std::uint64_t> totals;
    std::size_t at = yaml.find("\n" + kernel + ":\n");
    REQUIRE(at != std::string::npos);
    at = yaml.find("  components:\n", at);
    REQUIRE(at != std::string::npos);
    std::size_t line_start = yaml.find('\n', at) + 1;
    static const std::regex row("^    ([^:]+): \\{.* total: ([0-9]+)\\}$");
    while (line_start < yaml.size()) {
        const std::size_t end = yaml.find('\n', line_start);
        const std::string line = yaml.substr(line_start, end - line_start);
        std::smatch match;
        if (!std::regex_match(line, match, row)) break;
        totals[match[1].str()] = std::stoull(match[2].str());
        line_start = end + 1;
    }
    return totals;
}

// Allocated section sizes of an ELF file, by readelf.
std::uint64_t allocated_bytes(const fs::path& elf) {
    const Run sections = run({"readelf", "-SW", elf.string()});
    REQUIRE(sections.status == 0);
    std::uint64_t total = 0;
    static const std::regex row(
        "^\\s*\\[\\s*[0-9]+\\]\\s+\\S+\\s+\\S+\\s+[0-9a-f]+\\s+[0-9a-f]+\\s+([0-9a-f]+)\\s+[0-9a-f]+\\s+([A-Za-z]*)\\s.*$");
    for (const auto& line : lines(sections.out)) {
        std::smatch match;
        if (std::regex_match(line, match, row) && match[2].str().find('A') != std::string::npos)
            total += std::stoull(match[1].str(), nullptr, 16);
    }
    return total;
}

}  // namespace

TEST_CASE("explain: a hand-made kernel — exclusive bytes, floor, chains and sums as computed by hand") {
    const fs::path dir = scratch_dir();
    const fs::path kit = hand_made_kit(dir);
    const Run run = osv_symbols({"explain", "--kit", kit.string(), "--version-script", (dir / "app.vs").string(), "-o",
                                 (dir / "report.yaml").string(), "--why", "helper_ctor", "--why", "helper_a", "--why",
                                 "dead_fn", "--why", "drivers", "--why", "no_such_name"});
    must(run, "explain");
    const std::string yaml = read_file(dir / "report.yaml");

    // Exclusive bytes: shared (50) is reached by exp_a and exp_b, core_fn also by the entry.
    CHECK(yaml.find("  - {name: exp_b, component: libc, bytes: 360, text: 360, sections: 2}\n") != std::string::npos);
    CHECK(yaml.find("  - {name: exp_a, component: libc, bytes: 300, text: 300, sections: 2}\n") != std::string::npos);
    CHECK(yaml.find("  - {name: exp_c, component: libc, bytes: 40, text: 40, sections: 1}\n") != std::string::npos);
    CHECK(yaml.find("exp_d, component") == std::string::npos);  // not exported by the app

    // Sizes from the link map. Specialized text: 16+32 (core) + 100+200+50+300+60+40 (libc) + 64+128 (drivers).
    const std::size_t specialized = yaml.find("\nspecialized:\n");
    REQUIRE(specialized != std::string::npos);
    CHECK(number_after(yaml, "allocated_bytes:", "text", specialized) == 990);
    CHECK(number_after(yaml, "    core:", "text", specialized) == 48);
    CHECK(number_after(yaml, "    libc:", "text", specialized) == 750);
    CHECK(number_after(yaml, "    drivers:", "text", specialized) == 192);
    CHECK(number_after(yaml, "    drivers:", "data", specialized) == 8);  // .init_array
    // Generic: exp_d (500) and helper_d (70) too; dead_fn never.
    CHECK(number_after(yaml, "allocated_bytes:", "text") == 1560);
    CHECK(number_after(yaml, "    libc:", "text") == 1320);

    // The model agrees with the linker section for section.
    CHECK(number_after(yaml, "    kept_by_model_only:", "kept_by_model_only", specialized) == 0);
    CHECK(number_after(yaml, "    kept_by_linker_only:", "kept_by_linker_only", specialized) == 0);
    CHECK(number_after(yaml, "    sections_agreeing:", "sections_agreeing", specialized) == 11);

    // The floor, with no exports: the boot path (16+32) and the constructor (8+64+128).
    CHECK(number_after(yaml, "  live_bytes_without_exports:", "total") == 248);
    CHECK(number_after(yaml, "adds:", "total", yaml.find("  - name: boot path")) == 48);
    CHECK(number_after(yaml, "adds:", "total", yaml.find("  - name: static constructors")) == 200);

    // Chains.
    CHECK(yaml.find("  - name: helper_ctor\n    known: true\n    live: true\n    root: kept .init_array\n    chain:\n"
                    "      - .init_array (build/release.x64/drivers/ctor.o)\n"
                    "      - .text.ctor (build/release.x64/drivers/ctor.o)\n"
                    "      - .text.helper_ctor (build/release.x64/drivers/ctor.o)\n") != std::string::npos);
    CHECK(yaml.find("  - name: helper_a\n    known: true\n    live: true\n    root: export exp_a\n    chain:\n"
                    "      - .text.exp_a (build/release.x64/libc/exports.o)\n"
                    "      - .text.helper_a (build/release.x64/libc/exports.o)\n") != std::string::npos);
    CHECK(yaml.find("  - name: dead_fn\n    known: true\n    live: false\n") != std::string::npos);
    CHECK(yaml.find("  - name: no_such_name\n    known: false\n    live: false\n") != std::string::npos);
    CHECK(yaml.find("  - name: drivers\n    known: true\n    live: true\n    root: kept .init_array\n") != std::string::npos);

    // The terminal table names the same facts.
    CHECK(run.out.find("exp_b                                            360         360  libc") != std::string::npos);
    CHECK(run.out.find("why dead_fn: not live in this kernel") != std::string::npos);
    CHECK(run.out.find("why no_such_name: no symbol, section, input file or component") != std::string::npos);

    // The breakdown sums to the kernel's allocated sections, generic and specialized.
    for (const std::string kernel : {"generic", "specialized"}) {
        std::uint64_t sum = 0;
        for (const auto& [component, total] : component_totals(yaml, kernel)) sum += total;
        const std::size_t part = yaml.find("\n" + kernel + ":\n");
        CHECK(sum == number_after(yaml, "allocated_bytes:", "total", part));
    }
    CHECK(number_after(yaml, "allocated_bytes:", "total") == allocated_bytes(dir / "generic.elf"));
}

TEST_CASE("explain: the test kernel's breakdown sums to the relinked kernel's sections") {
    const fs::path dir = scratch_dir();
    const fs::path kit = capture_test_kit(dir);
    const fs::path script = dir / "app.version_script";
    must(osv_symbols({"version-script", "--kit", kit.string(), "-o", script.string(), "hello-pie"}, fixtures()),
         "version-script");
    must(osv_symbols({"relink", "--kit", kit.string(), "--version-script", script.string(), "-o",
                      (dir / "kernel.elf").string(), "--unstripped", (dir / "kernel.full.elf").string()}),
         "relink");
    const Run run = osv_symbols({"explain", "--kit", kit.string(), "--version-script", script.string(), "-o",
                                 (dir / "report.yaml").string(), "--html", (dir / "report.html").string()});
    must(run, "explain");
    const std::string yaml = read_file(dir / "report.yaml");
    const std::size_t specialized = yaml.find("\nspecialized:\n");
    REQUIRE(specialized != std::string::npos);
    CHECK(number_after(yaml, "allocated_bytes:", "total", specialized) == allocated_bytes(dir / "kernel.full.elf"));
    CHECK(number_after(yaml, "stripped_file_bytes:", "stripped_file_bytes", specialized) ==
          fs::file_size(dir / "kernel.elf"));
    std::uint64_t sum = 0;
    for (const auto& [component, total] : component_totals(yaml, "specialized")) sum += total;
    CHECK(sum == number_after(yaml, "allocated_bytes:", "total", specialized));
    CHECK(component_totals(yaml, "specialized").count("libc") == 1);
    CHECK(component_totals(yaml, "specialized").count("core") == 1);
    // The generic kernel keeps more text than the one for hello.
    CHECK(number_after(yaml, "allocated_bytes:", "text") > number_after(yaml, "allocated_bytes:", "text", specialized));
    // The model and the linker agree on every section but a few.
    CHECK(number_after(yaml, "    kept_by_model_only:", "kept_by_model_only", specialized) <= 2);
    CHECK(number_after(yaml, "    kept_by_linker_only:", "kept_by_linker_only", specialized) <= 2);
    // The page is self-contained: its data and script inline, nothing fetched.
    const std::string html = read_file(dir / "report.html");
    CHECK(html.find("const DATA = {\"kernels\":[{\"name\":\"generic\"") != std::string::npos);
    CHECK(html.find("{\"name\":\"specialized\"") != std::string::npos);
    CHECK(html.find("function squarify") != std::string::npos);
    CHECK(html.find("http") == std::string::npos);
    CHECK(html.find(" src=") == std::string::npos);
}

TEST_CASE("explain: usage errors") {
    const Run no_kit = osv_symbols({"explain"});
    CHECK(no_kit.status == 2);
    CHECK(no_kit.err.find("--kit KIT is required") != std::string::npos);
    const Run bad_top = osv_symbols({"explain", "--kit", "k.yaml", "--top", "many"});
    CHECK(bad_top.status == 2);
    const Run help = osv_symbols({"explain", "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("--why NAME") != std::string::npos);
}
