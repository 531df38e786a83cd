#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/validate/node.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace getmesh::validate {

// One YAML document of a stream and the 1-based line it starts on.
struct DocumentText {
  std::string_view text;
  int first_line = 1;
};

// Splits a YAML stream at its `---` document markers (a marker at the start of a line always starts
// a new document, so one broken document does not hide the others).
std::vector<DocumentText> split_documents(std::string_view stream);

// Parses one document (or, after a "..." end marker, several) into Nodes with file line numbers.
// Errors say what is wrong (YAML syntax, nesting deeper than kMaxNesting, aliases expanding beyond
// the input's size) and set `error_line`.
Result<std::vector<Node>> parse_document(const DocumentText& document, int& error_line);

}  // namespace getmesh::validate
