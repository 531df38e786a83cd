# Writes OUTPUT from TEMPLATE with VERSION, the git commit of SOURCE_DIR (with "-dirty" when tracked
# files differ from it; empty outside a checkout or without GIT) and the release date: the day of
# SOURCE_DATE_EPOCH when it is set (reproducible builds), else the commit's day (UTC), else empty.
set(GETMESH_COMMIT "")
set(GETMESH_DATE "")
if(GIT AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE failed ERROR_QUIET)
  if(NOT failed AND commit)
    set(GETMESH_COMMIT "${commit}")
    execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE changes RESULT_VARIABLE failed ERROR_QUIET)
    if(NOT failed AND changes)
      string(APPEND GETMESH_COMMIT "-dirty")
    endif()
    execute_process(COMMAND "${GIT}" -C "${SOURCE_DIR}" log -1 --format=%ct HEAD
                    OUTPUT_VARIABLE commit_time OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE failed ERROR_QUIET)
  endif()
endif()
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  string(TIMESTAMP GETMESH_DATE "%Y-%m-%d" UTC)  # CMake reads SOURCE_DATE_EPOCH itself
elseif(commit_time MATCHES "^[0-9]+$")
  set(ENV{SOURCE_DATE_EPOCH} "${commit_time}")
  string(TIMESTAMP GETMESH_DATE "%Y-%m-%d" UTC)
endif()
set(GETMESH_VERSION "${VERSION}")
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
