#include "test_support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace osv::test {
namespace {

fs::path work_dir() {
    static const fs::path dir = [] {
        if (const char* configured = std::getenv("OSV_TEST_WORK_DIR")) {
            fs::create_directories(configured);
            return fs::path(configured);
        }
        std::string pattern = (fs::temp_directory_path() / "osv-specialize-tests.XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        return fs::path(pattern);
    }();
    return dir;
}

}  // namespace

fs::path source_dir() { return OSV_TEST_SOURCE_DIR; }

const fs::path& fixtures() {
    static const fs::path dir = [] {
        const fs::path out = work_dir() / "fixtures";
        const Run built = run({"sh", (source_dir() / "fixtures" / "build-fixtures.sh").string(), out.string()});
        if (built.status != 0) throw std::runtime_error("building the test fixtures failed:\n" + built.out + built.err);
        return out;
    }();
    return dir;
}

std::string fake_kernel() { return (fixtures() / "fake-kernel.so").string(); }

fs::path scratch_dir() {
    static std::atomic<int> counter{0};
    const fs::path dir = work_dir() / ("case-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

Run run(const std::vector<std::string>& argv, const fs::path& cwd) {
    const fs::path capture = work_dir() / ("capture-" + std::to_string(::getpid()));
    const std::string out_file = capture.string() + ".out", err_file = capture.string() + ".err";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    std::vector<char*> raw;
    for (const auto& arg : argv) raw.push_back(const_cast<char*>(arg.c_str()));
    raw.push_back(nullptr);
    pid_t pid = 0;
    const int error = ::posix_spawnp(&pid, raw[0], &actions, nullptr, raw.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) throw std::runtime_error("cannot run " + argv[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    Run result;
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = read_file(out_file);
    result.err = read_file(err_file);
    return result;
}

Run osv_symbols(const std::vector<std::string>& args, const fs::path& cwd) {
    const char* binary = std::getenv("OSV_SYMBOLS");
    if (!binary) throw std::runtime_error("OSV_SYMBOLS must name the osv-symbols binary under test");
    std::vector<std::string> argv = {fs::absolute(binary).string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, cwd);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

void write_file(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

static std::vector<std::string> nm_names(const std::vector<std::string>& argv) {
    const Run nm = run(argv);
    if (nm.status != 0) throw std::runtime_error("nm failed: " + nm.err);
    std::set<std::string> names;
    for (const auto& line : lines(nm.out)) {
        const auto last_space = line.find_last_of(' ');
        names.insert(last_space == std::string::npos ? line : line.substr(last_space + 1));
    }
    names.erase("");
    return {names.begin(), names.end()};
}

std::vector<std::string> nm_undefined(const fs::path& elf) {
    return nm_names({"nm", "-D", "--undefined-only", "--without-symbol-versions", elf.string()});
}

std::vector<std::string> nm_defined_dynamic(const fs::path& elf) {
    return nm_names({"nm", "-D", "--defined-only", "--without-symbol-versions", elf.string()});
}

}  // namespace osv::test
