// The unit suites pin exact error texts: this runs an action and returns the InputError message.
#pragma once

#include <string>

#include "error.hpp"

namespace osv::test {

template <typename Action>
std::string input_error_of(Action&& action) {
    try {
        action();
    } catch (const InputError& error) {
        return error.what();
    }
    return "no error";
}

}  // namespace osv::test
