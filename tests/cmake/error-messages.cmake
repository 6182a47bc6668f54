# Pins the wording of every FATAL_ERROR of the module: configures errors/ once per case and
# expects the message (whitespace folded, since CMake wraps long messages).
# Usage: cmake -DSOURCE=<osv-specialize root> -DWORK=<scratch dir> -P error-messages.cmake
# Messages contain semicolons, so each lives in its own variable rather than in a list.
set(expect_app_without_target
    "add_osv_app(redis): TARGET or EXECUTABLE is required.")
set(expect_app_with_both
    "add_osv_app(redis): give TARGET or EXECUTABLE, not both.")
set(expect_app_unknown_argument
    "add_osv_app(hello): unknown argument(s) 'BOGUS value'; see the documentation at the top of OSvSpecialize.cmake.")
set(expect_app_missing_value
    "add_osv_app(hello): KERNEL given without a value.")
set(expect_app_not_a_target
    "add_osv_app(hello): TARGET 'nothere' is not a target; use EXECUTABLE for a file.")
set(expect_app_library_target
    "add_osv_app(hello): TARGET 'greet' is a SHARED_LIBRARY, not an executable; list libraries under LIBRARIES.")
set(expect_app_missing_executable
    "add_osv_app(tool): EXECUTABLE '/nonexistent/tool' does not exist.")
set(expect_app_bad_files
    "add_osv_app(hello): FILES entry 'app.conf' must be <guest-path>=<host-path> with an absolute guest path, e.g. /etc/app.conf=app.conf.")
set(expect_app_bad_library
    "add_osv_app(hello): LIBRARIES entry '/nonexistent/libx.so' is neither a target nor a file.")
set(expect_app_unknown_library_name
    "add_osv_app(hello): LIBRARIES entry 'no-such-library-anywhere' is neither a target, a file, nor a library find_library() finds (libno-such-library-anywhere.so); install it or give its path.")
set(expect_app_bad_image
    "add_osv_app(hello): IMAGE must be rofs (a disk beside kernel.elf), ramfs (the files built into kernel.elf) or none, got 'ext4'.")
set(expect_app_bad_port
    "add_osv_app(hello): PORTS entry '70000' is not a TCP port (1-65535) or <host-port>:<guest-port>.")
set(expect_app_bad_memory
    "add_osv_app(hello): MEMORY must be a size such as 512M or 2G, got 'lots'.")
set(expect_app_bad_run_timeout
    "add_osv_app(hello): RUN_TIMEOUT must be a number of seconds (0: no bound), got 'soon'.")
set(expect_test_without_check
    "osv_add_test(hello): give EXPECT_OUTPUT <regex>, CLIENT <command>..., or both; otherwise the test would prove nothing.")
set(expect_test_unknown_app
    "osv_add_test(nothere): no app named 'nothere'; call add_osv_app(nothere ...) first.")
set(expect_import_missing_bundle
    "osv_import_kernel(k): BUNDLE '/nonexistent/osv-kit.tar.xz' does not exist; make one with 'osv-symbols kit bundle --kit <kit.yaml> -o <osv-kit.tar.xz>'.")
set(expect_app_twice
    "add_osv_app(hello): a target named 'hello-osv' already exists; each kernel needs its own name.")
set(expect_import_two_modes
    "osv_import_kernel(k): give exactly one of KIT <kit.yaml>, BUNDLE <osv-kit.tar.xz>, OSV_ROOT <dir> or TEST_KERNEL.")
set(expect_import_missing_kit
    "osv_import_kernel(k): KIT '/nonexistent/kit.yaml' does not exist; capture one with 'osv-symbols kit capture --osv-root <osv> -o <kit.yaml>'.")
set(expect_import_not_osv
    "osv_import_kernel(k): OSV_ROOT '/nonexistent/osv' is not an OSv tree (no Makefile).")
set(expect_import_build_dir_without_root
    "osv_import_kernel(k): BUILD_DIR and MAKE_ARGS go with OSV_ROOT.")
set(expect_import_name_taken
    "osv_import_kernel(hello): a target named 'hello' already exists; choose another kernel name.")
set(expect_kernel_no_inputs
    "osv_specialized_kernel(k): nothing to analyse; give TARGETS, FILES or MANIFESTS.")
set(expect_kernel_unknown_kernel
    "osv_specialized_kernel(k): KERNEL 'nope' was not imported; call osv_import_kernel(nope ...) first.")
set(expect_kernel_not_a_target
    "osv_specialized_kernel(k): 'nothere' is not a target; list targets under TARGETS and files under FILES.")
set(expect_kernel_bad_linker
    "osv_specialized_kernel(k): LINKER must be bfd or lld, got 'gold'.")
set(expect_kernel_icf_without_lld
    "osv_specialized_kernel(k): ICF needs LINKER lld (ld.bfd has no identical code folding).")
set(expect_no_default_kernel
    "osv_specialized_kernel(k): no KERNEL given and no default kernel; call osv_import_kernel() first or set OSV_DEFAULT_KERNEL.")
set(expect_app_no_name
    "add_osv_app: the first argument must be a name, got 'TARGET'.")
set(expect_kernel_name_taken
    "osv_specialized_kernel(hello): a target named 'hello' already exists; each kernel needs its own name.")
# @BUILD@ stands for the case's build folder.
set(expect_import_unbuilt_osv
    "osv_import_kernel(k): '@BUILD@/osv/build/release.x64/loader.elf' is missing; build OSv first: scripts/build conf_hide_symbols=1 image=<app>.")
set(expect_import_unhidden_osv
    "osv_import_kernel(k): '@BUILD@/osv/build/release.x64' has no version_script: OSv was not built with conf_hide_symbols=1; rebuild it with conf_hide_symbols=1.")
set(expect_find_package_without_helper
    "OSvSpecialize: @BUILD@/prefix/bin/osv-symbols is missing; reinstall osv-specialize (cmake --install).")
set(expect_import_absolute_build_dir
    "osv_import_kernel(k): '@BUILD@/out/loader.elf' is missing; build OSv first")
set(expect_app_multi_config
    "add_osv_app(hello): multi-config generators (Ninja Multi-Config) are not supported yet, since the app's manifest differs per configuration; use a single-config generator such as Ninja or Unix Makefiles, or osv_specialized_kernel(hello TARGETS ...).")
set(expect_prebuilt_helper_missing
    "OSvSpecialize: OSV_SYMBOLS_EXECUTABLE '@BUILD@/no-such-osv-symbols' is not an existing file; give the absolute path of a built osv-symbols, or leave it empty to build the helper.")
set(expect_prebuilt_helper_not_helper
    "OSvSpecialize: OSV_SYMBOLS_EXECUTABLE '@BUILD@/fake-osv-symbols' does not run as osv-symbols (--version printed 'some other tool 1.0'); give the path of a built osv-symbols.")
set(expect_prebuilt_helper_other_version
    "OSvSpecialize: OSV_SYMBOLS_EXECUTABLE '@BUILD@/fake-osv-symbols' is osv-symbols 9.9.9, but this osv-specialize is @VERSION@; build the helper of this version.")
set(generator_app_multi_config "Ninja Multi-Config")
set(cases
    prebuilt_helper_missing
    prebuilt_helper_not_helper
    prebuilt_helper_other_version
    import_absolute_build_dir
    app_multi_config
    find_package_without_helper
    app_no_name
    kernel_name_taken
    import_unbuilt_osv
    import_unhidden_osv
    app_without_target
    app_with_both
    app_unknown_argument
    app_missing_value
    app_not_a_target
    app_library_target
    app_missing_executable
    app_bad_files
    app_bad_library
    app_unknown_library_name
    app_bad_image
    app_bad_port
    app_bad_memory
    app_bad_run_timeout
    test_without_check
    test_unknown_app
    import_missing_bundle
    app_twice
    import_two_modes
    import_missing_kit
    import_not_osv
    import_build_dir_without_root
    import_name_taken
    kernel_no_inputs
    kernel_unknown_kernel
    kernel_not_a_target
    kernel_bad_linker
    kernel_icf_without_lld
    no_default_kernel
)
# The project's version, as the prebuilt-helper check compares it.
file(STRINGS "${SOURCE}/CMakeLists.txt" project_line REGEX "^project\\(OSvSpecialize VERSION ")
string(REGEX REPLACE ".* VERSION ([0-9.]+) .*" "\\1" project_version "${project_line}")
set(failures 0)
list(LENGTH cases length)
foreach(case IN LISTS cases)
    string(REPLACE "@BUILD@" "${WORK}/${case}" expected "${expect_${case}}")
    string(REPLACE "@VERSION@" "${project_version}" expected "${expected}")
    set(generator Ninja)
    if(DEFINED generator_${case})
        set(generator "${generator_${case}}")
    endif()
    execute_process(
        COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}/tests/cmake/errors" -B "${WORK}/${case}" -G "${generator}"
                -DOSV_SPECIALIZE_SOURCE=${SOURCE} -DCASE=${case}
        RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE error)
    string(REGEX REPLACE "[ \t\r\n]+" " " folded "${error}")
    string(FIND "${folded}" "${expected}" found)
    if(result EQUAL 0 OR found EQUAL -1)
        message("FAIL: ${case}: expected \"${expected}\"\n${error}")
        math(EXPR failures "${failures} + 1")
    else()
        message("PASS: ${case}")
    endif()
endforeach()
if(failures GREATER 0)
    message(FATAL_ERROR "${failures} error message(s) differ")
endif()
message("error-messages: all ${length} strings pinned")
