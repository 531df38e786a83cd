#include "mirror/charts.hpp"
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

// What is wrong with chart archive `file`: its bytes against index.yaml's digest.
std::vector<std::string> check_chart(const fs::path& directory, const std::string& file,
                                     const std::string& digest) {
  std::error_code error;
  if (file.empty()) return {"index.yaml gives no URL"};
  if (!fs::is_regular_file(directory / file, error)) return {"missing"};
  if (digest.empty()) return {"index.yaml gives no digest"};
  auto actual = download::sha256_of_file(directory / file);
  if (!actual) return {actual.error().message};
  if (*actual != digest) return {"sha256 is " + *actual + ", index.yaml says " + digest};
  return {};
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
  auto chart_index = read_mirror_chart_index(directory);
  if (!chart_index) return chart_index.error();
  std::map<std::string, std::string> charts;  // file -> digest in index.yaml
  for (const auto& entry : chart_index->value_or(std::vector<helm::ChartEntry>{})) {
    charts[entry.urls.empty() ? std::string() : file_of_url(entry.urls.front())] = entry.digest;
  }
  std::vector<ArchiveCheck> checks;
  for (const auto& [file, sha256] : listed) {
    checks.push_back({file, check_archive(directory, file, sha256)});
  }
  for (const auto& [file, digest] : charts) {
    checks.push_back(
        {file.empty() ? "(a chart without URL)" : file, check_chart(directory, file, digest)});
  }
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with(".tar.gz") && !listed.contains(name)) {
      checks.push_back({name, {"not listed in manifest.json"}});
    }
    if (entry.is_regular_file() && name.ends_with(".tgz") && !charts.contains(name)) {
      checks.push_back({name, {"not listed in index.yaml"}});
    }
  }
  if (error) return runtime_error("cannot list " + directory.string() + ": " + error.message());
  return checks;
}

}  // namespace getmesh::mirror
