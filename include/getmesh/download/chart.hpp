#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/helm/chart_index.hpp>
#include <getmesh/net/http.hpp>

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

// Helm charts as downloads: the repository's index.yaml says which archive and which SHA-256, and
// an archive is kept only when its bytes match that digest.
namespace getmesh::download {

// Istio's repository index is a few MiB (every chart of every release); a chart a few hundred KiB.
inline constexpr std::size_t kMaxChartIndexBytes = std::size_t{64} << 20;
inline constexpr std::size_t kMaxChartBytes = std::size_t{16} << 20;

// A repository's index, read once for the charts of an upgrade or a mirror.
struct ChartIndex {
  std::string repository;
  std::string text;  // index.yaml as served (a mirror stores it as is)
  std::vector<helm::ChartEntry> entries;
};

// Reads `<repository>/index.yaml` (https://, http:// or file://). An unreachable repository or
// another answer than an index is a refusal naming the URL.
Result<ChartIndex> read_chart_index(const net::Client& http, const std::string& repository);

// Downloads chart `name` at `version` listed in `index` into `directory/<name>-<version>.tgz`
// (atomically, with `mode`) and returns its path; refused, with nothing written, when the index
// does not list it with a digest or the archive's SHA-256 differs from the index's digest (a
// tampered chart).
Result<std::filesystem::path> fetch_chart(
    const net::Client& http, const ChartIndex& index, const std::string& name,
    const std::string& version, const std::filesystem::path& directory,
    std::filesystem::perms mode = std::filesystem::perms(0600));

// The file name a chart archive is stored under: "<name>-<version>.tgz", as Helm names them.
std::string chart_file_name(const std::string& name, const std::string& version);

}  // namespace getmesh::download
