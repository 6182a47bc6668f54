// C++ ABI exit-handler registry: __cxa_atexit/__cxa_finalize and atexit().
#include <kernel/libc.h>

namespace {

constexpr int max_handlers = 32;

// One registered handler; a plain atexit() function has no argument, so the
// two kinds are kept apart instead of casting function-pointer types.
struct exit_handler {
    void (*with_arg)(void *) = nullptr;
    void (*without_arg)() = nullptr;
    void *arg = nullptr;
    void *dso = nullptr;

    void run() const
    {
        if (with_arg) {
            with_arg(arg);
        } else if (without_arg) {
            without_arg();
        }
    }
};

class handler_registry {
public:
    constexpr handler_registry() = default;

    bool add(const exit_handler &h)
    {
        if (count_ == max_handlers) {
            return false;
        }
        handlers_[count_++] = h;
        return true;
    }

    // Run (in reverse registration order) every handler of one DSO, or all
    // handlers when dso is null, and forget them.
    void finalize(void *dso)
    {
        for (int i = count_; i-- > 0;) {
            exit_handler h = handlers_[i];
            if (dso && h.dso != dso) {
                continue;
            }
            handlers_[i] = exit_handler();
            h.run();
        }
        while (count_ > 0 && !handlers_[count_ - 1].with_arg &&
               !handlers_[count_ - 1].without_arg) {
            count_--;
        }
    }

private:
    exit_handler handlers_[max_handlers] = {};
    int count_ = 0;
};

handler_registry registry;

} // namespace

extern "C" int __cxa_atexit(void (*func)(void *), void *arg, void *dso_handle)
{
    exit_handler h;
    h.with_arg = func;
    h.arg = arg;
    h.dso = dso_handle;
    return registry.add(h) ? 0 : -1;
}

extern "C" void __cxa_finalize(void *dso_handle)
{
    registry.finalize(dso_handle);
}

extern "C" int atexit(void (*func)(void))
{
    exit_handler h;
    h.without_arg = func;
    return registry.add(h) ? 0 : -1;
}

// Called through the vtable slot of a pure virtual function; never expected.
extern "C" KERNEL_HIDDEN void __cxa_pure_virtual()
{
    abort();
}
