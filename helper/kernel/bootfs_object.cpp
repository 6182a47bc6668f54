#include "bootfs_object.hpp"

#include <fstream>

#include "atomic_output.hpp"
#include "error.hpp"
#include "process.hpp"

namespace osv {

void assemble_bootfs_object(const std::filesystem::path& archive, const std::filesystem::path& object) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(archive, ec))
        throw InputError(quoted_path(archive) + ": " + missing_file_text(ec, "no such file") + "; make it with 'osv-symbols image bootfs'");
    const std::string path = std::filesystem::absolute(archive).string();
    if (path.find_first_of("\"\\\n") != std::string::npos)
        throw InputError(quoted_path(archive) + ": the assembler cannot .incbin a path with quotes, backslashes or newlines; "
                         "rename or move it");
    TemporaryFile source(object);
    std::ofstream(source.path()) << ".pushsection .data\n.global bootfs_start\n.hidden bootfs_start\nbootfs_start:\n"
                                 << ".incbin \"" << path << "\"\n.popsection\n";
    const ProcessResult assembled = run_process({"as", source.path().string(), "-o", object.string()}, {}, false);
    if (assembled.exit_status != 0)
        throw InputError(quoted_path(archive) + ": assembling bootfs.o failed (as exit " + std::to_string(assembled.exit_status) +
                         "); its messages are above");
}

std::vector<std::string> with_bootfs_object(std::vector<std::string> argv, const std::filesystem::path& object,
                                            const std::filesystem::path& kit) {
    std::size_t replaced = 0;
    for (std::size_t i = 1; i < argv.size(); ++i)
        if (!argv[i].starts_with("-") && std::filesystem::path(argv[i]).filename() == "bootfs.o") {
            argv[i] = object.string();
            ++replaced;
        }
    if (replaced != 1)
        throw InputError(quoted_path(kit) + ": the kernel link names " + std::to_string(replaced) +
                         " bootfs.o files, not one; --bootfs needs an OSv kernel whose link takes bootfs.o");
    return argv;
}

}  // namespace osv
