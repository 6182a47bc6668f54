#include "libarchive_loader.hpp"

#include <dlfcn.h>

#include <string>

#include "error.hpp"

namespace osv {
namespace {

// dlerror()'s text, which says why (no such file, wrong architecture, missing symbol).
std::string loader_error() {
    const char* text = ::dlerror();
    return text ? text : "unknown dynamic loader error";
}

// One function of the table, by the name it has in the library.
template <class Function>
void look_up(void* handle, const char* name, Function& slot) {
    slot = reinterpret_cast<Function>(::dlsym(handle, name));
    if (!slot)
        throw InputError(std::string("kit bundles need ") + libarchive_soname + " with " + name + " (" + loader_error() +
                         "); install libarchive13, libarchive 3.0 or newer");
}

LibArchive load_libarchive() {
    // RTLD_LOCAL: its symbols serve this table only, never the resolution of other libraries.
    // Never closed: the process may call it again, and exit unmaps it anyway.
    void* handle = ::dlopen(libarchive_soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        throw InputError(std::string("kit bundles need ") + libarchive_soname + " (" + loader_error() + "); install libarchive13");
    LibArchive table;
#define OSV_LIBARCHIVE_LOOK_UP(name) look_up(handle, #name, table.name);
    OSV_LIBARCHIVE_FUNCTIONS(OSV_LIBARCHIVE_LOOK_UP)
#undef OSV_LIBARCHIVE_LOOK_UP
    return table;
}

}  // namespace

const LibArchive& libarchive() {
    // A failed load throws out of the initialization, so the next call tries again.
    static const LibArchive table = load_libarchive();
    return table;
}

}  // namespace osv
