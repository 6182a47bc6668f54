# Package config of osv-specialize: one file for all three ways in.
#   add_subdirectory(osv-specialize) / FetchContent: the project's CMakeLists includes this file
#     after building the helper, so OSvSpecialize::osv-symbols is the target built there.
#   find_package(OSvSpecialize CONFIG): the installed helper becomes an imported executable.
# Either way the functions of OSvSpecialize.cmake are then available.
include_guard(GLOBAL)

if(NOT TARGET OSvSpecialize::osv-symbols)
    # Installed layout: <prefix>/share/OSvSpecialize/cmake/ (this file) and <prefix>/bin/osv-symbols.
    get_filename_component(_osv_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
    if(NOT EXISTS "${_osv_prefix}/bin/osv-symbols")
        set(OSvSpecialize_FOUND FALSE)
        set(OSvSpecialize_NOT_FOUND_MESSAGE
            "OSvSpecialize: ${_osv_prefix}/bin/osv-symbols is missing; reinstall osv-specialize (cmake --install).")
        return()
    endif()
    add_executable(OSvSpecialize::osv-symbols IMPORTED GLOBAL)
    set_target_properties(OSvSpecialize::osv-symbols PROPERTIES IMPORTED_LOCATION "${_osv_prefix}/bin/osv-symbols")
    unset(_osv_prefix)
endif()

include("${CMAKE_CURRENT_LIST_DIR}/OSvSpecialize.cmake")
