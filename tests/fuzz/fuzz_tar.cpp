// The bundle extractor on arbitrary archives: it refuses or unpacks, and never writes outside its folder.
#include <cstdlib>

#include "error.hpp"
#include "fuzz_input.hpp"
#include "tar_archive.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto archive = osv::fuzz::input_file(data, size, "bundle.tar.xz");
    const auto into = osv::fuzz::scratch() / "unpacked";
    std::filesystem::remove_all(into);
    std::filesystem::create_directory(into);
    try {
        osv::extract_tar_safely(archive, into);
    } catch (const osv::InputError&) {
    }
    // Nothing may appear beside the folder (the scratch folder holds only known names).
    for (const auto& entry : std::filesystem::directory_iterator(osv::fuzz::scratch())) {
        const auto name = entry.path().filename().string();
        if (name != "bundle.tar.xz" && name != "unpacked") std::abort();
    }
    std::filesystem::remove_all(into);
    return 0;
}
