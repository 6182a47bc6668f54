#include <stdlib.h>
#include <string.h>

static int compare(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

int plugin_sort_words(void) {
    char* words[] = {strdup("osv"), strdup("kernel"), strdup("app")};
    qsort(words, 3, sizeof words[0], compare);
    for (int i = 0; i < 3; ++i) free(words[i]);
    return 3;
}
