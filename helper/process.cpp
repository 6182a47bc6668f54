#include "process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <optional>

#include "error.hpp"

extern char** environ;

namespace osv {
namespace {

volatile std::sig_atomic_t running_child = 0;

// Blocks the signals whose handler stops the child while it is spawned and recorded, so that no
// child runs unrecorded; the child itself starts with them unblocked.
class SignalsHeld {
public:
    SignalsHeld() {
        sigemptyset(&held_);
        for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&held_, signal_number);
        ::pthread_sigmask(SIG_BLOCK, &held_, &previous_);
    }
    ~SignalsHeld() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    const sigset_t& previous() const { return previous_; }

private:
    sigset_t held_, previous_;
};

}  // namespace

void stop_running_child() noexcept {
    const pid_t pid = running_child;
    if (pid <= 0) return;
    ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    running_child = 0;
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd, bool capture_output) {
    std::vector<char*> raw;
    for (const auto& arg : argv) raw.push_back(const_cast<char*>(arg.c_str()));
    raw.push_back(nullptr);

    int pipe_fds[2] = {-1, -1};
    if (capture_output && ::pipe2(pipe_fds, O_CLOEXEC) != 0)
        throw InputError(std::string("cannot create a pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    if (capture_output) posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    pid_t pid = 0;
    std::optional<SignalsHeld> held(std::in_place);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setsigmask(&attributes, &held->previous());
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    const int spawn_error = ::posix_spawnp(&pid, raw[0], &actions, &attributes, raw.data(), environ);
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    if (spawn_error == 0) running_child = pid;
    held.reset();
    if (capture_output) ::close(pipe_fds[1]);
    if (spawn_error != 0) {
        if (capture_output) ::close(pipe_fds[0]);
        throw InputError(argv[0] + ": cannot run: " + std::strerror(spawn_error) + "; is it installed and in PATH?");
    }
    ProcessResult result;
    if (capture_output) {
        char buffer[65536];
        for (;;) {
            const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
            if (n > 0) result.standard_output.append(buffer, static_cast<std::size_t>(n));
            else if (n == 0 || errno != EINTR) break;
        }
        ::close(pipe_fds[0]);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    running_child = 0;
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

std::vector<std::vector<std::string>> split_shell_commands(std::string_view line) {
    std::vector<std::vector<std::string>> commands(1);
    std::string word;
    bool in_word = false;
    auto finish_word = [&] {
        if (in_word) commands.back().push_back(word);
        word.clear();
        in_word = false;
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == '\'') {
            const auto close = line.find('\'', i + 1);
            word.append(line.substr(i + 1, close == std::string_view::npos ? std::string_view::npos : close - i - 1));
            in_word = true;
            if (close == std::string_view::npos) break;
            i = close;
        } else if (c == '"') {
            in_word = true;
            for (++i; i < line.size() && line[i] != '"'; ++i) {
                if (line[i] == '\\' && i + 1 < line.size() && std::strchr("\"\\$`", line[i + 1])) ++i;
                word += line[i];
            }
        } else if (c == '\\' && i + 1 < line.size()) {
            word += line[++i];
            in_word = true;
        } else if (c == ' ' || c == '\t') {
            finish_word();
        } else if (c == ';' || ((c == '&' || c == '|') && i + 1 < line.size() && line[i + 1] == c)) {
            finish_word();
            if (c != ';') ++i;
            if (!commands.back().empty()) commands.emplace_back();
        } else {
            word += c;
            in_word = true;
        }
    }
    finish_word();
    if (commands.back().empty()) commands.pop_back();
    return commands;
}

}  // namespace osv
