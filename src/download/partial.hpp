#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/store/home.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace getmesh::download {

// What identifies the bytes of an interrupted download, so a later run can ask for the rest with
// Range + If-Range.
struct PartialMeta {
  std::string url;
  std::string etag;
  std::string last_modified;
};

inline constexpr const char* kPartialSuffix = ".tar.gz.partial";

// An interrupted download kept in <home>/downloads: <name>.tar.gz.partial holds the bytes received
// so far, <name>.tar.gz.partial.json their PartialMeta. Callers hold the per-version lock.
struct PartialFiles {
  std::filesystem::path data;
  std::filesystem::path meta;

  static PartialFiles of(const store::Home& home, const DistributionName& name);

  // The stored meta, or nullopt when it is missing or unreadable (the bytes are then useless).
  [[nodiscard]] std::optional<PartialMeta> read_meta() const;
  [[nodiscard]] Status write_meta(const PartialMeta& meta) const;
  // Deletes both files; missing files are fine.
  void remove() const;
};

}  // namespace getmesh::download
