# getmesh_warnings: the warning set every target of ours builds with.
add_library(getmesh_warnings INTERFACE)
target_compile_options(getmesh_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Woverloaded-virtual -Wformat=2 -Wimplicit-fallthrough)
if(GETMESH_WERROR)
  target_compile_options(getmesh_warnings INTERFACE -Werror)
endif()
