# CPack pre-build script: adds what Debian requires of every package to the staged tree:
# usr/share/doc/getmesh/copyright and changelog.gz (one entry for this version, dated
# SOURCE_DATE_EPOCH when set, so the package is reproducible), and the lintian override for the
# statically linked zlib (docs/packaging.md).
set(share "${CPACK_TEMPORARY_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}/share")
set(doc "${share}/doc/getmesh")
file(COPY_FILE "${CPACK_GETMESH_DEBIAN_DIR}/copyright" "${doc}/copyright")
file(MAKE_DIRECTORY "${share}/lintian/overrides")
file(COPY_FILE "${CPACK_GETMESH_DEBIAN_DIR}/lintian-overrides" "${share}/lintian/overrides/getmesh")
string(TIMESTAMP date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE "${doc}/changelog"
     "getmesh (${CPACK_PACKAGE_VERSION}) unstable; urgency=medium\n\n"
     "  * getmesh ${CPACK_PACKAGE_VERSION}; see README.md for what it does.\n\n"
     " -- ${CPACK_DEBIAN_PACKAGE_MAINTAINER}  ${date}\n")
execute_process(COMMAND "${CPACK_GETMESH_GZIP}" -9 -n -f "${doc}/changelog" RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "gzip ${doc}/changelog failed")
endif()
