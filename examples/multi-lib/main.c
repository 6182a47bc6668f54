/* An app of three ELF files: this program, a library it links (libshapes), and a plugin it loads
   at run time (libplugin). It also looks a kernel function up by name, which no import shows. */
#include <dlfcn.h>
#include <stdio.h>

int shapes_describe(const char* name, int sides);

int main(void) {
    shapes_describe("triangle", 3);
    void* plugin = dlopen("libplugin.so", RTLD_NOW);
    int (*sort_words)(void) = plugin ? (int (*)(void))dlsym(plugin, "plugin_sort_words") : NULL;
    /* Looked up by name at run time: the version script must keep it (KEEP getenv). */
    char* (*lookup)(const char*) = (char* (*)(const char*))dlsym(RTLD_DEFAULT, "getenv");
    printf("sorted %d words, HOME=%s\n", sort_words ? sort_words() : -1, lookup ? lookup("HOME") : "?");
    return 0;
}
