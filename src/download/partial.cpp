#include "download/partial.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/download/limits.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::download {

PartialFiles PartialFiles::of(const store::Home& home, const DistributionName& name) {
  const auto base = home.downloads_dir() / (name.to_string() + kPartialSuffix);
  return {base, base.string() + ".json"};
}

std::optional<PartialMeta> PartialFiles::read_meta() const {
  auto text = read_regular_file(meta, kMaxPartialMetaBytes);
  if (!text) return std::nullopt;
  const auto document = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object() || !document.contains("url") || !document["url"].is_string()) {
    return std::nullopt;
  }
  return PartialMeta{document.value("url", ""), document.value("etag", ""),
                     document.value("last_modified", "")};
}

Status PartialFiles::write_meta(const PartialMeta& value) const {
  if (auto created = ensure_directory(meta.parent_path()); !created) return created;
  const nlohmann::json document = {
      {"url", value.url}, {"etag", value.etag}, {"last_modified", value.last_modified}};
  return write_file_atomic(meta, document.dump(2) + "\n");
}

void PartialFiles::remove() const {
  std::error_code ignored;
  std::filesystem::remove(data, ignored);
  std::filesystem::remove(meta, ignored);
}

}  // namespace getmesh::download
