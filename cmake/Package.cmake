# `make package` / `cmake --build build --target package`: getmesh_<version>_<arch>.deb with CPack,
# holding exactly what `cmake --install` installs under /usr, plus Debian's copyright,
# changelog.gz and one lintian override (docs/packaging.md). Reproducible when SOURCE_DATE_EPOCH
# is set.
set(GETMESH_PACKAGE_MAINTAINER "getmesh maintainers <getmesh@example.org>"
    CACHE STRING "Maintainer field of the Debian package")

# libcurl is opened with dlopen (src/net/curl_library.cpp), so dpkg-shlibdeps cannot see it: depend
# on the package that ships the libcurl.so.4 we build against (libcurl4, libcurl4t64 on newer
# Debian), at least the version whose functions getmesh resolves.
set(GETMESH_CURL_PACKAGE "libcurl4")
find_program(GETMESH_DPKG_QUERY dpkg-query)
find_file(GETMESH_CURL_SONAME libcurl.so.4 PATHS ${CMAKE_C_IMPLICIT_LINK_DIRECTORIES}
          ${CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES} NO_CACHE)
if(GETMESH_DPKG_QUERY AND GETMESH_CURL_SONAME)
  file(REAL_PATH "${GETMESH_CURL_SONAME}" _curl_file)
  execute_process(COMMAND "${GETMESH_DPKG_QUERY}" -S "${_curl_file}"
                  OUTPUT_VARIABLE _curl_owner RESULT_VARIABLE _failed ERROR_QUIET)
  if(NOT _failed AND _curl_owner MATCHES "^([a-z0-9.+-]+)(:[a-z0-9-]+)?: ")
    set(GETMESH_CURL_PACKAGE "${CMAKE_MATCH_1}")
  endif()
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "getmesh")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES TRUE)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fetch, verify and run vetted istioctl versions")
# The extended description; CPack puts the summary above it and indents it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "getmesh keeps several istioctl versions side by side, downloads them from a
manifest of vetted Istio distributions (upstream istio, Tetrate's tetrate and
FIPS tetratefips flavours), verifies their checksums and runs the active one.
It also reads what runs in a Kubernetes cluster and says what needs
upgrading, checks Istio configuration, creates Istio's intermediate CA, and
builds mirrors for air-gapped sites.")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")  # getmesh_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GETMESH_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # libc6 from the binary's own NEEDED entries
# ca-certificates: every default download is HTTPS with verification on.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${GETMESH_CURL_PACKAGE} (>= 7.68.0), ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
set(CPACK_DEBIAN_COMPRESSION_TYPE "gzip")
# Only CPACK_* variables reach the pre-build script.
set(CPACK_GETMESH_DEBIAN_DIR "${CMAKE_CURRENT_LIST_DIR}/debian")
set(CPACK_GETMESH_GZIP "${GETMESH_GZIP}")
set(CPACK_PRE_BUILD_SCRIPTS "${CMAKE_CURRENT_LIST_DIR}/debian_files_script.cmake")
include(CPack)
