# GETMESH_SANITIZE=ON builds everything with ASan + UBSan; any report aborts the process.
if(GETMESH_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # The sanitizer runtimes need the shared libstdc++.
  set(GETMESH_STATIC_DEPS OFF CACHE BOOL "" FORCE)
endif()
