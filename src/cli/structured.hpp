#pragma once

#include <getmesh/core/result.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace getmesh::cli {

enum class Format { kTable, kJson, kYaml };

// Parses the -o/--output value: table (or empty), json or yaml.
Result<Format> parse_format(const std::string& text);

// JSON (pretty, one trailing newline) or YAML rendering of a document.
std::string render_structured(const nlohmann::ordered_json& document, Format format);

}  // namespace getmesh::cli
