// dlopen()/dlsym() stubs: the kernel has no dynamic loader of its own in
// this test build; "opening" a library returns a built-in module that looks
// names up in a small static table.
#include <kernel/libc.h>

namespace {

struct symbol_entry {
    const char *name;
    void *address;
};

class module {
public:
    constexpr explicit module(const char *name) : name_(name) {}
    virtual void *lookup(const char *symbol) const = 0;
    virtual bool provides(const char *soname) const = 0;
    const char *name() const { return name_; }

protected:
    ~module() = default;

private:
    const char *name_;
};

class builtin_module final : public module {
public:
    constexpr builtin_module(const char *name, const symbol_entry *table,
                             size_t count, const char *const *sonames)
        : module(name), table_(table), count_(count), sonames_(sonames)
    {
    }

    void *lookup(const char *symbol) const override
    {
        for (size_t i = 0; i < count_; i++) {
            if (strcmp(table_[i].name, symbol) == 0) {
                return table_[i].address;
            }
        }
        return nullptr;
    }

    bool provides(const char *soname) const override
    {
        for (const char *const *s = sonames_; *s; s++) {
            if (strcmp(*s, soname) == 0) {
                return true;
            }
        }
        return false;
    }

private:
    const symbol_entry *table_;
    size_t count_;
    const char *const *sonames_;
};

// A macro, not a function: the table must be filled in at link time (static
// initialization), not by a constructor in .init_array.
#define address_of(function) reinterpret_cast<void *>(&function)

const symbol_entry libc_table[] = {
    { "malloc", address_of(malloc) },
    { "free", address_of(free) },
    { "printf", address_of(printf) },
    { "puts", address_of(puts) },
    { "strlen", address_of(strlen) },
    { "strcmp", address_of(strcmp) },
    { "getenv", address_of(getenv) },
    { "exit", address_of(exit) },
};

const char *const libc_sonames[] = {
    "libc.so.6", "libdl.so.2", "libpthread.so.0", "ld-musl-x86_64.so.1", nullptr,
};

const builtin_module libc_module("libc", libc_table,
                                 sizeof(libc_table) / sizeof(libc_table[0]),
                                 libc_sonames);

const char *last_error;

void set_error(const char *message)
{
    last_error = message;
}

const module *as_module(void *handle)
{
    return handle ? static_cast<const module *>(handle) : &libc_module;
}

} // namespace

extern "C" void *dlopen(const char *filename, int flags)
{
    (void)flags;
    if (!filename || libc_module.provides(filename)) {
        return const_cast<builtin_module *>(&libc_module);
    }
    set_error("dlopen: library not found");
    return nullptr;
}

extern "C" void *dlsym(void *handle, const char *symbol)
{
    void *address = as_module(handle)->lookup(symbol);
    if (!address) {
        set_error("dlsym: symbol not found");
    }
    return address;
}

extern "C" int dlclose(void *handle)
{
    (void)handle;
    return 0;
}

extern "C" char *dlerror()
{
    const char *error = last_error;
    last_error = nullptr;
    return const_cast<char *>(error);
}
