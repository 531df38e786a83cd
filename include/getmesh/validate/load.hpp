#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/validate/resource.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::validate {

// Something in the input that could not be used: the file, the line (0 when not known) and why.
struct InputProblem {
  std::string file;
  int line = 0;
  std::string message;
  [[nodiscard]] std::string to_string() const;
};

// What the files held: the objects of known kinds, the problems, and what was skipped.
struct Loaded {
  std::vector<Resource> resources;
  std::vector<InputProblem> problems;
  // Notes for the user, e.g. objects that were given the default namespace.
  std::vector<std::string> notes;
  // "apiVersion Kind" of objects of kinds config-validate does not check → how many were skipped.
  std::map<std::string, int> skipped;
  std::vector<std::string> files;  // every file read, in reading order
};

struct LoadOptions {
  // The namespace of objects that name none (`-n`, else "default").
  std::string default_namespace = "default";
  // Reads standard input for the path "-": at most kMaxFileBytes + 1 bytes.
  std::function<Result<std::string>()> read_stdin;
};

// Limits that keep hostile input from exhausting memory or the stack.
inline constexpr std::size_t kMaxFileBytes = 64U * 1024U * 1024U;
inline constexpr int kMaxNesting = 100;

// Reads YAML files, folders (every .yaml and .yml below them, in sorted order) and "-" (stdin),
// each up to kMaxFileBytes.
// Never fails as a whole: each unreadable path, unparsable document or malformed object becomes a
// problem and the rest is still loaded.
Loaded load_paths(const std::vector<std::string>& paths, const LoadOptions& options);

// Adds the objects in `text` (one or more YAML documents) to `loaded`, `file` naming their origin.
void load_text(std::string_view text, const std::string& file, const LoadOptions& options,
               Loaded& loaded);

}  // namespace getmesh::validate
