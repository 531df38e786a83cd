#pragma once

#include <string_view>

namespace getmesh::log {

// Diagnostics for --verbose (spdlog, to stderr). Never used for a command's output or its errors.
void enable_verbose();
[[nodiscard]] bool verbose();
void debug(std::string_view message);

}  // namespace getmesh::log
