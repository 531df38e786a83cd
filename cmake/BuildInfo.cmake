# getmesh_build_info(<target>): compiles what `getmesh --version` reports into <target>
# (include/getmesh/core/build_info.hpp): the project version (set once, in project() in the top
# CMakeLists.txt), the git commit when built from a checkout, and the release date the man pages
# carry. The script runs at every build and rewrites the source only when one of them changed, so
# a new commit costs one small compile and a link.
set(GETMESH_BUILD_INFO_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/build_info_script.cmake")
set(GETMESH_BUILD_INFO_TEMPLATE "${CMAKE_CURRENT_LIST_DIR}/build_info.cpp.in")
find_package(Git QUIET)

function(getmesh_build_info target)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/generated/build_info.cpp")
  add_custom_target(${target}_build_info
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DTEMPLATE=${GETMESH_BUILD_INFO_TEMPLATE}
            -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DVERSION=${PROJECT_VERSION}
            -DGIT=${GIT_EXECUTABLE} -P "${GETMESH_BUILD_INFO_SCRIPT}"
    BYPRODUCTS "${output}"
    COMMENT "Reading the version and git commit"
    VERBATIM)
  add_dependencies(${target} ${target}_build_info)
  target_sources(${target} PRIVATE "${output}")
  # Compiled alone, so a new commit recompiles this file only, not a unity batch.
  set_source_files_properties("${output}" PROPERTIES SKIP_UNITY_BUILD_INCLUDE ON)
endfunction()
