# Man pages and shell completions, generated after every link by the built getmesh from its own
# command tree (`getmesh help --man-dir`, `getmesh completion SHELL`), so they cannot drift from the
# binary. Output: ${GETMESH_GENERATED_DOCS_DIR}/man1/*.1.gz and completions/. Not generated when
# cross-compiling (the binary cannot run on the build machine).
set(GETMESH_GENERATED_DOCS_DIR "${PROJECT_BINARY_DIR}/generated-docs")
find_program(GETMESH_GZIP gzip REQUIRED)
if(CMAKE_CROSSCOMPILING)
  set(GETMESH_GENERATED_DOCS OFF)
  return()
endif()
set(GETMESH_GENERATED_DOCS ON)
set(_stamp "${GETMESH_GENERATED_DOCS_DIR}/.generated")
add_custom_command(
  OUTPUT "${_stamp}"
  COMMAND ${CMAKE_COMMAND} -DGETMESH=$<TARGET_FILE:getmesh> -DOUTPUT_DIR=${GETMESH_GENERATED_DOCS_DIR}
          -DGZIP=${GETMESH_GZIP} -P "${CMAKE_CURRENT_LIST_DIR}/generated_docs_script.cmake"
  DEPENDS getmesh "${CMAKE_CURRENT_LIST_DIR}/generated_docs_script.cmake"
  COMMENT "Generating the man pages and shell completions"
  VERBATIM)
add_custom_target(getmesh_docs ALL DEPENDS "${_stamp}")
