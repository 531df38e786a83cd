# getmesh_embed_file(<target> <input> <symbol>): compiles <input> into <target> as
# `extern const std::string_view <symbol>;` (namespace getmesh::embedded).
set(GETMESH_EMBED_SCRIPT "${CMAKE_CURRENT_LIST_DIR}/embed_file_script.cmake")

function(getmesh_embed_file target input symbol)
  set(output "${CMAKE_CURRENT_BINARY_DIR}/embedded/${symbol}.cpp")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P "${GETMESH_EMBED_SCRIPT}"
    DEPENDS "${input}" "${GETMESH_EMBED_SCRIPT}"
    COMMENT "Embedding ${input}"
    VERBATIM)
  target_sources(${target} PRIVATE "${output}")
endfunction()
