// OSv manifests on arbitrary text, and the rofs image written from what they name.
#include <cstdlib>

#include "error.hpp"
#include "fuzz_input.hpp"
#include "image_rofs.hpp"
#include "image_tree.hpp"
#include "manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = osv::fuzz::text(data, size);
    // Host paths outside the scratch folder would make the harness walk the machine's files.
    for (std::string_view outside : {"..", ":/", ": /", ":\t/", "$", "~"})
        if (text.find(outside) != std::string_view::npos) return -1;
    const auto manifest = osv::fuzz::input_file(data, size, "usr.manifest");
    try {
        osv::read_manifest(manifest, {});
    } catch (const osv::InputError&) {
    }
    try {
        const osv::GuestTree tree = osv::build_guest_tree({manifest}, {});
        const std::string image = osv::rofs_image(tree);
        if (image.size() % 512 != 0) std::abort();
    } catch (const osv::InputError&) {
    }
    return 0;
}
