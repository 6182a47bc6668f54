#include "test_kernel.hpp"

#include <stdexcept>

#include "test_support.hpp"

namespace osv::test {

const std::filesystem::path& test_kernel_root(bool hide_symbols) {
    auto build = [](bool hide) {
        const fs::path root = fixtures().parent_path() / (hide ? "test-kernel" : "test-kernel-unhidden");
        const Run built = run({"bash", (source_dir() / "kernel" / "build.sh").string(), (source_dir() / "kernel").string(),
                               root.string(), std::string("conf_hide_symbols=") + (hide ? "1" : "0")});
        if (built.status != 0) throw std::runtime_error("building the test kernel failed:\n" + built.out + built.err);
        return root;
    };
    static const fs::path hidden = build(true);
    if (hide_symbols) return hidden;
    static const fs::path unhidden = build(false);
    return unhidden;
}

fs::path capture_test_kit(const fs::path& dir) {
    const fs::path kit = dir / "kit.yaml";
    const Run captured = osv_symbols({"kit", "capture", "--osv-root", test_kernel_root().string(), "-o", kit.string()});
    if (captured.status != 0) throw std::runtime_error("kit capture failed: " + captured.err);
    return kit;
}

}  // namespace osv::test
