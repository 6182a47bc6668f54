# OSvSpecialize.cmake — app-specialized OSv kernels as an ordinary step of a CMake build.
#
# An OSv kernel exports ~1,500 libc-like symbols; one app imports a few. Relinking the kernel
# (nothing recompiled) with a version script that exports only the app's imports lets
# --gc-sections drop all code nothing reaches. These functions wire the osv-symbols helper into
# the build so the version script and the relinked kernel.elf are regenerated whenever the app is
# rebuilt, and the kernel is relinked only when the app's imports really changed (the helper does
# not rewrite an unchanged version script, so Ninja's restat and make's timestamp check skip the
# relink).
#
# osv_import_kernel(<name> KIT <kit.yaml>
#                        | BUNDLE <osv-kit.tar.xz>
#                        | OSV_ROOT <dir> [BUILD_DIR <dir>] [MAKE_ARGS <arg>...]
#                        | TEST_KERNEL)
#   Makes a base kernel known under <name> (a custom target carrying the property OSV_KIT_FILE).
#   KIT          an existing kit from `osv-symbols kit capture`.
#   BUNDLE       a kit bundle from `osv-symbols kit bundle`: a real kernel in one file, relinked
#                with no OSv tree (unpacked once into the user cache); it carries OSv's base files.
#   OSV_ROOT     a built OSv tree (conf_hide_symbols=1). The kit is captured at build time from
#                OSv's own Makefile (make -n), and recaptured whenever OSv relinks loader.elf;
#                BUILD_DIR defaults to build/release.x64, MAKE_ARGS are the options the tree was
#                built with (for example fs=rofs).
#   TEST_KERNEL  the small OSv-shaped kernel bundled with osv-specialize (tests/kernel), for
#                trying the workflow without an OSv tree. It never boots.
#   The first kernel imported becomes the default for apps that name none, unless the variable
#   OSV_DEFAULT_KERNEL names another.
#
# osv_specialized_kernel(<name>
#     [KERNEL <imported kernel>]
#     [TARGETS <executable or library target>...] [FILES <ELF file or folder>...]
#     [MANIFESTS <usr.manifest>...]
#     [KEEP <name-or-glob>...] [KEEP_FILE <file>] [CONFIG <file.yaml>]
#     [STRICT] [LINKER bfd|lld] [ICF] [OUTPUT_DIRECTORY <dir>])
#   Creates the target <name> (part of ALL). Its build writes, in OUTPUT_DIRECTORY (default
#   ${CMAKE_CURRENT_BINARY_DIR}/<name>):
#     <name>.version_script   the kernel exports the app imports, plus KEEP names
#     <name>.report.yaml      inputs, counts, unresolved imports, dlsym warnings and candidates
#     kernel.elf              the relinked, stripped, verified kernel
#     kernel.relink.yaml      sizes, export counts and link time of the last relink
#   Target properties: OSV_KERNEL_FILE, OSV_VERSION_SCRIPT, OSV_REPORT, OSV_KIT_FILE. The target
#   explain-<name> writes <name>.explain.yaml and .html: the kernel's bytes by component and kind,
#   generic vs specialized, and what each export alone keeps (osv-symbols explain).
#   TARGETS are the app's own targets (their files are inputs, and the version script depends on
#   them); FILES are ELF files or folders on disk; MANIFESTS are OSv manifests whose host files are
#   inputs. KEEP / KEEP_FILE add names the app looks up with dlsym(). CONFIG is an osv-symbols
#   YAML config. STRICT fails the build on imports that neither kernel nor app provides. LINKER
#   lld relinks with ld.lld (about 4x faster on OSv); ICF adds --icf=all (lld only).
#
# add_osv_app(<name>
#     TARGET <executable target> | EXECUTABLE <path>
#     [LIBRARIES <target, path or bare name>...] [NO_CLOSURE] [LIBRARY_PATH <dir>...]
#     [FILES <guest-path>=<host-path>...] [CMDLINE "<args>"]
#     [IMAGE rofs|ramfs|none] [MEMORY <size>] [CPUS <n>] [PORTS <port>...] [RUN_TIMEOUT <s>]
#     [KERNEL <imported kernel>] [KEEP <name-or-glob>...] [KEEP_FILE <file>] [CONFIG <file.yaml>]
#     [STRICT] [LINKER bfd|lld] [ICF] [OUTPUT_DIRECTORY <dir>])
#   Describes one app and builds what boots it. Creates the target <name>-osv (so it never
#   collides with the executable's own target), whose folder (default
#   ${CMAKE_CURRENT_BINARY_DIR}/<name>-osv) holds side by side:
#     <name>.manifest          the program at /<program>, LIBRARIES under /usr/lib/, FILES, and
#                              the command line (default: /<program>) in a comment
#     <name>.libs.manifest     the shared libraries the program and LIBRARIES need besides glibc
#                              (OSv's kernel provides it), found at build time by following
#                              DT_NEEDED like ld.so (RUNPATH, $ORIGIN, LIBRARY_PATH, the Debian
#                              multiarch folders); NO_CLOSURE turns this off. <name>.libs.yaml says
#                              which file satisfied each DT_NEEDED.
#     <name>.version_script, <name>.report.yaml, kernel.elf, kernel.relink.yaml
#     <name>.img               IMAGE rofs (the default): the app's files and OSv's base files (from
#                              the kit) as a disk for `-kernel kernel.elf`; IMAGE ramfs builds them
#                              into kernel.elf instead (one file, no disk); none builds no image.
#   LIBRARIES: targets, paths, or bare names (ssl) looked up with find_library() for libraries
#   the program dlopen()s. MEMORY (default 512M), CPUS (default 1) and PORTS (<port> or
#   <host-port>:<guest-port>, forwarded from 127.0.0.1 only) are how the app boots; RUN_TIMEOUT
#   (default 0, none) bounds run-<name>.
#   Targets: run-<name> boots the app under QEMU (TCG; OSV_ACCEL=kvm for KVM) with the console on
#   the terminal. Target properties: those of osv_specialized_kernel plus OSV_MANIFEST,
#   OSV_CMDLINE, OSV_IMAGE, OSV_ROOTFS, OSV_MEMORY, OSV_CPUS and OSV_PORTS.
#
# osv_add_test(<app> [EXPECT_OUTPUT <regex>] [CLIENT <command>...] [TIMEOUT <seconds>] [NAME <test>])
#   A ctest test (default name <app>_on_osv, label osv) that boots the app of add_osv_app(<app>)
#   and passes when its console shows EXPECT_OUTPUT and/or the CLIENT command (run by sh once the
#   console shows EXPECT_OUTPUT, e.g. redis-cli -p 6379 ping, against the forwarded PORTS) exits
#   0. The VM is powered off after the check and after TIMEOUT (default 120) at the latest.
#
# Regeneration: the version script depends on the app's targets and files, the helper, the
# manifest, keep and config files, the kit, and (through the helper's depfile) every file a
# manifest or folder pulls in. The relink depends on the version script, the kit and (depfile)
# every object the kernel link reads. With Ninja, an app rebuild that keeps its imports reruns the
# cheap version-script step and nothing else; with Makefiles the same holds (make compares the
# unchanged script's timestamp with kernel.elf's), the script step simply reruns on each build.
# Make caveat: kit inputs touched without changing make the capture and relink rerun each build
# until they change (make has no restat). add_osv_app needs a single-config generator.

include_guard(GLOBAL)
if(CMAKE_VERSION VERSION_LESS 3.20)
    message(FATAL_ERROR "OSvSpecialize needs CMake 3.20 or newer (DEPFILE support); this is ${CMAKE_VERSION}.")
endif()

get_filename_component(_OSV_SPECIALIZE_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(_OSV_SPECIALIZE_ROOT "${_OSV_SPECIALIZE_ROOT}" CACHE INTERNAL "Where osv-specialize's templates and test kernel are")

# ---------------------------------------------------------------------------------------------
# Private helpers

# Unknown or value-less arguments are errors, never silently ignored.
macro(_osv_reject_leftovers function name)
    if(arg_UNPARSED_ARGUMENTS)
        list(JOIN arg_UNPARSED_ARGUMENTS " " _osv_unknown)
        message(FATAL_ERROR "${function}(${name}): unknown argument(s) '${_osv_unknown}'; see the documentation "
                            "at the top of OSvSpecialize.cmake.")
    endif()
    if(arg_KEYWORDS_MISSING_VALUES)
        list(JOIN arg_KEYWORDS_MISSING_VALUES ", " _osv_missing)
        message(FATAL_ERROR "${function}(${name}): ${_osv_missing} given without a value.")
    endif()
endmacro()

function(_osv_require_name function name)
    if("${name}" STREQUAL "" OR name MATCHES "^(TARGET|EXECUTABLE|KERNEL|KIT|OSV_ROOT|TEST_KERNEL)$")
        message(FATAL_ERROR "${function}: the first argument must be a name, got '${name}'.")
    endif()
endfunction()

# The output folder and target of one specialized kernel, refusing names already taken.
function(_osv_claim_target function name target default_dir)
    if(TARGET "${target}")
        message(FATAL_ERROR "${function}(${name}): a target named '${target}' already exists; each kernel needs its own name.")
    endif()
    if(DEFINED arg_OUTPUT_DIRECTORY)
        _osv_absolute(dir "${arg_OUTPUT_DIRECTORY}")
    else()
        set(dir "${default_dir}")
    endif()
    set(dir "${dir}" PARENT_SCOPE)
endfunction()

function(_osv_absolute out path)
    get_filename_component(absolute "${path}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    set(${out} "${absolute}" PARENT_SCOPE)
endfunction()

# A kit capture as a build step: the kit is rewritten (restat) only when its content changes.
# build_dir is absolute.
function(_osv_capture_kit_command name osv_root build_dir kit)
    cmake_parse_arguments(PARSE_ARGV 4 capture "" "" "MAKE_ARGS;DEPENDS")
    set(make_args)
    foreach(make_arg IN LISTS capture_MAKE_ARGS)
        list(APPEND make_args --make-arg "${make_arg}")
    endforeach()
    add_custom_command(
        OUTPUT "${kit}"
        COMMAND OSvSpecialize::osv-symbols kit capture --osv-root "${osv_root}" --build-dir "${build_dir}" ${make_args}
                -o "${kit}"
        DEPENDS "${build_dir}/loader.elf" "${build_dir}/version_script"
                OSvSpecialize::osv-symbols ${capture_DEPENDS}
        COMMENT "Capturing the kernel kit of '${name}' from ${osv_root}"
        VERBATIM)
endfunction()

function(_osv_resolve_kernel out function name kernel)
    if("${kernel}" STREQUAL "")
        if(DEFINED OSV_DEFAULT_KERNEL AND NOT "${OSV_DEFAULT_KERNEL}" STREQUAL "")
            set(kernel "${OSV_DEFAULT_KERNEL}")
        else()
            get_property(kernel GLOBAL PROPERTY _OSV_SPECIALIZE_FIRST_KERNEL)
        endif()
        if("${kernel}" STREQUAL "")
            message(FATAL_ERROR "${function}(${name}): no KERNEL given and no default kernel; call "
                                "osv_import_kernel() first or set OSV_DEFAULT_KERNEL.")
        endif()
    endif()
    get_property(known GLOBAL PROPERTY OSV_SPECIALIZE_KERNELS)
    if(NOT kernel IN_LIST known)
        message(FATAL_ERROR "${function}(${name}): KERNEL '${kernel}' was not imported; call "
                            "osv_import_kernel(${kernel} ...) first.")
    endif()
    set(${out} "${kernel}" PARENT_SCOPE)
endfunction()

# The work shared by osv_specialized_kernel and add_osv_app; reads the caller's arg_* variables.
function(_osv_specialize function name target dir stem)
    _osv_resolve_kernel(kernel "${function}" "${name}" "${arg_KERNEL}")
    get_target_property(kit "${kernel}" OSV_KIT_FILE)

    if(DEFINED arg_LINKER AND NOT arg_LINKER MATCHES "^(bfd|lld)$")
        message(FATAL_ERROR "${function}(${name}): LINKER must be bfd or lld, got '${arg_LINKER}'.")
    endif()
    if(arg_ICF AND NOT arg_LINKER STREQUAL "lld")
        message(FATAL_ERROR "${function}(${name}): ICF needs LINKER lld (ld.bfd has no identical code folding).")
    endif()

    set(inputs)
    set(depends)
    foreach(app_target IN LISTS arg_TARGETS)
        if(NOT TARGET "${app_target}")
            message(FATAL_ERROR "${function}(${name}): '${app_target}' is not a target; list targets under TARGETS "
                                "and files under FILES.")
        endif()
        list(APPEND inputs "$<TARGET_FILE:${app_target}>")
        list(APPEND depends "${app_target}")
    endforeach()
    foreach(file IN LISTS arg_FILES)
        _osv_absolute(file "${file}")
        list(APPEND inputs "${file}")
        list(APPEND depends "${file}")
    endforeach()
    set(options)
    foreach(manifest IN LISTS arg_MANIFESTS)
        _osv_absolute(manifest "${manifest}")
        list(APPEND options --manifest "${manifest}")
        list(APPEND depends "${manifest}")
    endforeach()
    foreach(keep IN LISTS arg_KEEP)
        list(APPEND options --keep "${keep}")
    endforeach()
    foreach(setting KEEP_FILE CONFIG)
        if(DEFINED arg_${setting})
            _osv_absolute(file "${arg_${setting}}")
            string(TOLOWER "${setting}" flag)
            string(REPLACE "_" "-" flag "${flag}")
            list(APPEND options "--${flag}" "${file}")
            list(APPEND depends "${file}")
        endif()
    endforeach()
    if(arg_STRICT)
        list(APPEND options --strict)
    endif()
    if(NOT inputs AND NOT arg_MANIFESTS)
        message(FATAL_ERROR "${function}(${name}): nothing to analyse; give TARGETS, FILES or MANIFESTS.")
    endif()

    file(MAKE_DIRECTORY "${dir}")
    set(script "${dir}/${stem}.version_script")
    set(report "${dir}/${stem}.report.yaml")
    set(kernel_file "${dir}/kernel.elf")
    add_custom_command(
        OUTPUT "${script}"
        BYPRODUCTS "${report}"
        COMMAND OSvSpecialize::osv-symbols version-script --kit "${kit}" ${inputs} ${options}
                --report "${report}" --depfile "${script}.d" -o "${script}"
        DEPENDS ${depends} "${kit}" "${kernel}" OSvSpecialize::osv-symbols
        DEPFILE "${script}.d"
        COMMENT "osv-symbols: version script for ${name}"
        VERBATIM COMMAND_EXPAND_LISTS)

    set(relink_options ${_osv_relink_options})
    if(DEFINED arg_LINKER)
        list(APPEND relink_options --linker "${arg_LINKER}")
    endif()
    if(arg_ICF)
        list(APPEND relink_options --icf)
    endif()
    add_custom_command(
        OUTPUT "${kernel_file}"
        BYPRODUCTS "${dir}/kernel.relink.yaml"
        COMMAND OSvSpecialize::osv-symbols relink --kit "${kit}" --version-script "${script}" -o "${kernel_file}"
                --report "${dir}/kernel.relink.yaml" --depfile "${kernel_file}.d" ${relink_options}
        DEPENDS "${script}" "${kit}" "${kernel}" OSvSpecialize::osv-symbols ${_osv_relink_depends}
        DEPFILE "${kernel_file}.d"
        COMMENT "osv-symbols: relinking the OSv kernel for ${name}"
        VERBATIM)

    add_custom_target("${target}" ALL DEPENDS "${kernel_file}" ${_osv_target_depends})

    # explain-<name>: what is in the kernel and why (on demand: it relinks twice with a link map).
    add_custom_target("explain-${name}"
        COMMAND OSvSpecialize::osv-symbols explain --kit "${kit}" --version-script "${script}"
                -o "${dir}/${stem}.explain.yaml" --html "${dir}/${stem}.explain.html"
        DEPENDS "${script}" "${kit}" "${kernel}"
        COMMENT "osv-symbols: what is in ${name}'s kernel, and why (${dir}/${stem}.explain.html)"
        VERBATIM)
    set_target_properties("${target}" PROPERTIES
        OSV_KERNEL_FILE "${kernel_file}"
        OSV_VERSION_SCRIPT "${script}"
        OSV_REPORT "${report}"
        OSV_KIT_FILE "${kit}")
endfunction()

# ---------------------------------------------------------------------------------------------
# Public functions

function(osv_import_kernel name)
    list(APPEND CMAKE_MESSAGE_CONTEXT "osv_import_kernel")
    _osv_require_name(osv_import_kernel "${name}")
    cmake_parse_arguments(PARSE_ARGV 1 arg "TEST_KERNEL" "KIT;BUNDLE;OSV_ROOT;BUILD_DIR" "MAKE_ARGS")
    _osv_reject_leftovers(osv_import_kernel "${name}")

    set(modes 0)
    foreach(mode KIT BUNDLE OSV_ROOT)
        if(DEFINED arg_${mode})
            math(EXPR modes "${modes} + 1")
        endif()
    endforeach()
    if(arg_TEST_KERNEL)
        math(EXPR modes "${modes} + 1")
    endif()
    if(NOT modes EQUAL 1)
        message(FATAL_ERROR "osv_import_kernel(${name}): give exactly one of KIT <kit.yaml>, BUNDLE <osv-kit.tar.xz>, "
                            "OSV_ROOT <dir> or TEST_KERNEL.")
    endif()
    if((DEFINED arg_BUILD_DIR OR DEFINED arg_MAKE_ARGS) AND NOT DEFINED arg_OSV_ROOT)
        message(FATAL_ERROR "osv_import_kernel(${name}): BUILD_DIR and MAKE_ARGS go with OSV_ROOT.")
    endif()
    if(TARGET "${name}")
        message(FATAL_ERROR "osv_import_kernel(${name}): a target named '${name}' already exists; choose another kernel name.")
    endif()

    set(dir "${CMAKE_BINARY_DIR}/osv-kernels/${name}")
    if(DEFINED arg_KIT)
        _osv_absolute(kit "${arg_KIT}")
        if(NOT EXISTS "${kit}")
            message(FATAL_ERROR "osv_import_kernel(${name}): KIT '${kit}' does not exist; capture one with "
                                "'osv-symbols kit capture --osv-root <osv> -o <kit.yaml>'.")
        endif()
        add_custom_target("${name}")
    elseif(DEFINED arg_BUNDLE)
        # The helper takes a bundle wherever it takes a kit (unpacked once into the user cache).
        _osv_absolute(kit "${arg_BUNDLE}")
        if(NOT EXISTS "${kit}")
            message(FATAL_ERROR "osv_import_kernel(${name}): BUNDLE '${kit}' does not exist; make one with "
                                "'osv-symbols kit bundle --kit <kit.yaml> -o <osv-kit.tar.xz>'.")
        endif()
        add_custom_target("${name}")
    elseif(DEFINED arg_OSV_ROOT)
        _osv_absolute(root "${arg_OSV_ROOT}")
        if(NOT DEFINED arg_BUILD_DIR)
            set(arg_BUILD_DIR "build/release.x64")
        endif()
        cmake_path(ABSOLUTE_PATH arg_BUILD_DIR BASE_DIRECTORY "${root}" NORMALIZE OUTPUT_VARIABLE build)
        if(NOT EXISTS "${root}/Makefile")
            message(FATAL_ERROR "osv_import_kernel(${name}): OSV_ROOT '${root}' is not an OSv tree (no Makefile).")
        endif()
        if(NOT EXISTS "${build}/loader.elf")
            message(FATAL_ERROR "osv_import_kernel(${name}): '${build}/loader.elf' is missing; build "
                                "OSv first: scripts/build conf_hide_symbols=1 image=<app>.")
        endif()
        if(NOT EXISTS "${build}/version_script")
            message(FATAL_ERROR "osv_import_kernel(${name}): '${build}' has no version_script: OSv was "
                                "not built with conf_hide_symbols=1; rebuild it with conf_hide_symbols=1.")
        endif()
        set(kit "${dir}/kit.yaml")
        _osv_capture_kit_command("${name}" "${root}" "${build}" "${kit}" MAKE_ARGS ${arg_MAKE_ARGS})
        add_custom_target("${name}" DEPENDS "${kit}")
    else()
        set(source "${_OSV_SPECIALIZE_ROOT}/tests/kernel")
        set(tree "${dir}/tree")
        # Not CONFIGURE_DEPENDS: that would make every build (and `ninja -n`) re-check the glob.
        file(GLOB_RECURSE sources "${source}/*")
        list(FILTER sources EXCLUDE REGEX "^${source}/build/")  # an in-tree build of the kernel is output, not source
        add_custom_command(
            OUTPUT "${tree}/build/release.x64/loader.elf" "${tree}/build/release.x64/version_script"
            COMMAND bash "${source}/build.sh" "${source}" "${tree}"
            DEPENDS ${sources}
            COMMENT "Building the bundled test kernel for '${name}'"
            VERBATIM)
        set(kit "${dir}/kit.yaml")
        _osv_capture_kit_command("${name}" "${tree}" "${tree}/build/release.x64" "${kit}")
        add_custom_target("${name}" DEPENDS "${kit}")
    endif()

    set_target_properties("${name}" PROPERTIES OSV_KIT_FILE "${kit}")
    set_property(GLOBAL APPEND PROPERTY OSV_SPECIALIZE_KERNELS "${name}")
    get_property(first GLOBAL PROPERTY _OSV_SPECIALIZE_FIRST_KERNEL)
    if("${first}" STREQUAL "")
        set_property(GLOBAL PROPERTY _OSV_SPECIALIZE_FIRST_KERNEL "${name}")
    endif()
endfunction()

function(osv_specialized_kernel name)
    list(APPEND CMAKE_MESSAGE_CONTEXT "osv_specialized_kernel")
    _osv_require_name(osv_specialized_kernel "${name}")
    cmake_parse_arguments(PARSE_ARGV 1 arg "STRICT;ICF" "KERNEL;KEEP_FILE;CONFIG;LINKER;OUTPUT_DIRECTORY"
                          "TARGETS;FILES;MANIFESTS;KEEP")
    _osv_reject_leftovers(osv_specialized_kernel "${name}")
    _osv_claim_target(osv_specialized_kernel "${name}" "${name}" "${CMAKE_CURRENT_BINARY_DIR}/${name}")
    set(_osv_relink_options)
    set(_osv_relink_depends)
    set(_osv_target_depends)
    _osv_specialize(osv_specialized_kernel "${name}" "${name}" "${dir}" "${name}")
endfunction()

function(add_osv_app name)
    list(APPEND CMAKE_MESSAGE_CONTEXT "add_osv_app")
    _osv_require_name(add_osv_app "${name}")
    cmake_parse_arguments(PARSE_ARGV 1 arg "STRICT;ICF;NO_CLOSURE"
                          "TARGET;EXECUTABLE;CMDLINE;KERNEL;KEEP_FILE;CONFIG;LINKER;OUTPUT_DIRECTORY;IMAGE;MEMORY;CPUS;RUN_TIMEOUT"
                          "LIBRARIES;LIBRARY_PATH;FILES;KEEP;PORTS")
    _osv_reject_leftovers(add_osv_app "${name}")
    if(DEFINED arg_TARGET AND DEFINED arg_EXECUTABLE)
        message(FATAL_ERROR "add_osv_app(${name}): give TARGET or EXECUTABLE, not both.")
    endif()
    if(NOT DEFINED arg_TARGET AND NOT DEFINED arg_EXECUTABLE)
        message(FATAL_ERROR "add_osv_app(${name}): TARGET or EXECUTABLE is required.")
    endif()
    if(NOT DEFINED arg_IMAGE)
        set(arg_IMAGE rofs)
    endif()
    if(NOT arg_IMAGE MATCHES "^(rofs|ramfs|none)$")
        message(FATAL_ERROR "add_osv_app(${name}): IMAGE must be rofs (a disk beside kernel.elf), ramfs (the files built "
                            "into kernel.elf) or none, got '${arg_IMAGE}'.")
    endif()
    foreach(port IN LISTS arg_PORTS)
        if(NOT port MATCHES "^([1-9][0-9]*)(:([1-9][0-9]*))?$" OR CMAKE_MATCH_1 GREATER 65535 OR CMAKE_MATCH_3 GREATER 65535)
            message(FATAL_ERROR "add_osv_app(${name}): PORTS entry '${port}' is not a TCP port (1-65535) or "
                                "<host-port>:<guest-port>.")
        endif()
    endforeach()
    if(DEFINED arg_CPUS AND NOT arg_CPUS MATCHES "^[1-9][0-9]*$")
        message(FATAL_ERROR "add_osv_app(${name}): CPUS must be a positive number, got '${arg_CPUS}'.")
    endif()
    if(NOT DEFINED arg_RUN_TIMEOUT)
        set(arg_RUN_TIMEOUT 0)
    endif()
    if(NOT arg_RUN_TIMEOUT MATCHES "^[0-9]+$")
        message(FATAL_ERROR "add_osv_app(${name}): RUN_TIMEOUT must be a number of seconds (0: no bound), got '${arg_RUN_TIMEOUT}'.")
    endif()
    if(DEFINED arg_MEMORY AND NOT arg_MEMORY MATCHES "^[1-9][0-9]*[MG]?$")
        message(FATAL_ERROR "add_osv_app(${name}): MEMORY must be a size such as 512M or 2G, got '${arg_MEMORY}'.")
    endif()
    get_property(multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
    if(multi_config)
        message(FATAL_ERROR "add_osv_app(${name}): multi-config generators (${CMAKE_GENERATOR}) are not supported yet, "
                            "since the app's manifest differs per configuration; use a single-config generator such "
                            "as Ninja or Unix Makefiles, or osv_specialized_kernel(${name} TARGETS ...).")
    endif()
    set(target "${name}-osv")
    _osv_claim_target(add_osv_app "${name}" "${target}" "${CMAKE_CURRENT_BINARY_DIR}/${target}")

    # What goes into the image, as manifest lines "guest: host" (host paths may be genexes). The
    # version script is made from the whole manifest, so an ELF file among FILES (a plugin) counts.
    set(user_files "${arg_FILES}")
    set(entries)
    set(arg_TARGETS)
    set(arg_FILES)
    if(DEFINED arg_TARGET)
        if(NOT TARGET "${arg_TARGET}")
            message(FATAL_ERROR "add_osv_app(${name}): TARGET '${arg_TARGET}' is not a target; use EXECUTABLE for a file.")
        endif()
        get_target_property(type "${arg_TARGET}" TYPE)
        if(NOT type STREQUAL "EXECUTABLE")
            message(FATAL_ERROR "add_osv_app(${name}): TARGET '${arg_TARGET}' is a ${type}, not an executable; "
                                "list libraries under LIBRARIES.")
        endif()
        set(program "$<TARGET_FILE_NAME:${arg_TARGET}>")
        list(APPEND entries "/${program}: $<TARGET_FILE:${arg_TARGET}>")
        list(APPEND arg_TARGETS "${arg_TARGET}")
    else()
        _osv_absolute(executable "${arg_EXECUTABLE}")
        if(NOT EXISTS "${executable}")
            message(FATAL_ERROR "add_osv_app(${name}): EXECUTABLE '${executable}' does not exist.")
        endif()
        get_filename_component(program "${executable}" NAME)
        list(APPEND entries "/${program}: ${executable}")
    endif()
    foreach(library IN LISTS arg_LIBRARIES)
        if(TARGET "${library}")
            list(APPEND entries "/usr/lib/$<TARGET_FILE_NAME:${library}>: $<TARGET_FILE:${library}>")
            list(APPEND arg_TARGETS "${library}")
            continue()
        endif()
        _osv_absolute(path "${library}")
        if(NOT EXISTS "${path}" AND NOT library MATCHES "/")
            # A bare name (ssl): the library the linker would take for -lssl, under its real file
            # name (libssl.so.3, the name programs ask for), like a dlopen()ed library.
            find_library(OSV_LIBRARY_${library} NAMES "${library}" HINTS ${arg_LIBRARY_PATH})
            if(OSV_LIBRARY_${library})
                get_filename_component(path "${OSV_LIBRARY_${library}}" REALPATH)
            endif()
        endif()
        if(NOT EXISTS "${path}" AND library MATCHES "/")
            message(FATAL_ERROR "add_osv_app(${name}): LIBRARIES entry '${library}' is neither a target nor a file.")
        elseif(NOT EXISTS "${path}")
            message(FATAL_ERROR "add_osv_app(${name}): LIBRARIES entry '${library}' is neither a target, a file, nor a "
                                "library find_library() finds (lib${library}.so); install it or give its path.")
        endif()
        get_filename_component(library_name "${path}" NAME)
        list(APPEND entries "/usr/lib/${library_name}: ${path}")
    endforeach()
    foreach(mapping IN LISTS user_files)
        if(NOT mapping MATCHES "^(/[^=]*)=(.+)$")
            message(FATAL_ERROR "add_osv_app(${name}): FILES entry '${mapping}' must be <guest-path>=<host-path> with an "
                                "absolute guest path, e.g. /etc/app.conf=app.conf.")
        endif()
        set(guest "${CMAKE_MATCH_1}")
        _osv_absolute(host "${CMAKE_MATCH_2}")
        list(APPEND entries "${guest}: ${host}")
    endforeach()
    set(cmdline "/${program}")
    if(DEFINED arg_CMDLINE)
        set(cmdline "${arg_CMDLINE}")
    endif()

    list(JOIN entries "\n" OSV_APP_ENTRIES)
    set(OSV_APP_NAME "${name}")
    set(OSV_APP_CMDLINE "${cmdline}")
    file(READ "${_OSV_SPECIALIZE_ROOT}/templates/app.manifest.in" template)
    string(CONFIGURE "${template}" manifest_text @ONLY)
    set(manifest "${dir}/${name}.manifest")
    file(GENERATE OUTPUT "${manifest}" CONTENT "${manifest_text}")
    set(arg_MANIFESTS "${manifest}")
    _osv_resolve_kernel(kernel add_osv_app "${name}" "${arg_KERNEL}")
    get_target_property(kit "${kernel}" OSV_KIT_FILE)
    file(MAKE_DIRECTORY "${dir}")

    # The shared libraries the program needs besides glibc (the kernel), found by reading DT_NEEDED
    # the way ld.so would, at build time: a rebuilt app that needs another library gets it.
    if(NOT arg_NO_CLOSURE)
        set(libs "${dir}/${name}.libs.manifest")
        set(search)
        foreach(folder IN LISTS arg_LIBRARY_PATH)
            _osv_absolute(folder "${folder}")
            list(APPEND search --library-path "${folder}")
        endforeach()
        add_custom_command(
            OUTPUT "${libs}"
            BYPRODUCTS "${dir}/${name}.libs.yaml"
            COMMAND OSvSpecialize::osv-symbols closure --manifest "${manifest}" ${search}
                    --report "${dir}/${name}.libs.yaml" --depfile "${libs}.d" -o "${libs}"
            DEPENDS "${manifest}" ${arg_TARGETS} OSvSpecialize::osv-symbols
            DEPFILE "${libs}.d"
            COMMENT "osv-symbols: shared libraries of ${name}"
            VERBATIM)
        list(APPEND arg_MANIFESTS "${libs}")
    endif()

    # The image: a rofs disk beside kernel.elf, or the files built into kernel.elf (ramfs).
    set(manifest_options)
    foreach(file IN LISTS arg_MANIFESTS)
        list(APPEND manifest_options --manifest "${file}")
    endforeach()
    set(_osv_relink_options)
    set(_osv_relink_depends)
    set(_osv_target_depends)
    set(image_file "")
    if(arg_IMAGE STREQUAL "rofs")
        set(image_file "${dir}/${name}.img")
        set(image_output "${image_file}")
        set(_osv_target_depends "${image_file}")
    elseif(arg_IMAGE STREQUAL "ramfs")
        set(image_output "${dir}/${name}.bootfs")
        set(_osv_relink_options --bootfs "${image_output}")
        set(_osv_relink_depends "${image_output}")
    endif()
    if(NOT arg_IMAGE STREQUAL "none")
        string(REPLACE "ramfs" "bootfs" format "${arg_IMAGE}")
        add_custom_command(
            OUTPUT "${image_output}"
            COMMAND OSvSpecialize::osv-symbols image ${format} --kit "${kit}" ${manifest_options}
                    --depfile "${image_output}.d" -o "${image_output}"
            DEPENDS ${arg_MANIFESTS} ${arg_TARGETS} "${kit}" "${kernel}" OSvSpecialize::osv-symbols
            DEPFILE "${image_output}.d"
            COMMENT "osv-symbols: ${arg_IMAGE} image of ${name}"
            VERBATIM)
    endif()

    _osv_specialize(add_osv_app "${name}" "${target}" "${dir}" "${name}")
    if(NOT DEFINED arg_MEMORY)
        set(arg_MEMORY 512M)
    endif()
    if(NOT DEFINED arg_CPUS)
        set(arg_CPUS 1)
    endif()
    set(rootfs "${arg_IMAGE}")
    if(rootfs STREQUAL "none")
        set(rootfs "rofs")
    endif()
    set_target_properties("${target}" PROPERTIES
        OSV_MANIFEST "${manifest}" OSV_CMDLINE "${cmdline}" OSV_IMAGE "${image_file}" OSV_ROOTFS "${rootfs}"
        OSV_MEMORY "${arg_MEMORY}" OSV_CPUS "${arg_CPUS}" OSV_PORTS "${arg_PORTS}")

    # run-<name>: boots the app under QEMU with the console on the terminal, for RUN_TIMEOUT seconds
    # at most (default 0: until the app ends or the user quits QEMU).
    _osv_run_command(run "${target}" --timeout "${arg_RUN_TIMEOUT}")
    add_custom_target("run-${name}" COMMAND ${run} DEPENDS "${target}" USES_TERMINAL VERBATIM
                      COMMENT "Booting ${name} on its specialized OSv kernel (QEMU; Ctrl-A X quits)")
endfunction()

# The osv-run.sh command line that boots the app of `target`, with `extra` options before "--".
function(_osv_run_command out target)
    get_target_property(kernel_file "${target}" OSV_KERNEL_FILE)
    get_target_property(image "${target}" OSV_IMAGE)
    get_target_property(rootfs "${target}" OSV_ROOTFS)
    get_target_property(cmdline "${target}" OSV_CMDLINE)
    get_target_property(memory "${target}" OSV_MEMORY)
    get_target_property(cpus "${target}" OSV_CPUS)
    get_target_property(ports "${target}" OSV_PORTS)
    set(command bash "${_OSV_SPECIALIZE_ROOT}/scripts/osv-run.sh" --kernel "${kernel_file}" --memory "${memory}"
                --cpus "${cpus}")
    if(image)
        list(APPEND command --disk "${image}")
    endif()
    foreach(port IN LISTS ports)
        list(APPEND command --port "${port}")
    endforeach()
    list(APPEND command ${ARGN} -- "--rootfs=${rootfs}" "${cmdline}")
    set(${out} "${command}" PARENT_SCOPE)
endfunction()

function(osv_add_test name)
    list(APPEND CMAKE_MESSAGE_CONTEXT "osv_add_test")
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "EXPECT_OUTPUT;TIMEOUT;NAME" "CLIENT")
    _osv_reject_leftovers(osv_add_test "${name}")
    if(NOT TARGET "${name}-osv")
        message(FATAL_ERROR "osv_add_test(${name}): no app named '${name}'; call add_osv_app(${name} ...) first.")
    endif()
    if(NOT DEFINED arg_EXPECT_OUTPUT AND NOT DEFINED arg_CLIENT)
        message(FATAL_ERROR "osv_add_test(${name}): give EXPECT_OUTPUT <regex>, CLIENT <command>..., or both; "
                            "otherwise the test would prove nothing.")
    endif()
    if(NOT DEFINED arg_TIMEOUT)
        set(arg_TIMEOUT 120)
    endif()
    if(NOT arg_TIMEOUT MATCHES "^[1-9][0-9]*$")
        message(FATAL_ERROR "osv_add_test(${name}): TIMEOUT must be a positive number of seconds, got '${arg_TIMEOUT}'.")
    endif()
    if(NOT DEFINED arg_NAME)
        set(arg_NAME "${name}_on_osv")
    endif()
    set(checks --timeout "${arg_TIMEOUT}")
    if(DEFINED arg_EXPECT_OUTPUT)
        list(APPEND checks --expect "${arg_EXPECT_OUTPUT}")
    endif()
    if(DEFINED arg_CLIENT)
        list(JOIN arg_CLIENT " " client)
        list(APPEND checks --client "${client}")
    endif()
    _osv_run_command(command "${name}-osv" ${checks})
    add_test(NAME "${arg_NAME}" COMMAND ${command})
    # The script bounds the VM itself; ctest's bound is a backstop a little later.
    math(EXPR backstop "${arg_TIMEOUT} + 30")
    set_tests_properties("${arg_NAME}" PROPERTIES TIMEOUT "${backstop}" LABELS osv)
endfunction()
