// What every libelf reader of the helper needs first: the library initialised once, and its last
// error as text (never a null pointer).
#pragma once

#include <libelf.h>

#include <stdexcept>
#include <string>

namespace osv {

inline void initialize_libelf_once() {
    static const bool initialized = elf_version(EV_CURRENT) != EV_NONE;
    if (!initialized) throw std::runtime_error("libelf: version mismatch: " + std::string(elf_errmsg(-1)));
}

inline std::string libelf_error() {
    const char* message = elf_errmsg(-1);
    return message ? message : "unknown libelf error";
}

}  // namespace osv
