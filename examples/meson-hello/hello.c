#include <stdio.h>

int main(void) {
    puts("Hello from C code");
    return 0;
}
