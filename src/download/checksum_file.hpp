#pragma once

#include <getmesh/core/result.hpp>

#include <string>
#include <string_view>

namespace getmesh::download {

// The SHA-256 a `.sha256` file gives for `archive_name`, as lower-case hex. Accepts sha256sum
// output (`<hex>  <file>`, `<hex> *<file>`) and a bare `<hex>` line; with a single entry its file
// name is not checked (mirrors rename archives). Anything else, such as an HTML error page, is an
// error naming `source`.
Result<std::string> parse_checksum_file(std::string_view text, std::string_view archive_name,
                                        const std::string& source);

}  // namespace getmesh::download
