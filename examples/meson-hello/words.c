#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A second app beside hello: it sorts its arguments, so its kernel keeps qsort and strcmp too. */
static int compare(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int main(int argc, char** argv) {
    qsort(argv + 1, (size_t)(argc - 1), sizeof argv[0], compare);
    for (int i = 1; i < argc; ++i) printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
    return 0;
}
