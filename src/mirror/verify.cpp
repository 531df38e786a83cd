#include "mirror/layout.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/mirror/mirror.hpp>

#include <map>
#include <set>

namespace getmesh::mirror {

namespace {

namespace fs = std::filesystem;

// What is wrong with `file` (empty when nothing): its bytes against manifest.json's sha256, its
// .sha256 file against the same.
std::vector<std::string> check_archive(const fs::path& directory, const std::string& file,
                                       const std::string& expected) {
  std::vector<std::string> problems;
  std::error_code error;
  if (!fs::is_regular_file(directory / file, error)) return {"missing"};
  if (expected.empty()) problems.push_back("manifest.json gives no sha256");
  auto actual = download::sha256_of_file(directory / file);
  if (!actual) return {actual.error().message};
  if (!expected.empty() && *actual != expected) {
    problems.push_back("sha256 is " + *actual + ", manifest.json says " + expected);
  }
  const auto checksum_path = directory / (file + ".sha256");
  auto listed = download::read_checksum_file(checksum_path, file);
  if (!fs::exists(checksum_path, error)) {
    problems.push_back(file + ".sha256 is missing");
  } else if (!listed) {
    problems.push_back(listed.error().message);
  } else if (*listed != *actual) {
    problems.push_back(file + ".sha256 says " + *listed);
  }
  return problems;
}

}  // namespace

Result<std::vector<ArchiveCheck>> verify(const fs::path& directory) {
  auto contents = read_mirror_manifest(directory);
  if (!contents) return contents.error();
  if (!*contents) {
    return runtime_error(directory.string() + " is not a mirror: it has no manifest.json",
                         "create one with \"getmesh mirror create " + directory.string() + "\"");
  }

  std::map<std::string, std::string> listed;  // file -> sha256 in manifest.json
  for (const auto& distribution : (*contents)->distributions) {
    for (const auto& [platform, download] : distribution.downloads) {
      listed[file_of_url(download.url)] = download.sha256;
    }
  }
  std::vector<ArchiveCheck> checks;
  for (const auto& [file, sha256] : listed) {
    checks.push_back({file, check_archive(directory, file, sha256)});
  }
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with(".tar.gz") && !listed.contains(name)) {
      checks.push_back({name, {"not listed in manifest.json"}});
    }
  }
  if (error) return runtime_error("cannot list " + directory.string() + ": " + error.message());
  return checks;
}

}  // namespace getmesh::mirror
