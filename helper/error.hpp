// The three ways a command ends badly, each with its own exit status, so callers
// (build systems, CI) can tell "your input is wrong" from "your app is incomplete".
#pragma once

#include <stdexcept>
#include <string>

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

}  // namespace osv
