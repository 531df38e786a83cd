#pragma once

#include <getmesh/core/result.hpp>

#include <string>
#include <string_view>
#include <vector>

// A Helm chart repository's index.yaml: which archive holds each chart version, and its digest.
namespace getmesh::helm {

// Istio's official chart repository (as Istio's Helm install guide adds it).
inline constexpr std::string_view kIstioChartRepository =
    "https://istio-release.storage.googleapis.com/charts";

// The charts an Istio upgrade uses, by the names of Istio's repository.
inline constexpr std::string_view kBaseChart = "base";
inline constexpr std::string_view kIstiodChart = "istiod";
inline constexpr std::string_view kGatewayChart = "gateway";
inline constexpr std::string_view kCniChart = "cni";
inline constexpr std::string_view kZtunnelChart = "ztunnel";

struct ChartEntry {
  std::string name;
  std::string version;
  std::string digest;  // SHA-256 of the .tgz, 64 lower-case hex digits
  std::vector<std::string> urls;
};

// The entries of an index.yaml; `where` (its URL) names it in errors. Entries without a digest
// are kept with an empty one (find_chart refuses them).
Result<std::vector<ChartEntry>> parse_index(std::string_view text, const std::string& where);

// The entry of chart `name` at exactly `version`: refused when the repository does not list it,
// or lists it without a SHA-256 digest to check the archive against.
Result<ChartEntry> find_chart(const std::vector<ChartEntry>& entries, std::string_view name,
                              std::string_view version, const std::string& where);

// The archive's URL: the entry's first URL, resolved against `repository` when relative (as
// Helm resolves it).
std::string archive_url(const std::string& repository, const ChartEntry& entry);

// "<repository>/index.yaml".
std::string index_url(const std::string& repository);

}  // namespace getmesh::helm
