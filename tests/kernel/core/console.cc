// The kernel console: an abstract device interface with a buffered
// implementation (flushed to the 0xe9 debug port) and a null device that is
// active until console_init() runs.
//
// Member functions are defined out of line so they are ordinary functions
// (no COMDAT .text.<name> sections when built without -ffunction-sections).
#include <kernel/libc.h>
#include <kernel/internal.h>

namespace kernel {

class console_device {
public:
    constexpr console_device() = default;
    virtual size_t write(const char *data, size_t len) = 0;
    virtual void flush() = 0;
    virtual const char *name() const = 0;

protected:
    ~console_device() = default;
};

class null_console final : public console_device {
public:
    constexpr null_console() = default;
    size_t write(const char *data, size_t len) override;
    void flush() override;
    const char *name() const override;
};

class buffered_console final : public console_device {
public:
    constexpr buffered_console(char *buffer, size_t size)
        : buffer_(buffer), size_(size)
    {
    }
    size_t write(const char *data, size_t len) override;
    void flush() override;
    const char *name() const override;

private:
    static void out_byte(char c);

    char *buffer_;
    size_t size_;
    size_t used_ = 0;
};

size_t null_console::write(const char *data, size_t len)
{
    (void)data;
    return len;
}

void null_console::flush()
{
}

const char *null_console::name() const
{
    return "null";
}

size_t buffered_console::write(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (used_ == size_) {
            flush();
        }
        buffer_[used_++] = data[i];
        if (data[i] == '\n') {
            flush();
        }
    }
    return len;
}

void buffered_console::flush()
{
    for (size_t i = 0; i < used_; i++) {
        out_byte(buffer_[i]);
    }
    used_ = 0;
}

const char *buffered_console::name() const
{
    return "debugcon";
}

void buffered_console::out_byte(char c)
{
    __asm__ volatile("outb %0, $0xe9" : : "a"(c));
}

} // namespace kernel

namespace {
char console_buffer[1024];
kernel::null_console null_device;
kernel::buffered_console debug_console(console_buffer, sizeof(console_buffer));
kernel::console_device *active_console = &null_device;
} // namespace

extern "C" void console_init()
{
    active_console = &debug_console;
}

extern "C" size_t console_write(const char *data, size_t len)
{
    return active_console->write(data, len);
}

extern "C" void console_flush()
{
    active_console->flush();
}
