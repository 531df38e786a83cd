# `cmake --install` (and `make install PREFIX=…`, DESTDIR honoured): the binary, the generated man
# pages and completions in the paths shells and man look in, and the documentation
# (docs/packaging.md lists every file).
include(GNUInstallDirs)  # CMAKE_INSTALL_DOCDIR is share/doc/getmesh

install(TARGETS getmesh RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
if(GETMESH_GENERATED_DOCS)
  install(DIRECTORY "${GETMESH_GENERATED_DOCS_DIR}/man1/"
          DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" FILES_MATCHING PATTERN "*.1.gz")
  install(FILES "${GETMESH_GENERATED_DOCS_DIR}/completions/getmesh"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/bash-completion/completions")
  install(FILES "${GETMESH_GENERATED_DOCS_DIR}/completions/_getmesh"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions")
  install(FILES "${GETMESH_GENERATED_DOCS_DIR}/completions/getmesh.fish"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d")
endif()
install(FILES "${PROJECT_SOURCE_DIR}/README.md" "${PROJECT_SOURCE_DIR}/LICENSE"
        DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs"
        FILES_MATCHING PATTERN "*.md")
