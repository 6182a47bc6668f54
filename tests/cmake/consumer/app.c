#include <stdio.h>

int greet(const char* who);

int main(void) {
    greet("osv");
    puts("consumer app");
    return 0;
}
