// The three ways a command ends badly, each with its own exit status, so callers
// (build systems, CI) can tell "your input is wrong" from "your app is incomplete"; and how their
// one-line messages name the files they are about.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace osv {

// Exit status 2: a file or flag is wrong. The message is one line: what, why, what to do.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Exit status 2 as well, but about the command line itself; the CLI adds a pointer to --help.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Exit status 1: the inputs are fine, but the result fails a check the user asked for
// (unresolved imports under --strict or `check`, a relinked kernel exporting the wrong set).
struct CheckFailed : std::runtime_error {
    using std::runtime_error::runtime_error;
};

namespace exit_status {
inline constexpr int ok = 0;
inline constexpr int check_failed = 1;
inline constexpr int bad_input = 2;
}  // namespace exit_status

// A file name (or any name taken from input: a --keep entry) as error and warning lines show it:
// unchanged when plain, so the usual messages read as they always did; in double quotes with C
// escapes (\n, \t, \\, \") when it holds a control character or a double quote, so that no name
// can split a line or pass for the text around it.
std::string quoted_path(const std::filesystem::path& path);
std::string quoted_text(std::string_view name);

// Why a file could not be used, from an errno value: strerror's words, but a link loop (ELOOP,
// which std::filesystem::exists reports as "no such file") is named as one.
std::string file_error_text(int error);

// `not_found` when a std::filesystem status query found nothing (or failed with ENOENT), else
// why the query failed (a link loop, a name too long, a folder that cannot be searched).
std::string missing_file_text(const std::error_code& ec, const char* not_found);

}  // namespace osv
