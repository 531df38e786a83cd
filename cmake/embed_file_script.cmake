# Writes OUTPUT, a C++ file defining getmesh::embedded::SYMBOL as the bytes of INPUT.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; do not edit.\n#include <string_view>\n\n"
  "namespace getmesh::embedded {\nnamespace {\nconstexpr char kBytes[] = {${bytes} '\\0'};\n}\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL}(kBytes, sizeof(kBytes) - 1);\n}  // namespace getmesh::embedded\n")
