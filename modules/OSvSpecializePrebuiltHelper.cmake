# OSvSpecialize::osv-symbols from a prebuilt helper (-DOSV_SYMBOLS_EXECUTABLE=<path>), checked at
# configure time so that a wrong path or another version fails here, in one line, rather than in
# the middle of a build.
include_guard(GLOBAL)

function(osv_use_prebuilt_helper executable expected_version)
    if(NOT IS_ABSOLUTE "${executable}" OR IS_DIRECTORY "${executable}" OR NOT EXISTS "${executable}")
        message(FATAL_ERROR "OSvSpecialize: OSV_SYMBOLS_EXECUTABLE '${executable}' is not an existing file; "
                            "give the absolute path of a built osv-symbols, or leave it empty to build the helper.")
    endif()
    execute_process(COMMAND "${executable}" --version
                    OUTPUT_VARIABLE version_line ERROR_QUIET RESULT_VARIABLE status OUTPUT_STRIP_TRAILING_WHITESPACE)
    string(REGEX MATCH "^[^\n]*" version_line "${version_line}")  # one line of it in the message
    if(NOT status EQUAL 0 OR NOT version_line MATCHES "^osv-symbols ([0-9.]+)$")
        message(FATAL_ERROR "OSvSpecialize: OSV_SYMBOLS_EXECUTABLE '${executable}' does not run as osv-symbols "
                            "(--version printed '${version_line}'); give the path of a built osv-symbols.")
    endif()
    if(NOT CMAKE_MATCH_1 VERSION_EQUAL expected_version)
        message(FATAL_ERROR "OSvSpecialize: OSV_SYMBOLS_EXECUTABLE '${executable}' is osv-symbols ${CMAKE_MATCH_1}, "
                            "but this osv-specialize is ${expected_version}; build the helper of this version.")
    endif()
    add_executable(OSvSpecialize::osv-symbols IMPORTED GLOBAL)
    set_target_properties(OSvSpecialize::osv-symbols PROPERTIES IMPORTED_LOCATION "${executable}")
endfunction()
