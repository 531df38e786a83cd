# Every dependency comes from a Debian package through find_package; nothing is downloaded.
#
# Start-up cost matters (getmesh istioctl must add under 2 ms), so:
# - libstdc++, yaml-cpp, libarchive (+zlib) and libcrypto are linked statically when GETMESH_STATIC_DEPS is on;
# - spdlog and fmt are used header-only;
# - libcurl is not linked at all: its headers are used, and libcurl.so.4 is opened with dlopen the first
#   time a command touches the network (src/net/curl_library.cpp).
# Homebrew keeps OpenSSL, curl and libarchive "keg-only": installed in <prefix>/opt/<formula> and
# not linked into <prefix>/include and <prefix>/lib, so that they do not shadow macOS's own. Their
# kegs are searched first; the other formulae are found through the prefix, which CMake derives
# from <prefix>/bin on PATH (docs/macos.md).
if(APPLE)
  find_program(GETMESH_BREW brew)
  if(GETMESH_BREW)
    get_filename_component(_getmesh_brew_prefix "${GETMESH_BREW}" DIRECTORY)
    get_filename_component(_getmesh_brew_prefix "${_getmesh_brew_prefix}" DIRECTORY)
    foreach(_getmesh_keg openssl@3 curl libarchive)
      if(EXISTS "${_getmesh_brew_prefix}/opt/${_getmesh_keg}")
        list(PREPEND CMAKE_PREFIX_PATH "${_getmesh_brew_prefix}/opt/${_getmesh_keg}")
      endif()
    endforeach()
    list(APPEND CMAKE_PREFIX_PATH "${_getmesh_brew_prefix}")
  endif()
endif()

find_package(Threads REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(CURL REQUIRED)
find_package(LibArchive REQUIRED)
find_package(ZLIB REQUIRED)
if(GETMESH_STATIC_DEPS)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
endif()
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)

# Header-only logging: spdlog's imported target would otherwise pull in the shared libfmt.
add_library(getmesh_logging INTERFACE)
target_compile_definitions(getmesh_logging INTERFACE SPDLOG_HEADER_ONLY SPDLOG_FMT_EXTERNAL FMT_HEADER_ONLY)
target_include_directories(getmesh_logging SYSTEM INTERFACE
  $<TARGET_PROPERTY:spdlog::spdlog_header_only,INTERFACE_INCLUDE_DIRECTORIES>
  $<TARGET_PROPERTY:fmt::fmt-header-only,INTERFACE_INCLUDE_DIRECTORIES>)
target_link_libraries(getmesh_logging INTERFACE Threads::Threads)

# curl headers only (see above).
add_library(getmesh_curl_headers INTERFACE)
target_include_directories(getmesh_curl_headers SYSTEM INTERFACE ${CURL_INCLUDE_DIRS})
target_link_libraries(getmesh_curl_headers INTERFACE ${CMAKE_DL_LIBS})

# Prefer the static archives Debian ships next to the shared libraries.
function(getmesh_static_or_shared out_var static_name fallback)
  if(GETMESH_STATIC_DEPS)
    find_library(_lib_${static_name} NAMES ${static_name} NO_CACHE)
    if(_lib_${static_name})
      set(${out_var} ${_lib_${static_name}} PARENT_SCOPE)
      return()
    endif()
  endif()
  set(${out_var} ${fallback} PARENT_SCOPE)
endfunction()

# yaml-cpp 0.8 (Homebrew) names its target yaml-cpp::yaml-cpp; 0.7 (Debian 12) names it yaml-cpp.
if(TARGET yaml-cpp::yaml-cpp)
  set(GETMESH_YAML_TARGET yaml-cpp::yaml-cpp)
else()
  set(GETMESH_YAML_TARGET yaml-cpp)
endif()
getmesh_static_or_shared(GETMESH_YAML_LIB libyaml-cpp.a ${GETMESH_YAML_TARGET})
getmesh_static_or_shared(GETMESH_ARCHIVE_LIB libarchive.a LibArchive::LibArchive)
getmesh_static_or_shared(GETMESH_ZLIB_LIB libz.a ZLIB::ZLIB)
# RE2: config-validate checks regexes with the engine Envoy uses. Debian's has no CMake package;
# Homebrew's does (re2::re2, which brings the Abseil libraries newer RE2 needs).
find_package(re2 CONFIG QUIET)
if(TARGET re2::re2)
  set(GETMESH_RE2_INCLUDE $<TARGET_PROPERTY:re2::re2,INTERFACE_INCLUDE_DIRECTORIES>)
  set(GETMESH_RE2_LIB re2::re2)
else()
  find_path(GETMESH_RE2_INCLUDE re2/re2.h REQUIRED)
  getmesh_static_or_shared(GETMESH_RE2_LIB libre2.a re2)
endif()

add_library(getmesh_yaml INTERFACE)
target_include_directories(getmesh_yaml SYSTEM INTERFACE
  $<TARGET_PROPERTY:${GETMESH_YAML_TARGET},INTERFACE_INCLUDE_DIRECTORIES>)
target_link_libraries(getmesh_yaml INTERFACE ${GETMESH_YAML_LIB})

add_library(getmesh_re2 INTERFACE)
target_include_directories(getmesh_re2 SYSTEM INTERFACE ${GETMESH_RE2_INCLUDE})
target_link_libraries(getmesh_re2 INTERFACE ${GETMESH_RE2_LIB} Threads::Threads)

add_library(getmesh_archive INTERFACE)
target_include_directories(getmesh_archive SYSTEM INTERFACE ${LibArchive_INCLUDE_DIRS})
target_link_libraries(getmesh_archive INTERFACE ${GETMESH_ARCHIVE_LIB} ${GETMESH_ZLIB_LIB})

# GCC's runtime; macOS's libc++ is part of the system.
if(GETMESH_STATIC_DEPS AND NOT APPLE)
  add_link_options(-static-libstdc++ -static-libgcc)
endif()
