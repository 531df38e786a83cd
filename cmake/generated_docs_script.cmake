# Runs GETMESH to write OUTPUT_DIR/man1/*.1.gz (compressed with GZIP -9n: no name, no time, so the
# bytes depend only on the page) and OUTPUT_DIR/completions/{getmesh,_getmesh,getmesh.fish}.
file(REMOVE_RECURSE "${OUTPUT_DIR}")
file(MAKE_DIRECTORY "${OUTPUT_DIR}/completions")

execute_process(COMMAND "${GETMESH}" help --man-dir "${OUTPUT_DIR}/man1"
                RESULT_VARIABLE failed ERROR_VARIABLE errors)
if(failed)
  message(FATAL_ERROR "getmesh help --man-dir failed (${failed}): ${errors}")
endif()
file(GLOB pages "${OUTPUT_DIR}/man1/*.1")
foreach(page IN LISTS pages)
  execute_process(COMMAND "${GZIP}" -9 -n -f "${page}" RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "gzip ${page} failed")
  endif()
endforeach()

foreach(shell_and_file IN ITEMS "bash;getmesh" "zsh;_getmesh" "fish;getmesh.fish")
  list(GET shell_and_file 0 shell)
  list(GET shell_and_file 1 name)
  execute_process(COMMAND "${GETMESH}" completion ${shell}
                  OUTPUT_FILE "${OUTPUT_DIR}/completions/${name}"
                  RESULT_VARIABLE failed ERROR_VARIABLE errors)
  if(failed)
    message(FATAL_ERROR "getmesh completion ${shell} failed (${failed}): ${errors}")
  endif()
endforeach()
file(TOUCH "${OUTPUT_DIR}/.generated")
