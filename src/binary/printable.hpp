#pragma once

#include <string>
#include <string_view>

namespace getmesh::binary {

// Printable ASCII only (anything else becomes '?'): what a hostile binary holds must not reach a
// terminal as escape sequences, nor JSON output as invalid UTF-8.
inline std::string printable(std::string_view text) {
  std::string clean(text);
  for (auto& c : clean) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  return clean;
}

}  // namespace getmesh::binary
