#include <stdio.h>
#include <string.h>

int greet(const char* who) { return printf("hello %s (%zu)\n", who, strlen(who)); }
