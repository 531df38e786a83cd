#include "mirror/charts.hpp"

#include "mirror/layout.hpp"

#include <getmesh/core/date.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/core/version.hpp>
#include <getmesh/download/archive.hpp>
#include <getmesh/download/chart.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace getmesh::mirror {

namespace {

namespace fs = std::filesystem;

// (chart, version) → its entry in an index.yaml, as the repository wrote it.
using ChartNodes = std::map<std::pair<std::string, std::string>, YAML::Node>;

std::string scalar_of(const YAML::Node& node) {
  return node && node.IsScalar() ? node.as<std::string>() : std::string();
}

// Every chart version entry of an index.yaml document (entries: {chart: [version entries]}).
ChartNodes nodes_of(const YAML::Node& document) {
  ChartNodes nodes;
  const auto entries = document.IsMap() ? document["entries"] : YAML::Node();
  if (!entries || !entries.IsMap()) return nodes;
  for (const auto& chart : entries) {
    if (!chart.second.IsSequence()) continue;
    for (const auto& entry : chart.second) {
      if (!entry.IsMap()) continue;
      nodes.emplace(std::pair{scalar_of(chart.first), scalar_of(entry["version"])}, entry);
    }
  }
  return nodes;
}

std::string first_url(const YAML::Node& entry) {
  const auto urls = entry["urls"];
  return urls && urls.IsSequence() && urls.size() > 0 ? scalar_of(urls[0]) : std::string();
}

// The entries of the earlier runs' index.yaml whose archives are still in the mirror.
Result<ChartNodes> earlier_charts(const fs::path& directory) {
  const auto path = directory / kChartIndexFile;
  std::error_code error;
  if (!fs::exists(path, error)) return ChartNodes{};
  // Checks it is a Helm index at all (then loading it again cannot fail).
  if (auto entries = read_mirror_chart_index(directory); !entries) return entries.error();
  auto text = read_regular_file(path, download::kMaxChartIndexBytes);
  if (!text) return text.error();
  auto nodes = nodes_of(YAML::Load(*text));
  std::erase_if(nodes, [&](const auto& item) {
    const auto file = file_of_url(first_url(item.second));
    return file.empty() || !fs::is_regular_file(directory / file, error);
  });
  return nodes;
}

// The versions of the community distributions: Istio publishes its charts for those only.
std::vector<std::string> community_versions(const manifest::Manifest& selection) {
  std::vector<std::string> versions;
  for (const auto& distribution : selection.distributions) {
    if (distribution.name.flavor != "istio") continue;
    const auto version = distribution.name.version.to_string();
    if (std::find(versions.begin(), versions.end(), version) == versions.end()) {
      versions.push_back(version);
    }
  }
  return versions;
}

// One chart archive: kept when the mirror has it with the index's digest, else downloaded and
// written only once its SHA-256 is that digest.
ChartOutcome mirror_chart(const fs::path& directory, const download::ChartIndex& index,
                          const net::Client& http, const std::string& chart,
                          const std::string& version) {
  ChartOutcome outcome{chart, version, download::chart_file_name(chart, version), "", false, {}};
  auto entry = helm::find_chart(index.entries, chart, version,
                                net::redact_url(helm::index_url(index.repository)));
  if (!entry) {
    outcome.error = entry.error();
    return outcome;
  }
  outcome.sha256 = entry->digest;
  std::error_code error;
  if (fs::is_regular_file(directory / outcome.file, error)) {
    if (auto present = download::sha256_of_file(directory / outcome.file);
        present && *present == entry->digest) {
      return outcome;
    }
  }
  auto fetched = download::fetch_chart(http, index, chart, version, directory, fs::perms(0644));
  if (!fetched) {
    outcome.error = fetched.error();
    return outcome;
  }
  outcome.downloaded = true;
  return outcome;
}

// Newest version first; versions that do not parse after those, by their text.
bool newer_first(const std::string& a, const std::string& b) {
  const auto left = Version::parse(a);
  const auto right = Version::parse(b);
  if (left && right) return *left > *right;
  if (left || right) return static_cast<bool>(left);
  return a > b;
}

// index.yaml of `nodes`, each with its one URL: the archive's file relative to the mirror, or
// under `base_url`.
std::string index_text(const ChartNodes& nodes, const std::string& base_url) {
  // Pointers, as sorting assigns and yaml-cpp's assignment makes one node an alias of the other.
  std::map<std::string, std::vector<std::pair<std::string, const YAML::Node*>>> charts;
  for (const auto& [key, node] : nodes) charts[key.first].emplace_back(key.second, &node);
  YAML::Node entries(YAML::NodeType::Map);
  for (auto& [chart, versions] : charts) {
    std::sort(versions.begin(), versions.end(),
              [](const auto& a, const auto& b) { return newer_first(a.first, b.first); });
    YAML::Node listed(YAML::NodeType::Sequence);
    for (const auto& [version, node] : versions) {
      auto entry = YAML::Clone(*node);
      const auto file = file_of_url(first_url(*node));
      YAML::Node urls(YAML::NodeType::Sequence);
      urls.push_back(base_url.empty() ? file : base_url + "/" + file);
      entry["urls"] = urls;
      listed.push_back(entry);
    }
    entries[chart] = listed;
  }
  YAML::Node document(YAML::NodeType::Map);
  document["apiVersion"] = "v1";
  document["entries"] = entries;
  document["generated"] = format_rfc3339(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  YAML::Emitter emitter;
  emitter << document;
  return std::string(emitter.c_str()) + "\n";
}

}  // namespace

std::vector<std::string> mirrored_charts() {
  return {std::string(helm::kBaseChart), std::string(helm::kIstiodChart),
          std::string(helm::kGatewayChart), std::string(helm::kCniChart),
          std::string(helm::kZtunnelChart)};
}

Status mirror_charts(const fs::path& directory, const manifest::Manifest& selection,
                     const net::Client& http, const CreateOptions& options, CreateReport& report) {
  auto nodes = earlier_charts(directory);
  if (!nodes) return nodes.error();
  const auto versions = community_versions(selection);
  if (!versions.empty()) {
    auto index = download::read_chart_index(http, options.chart_repo);
    if (!index) {
      report.chart_index_error = index.error();
    } else {
      // read_chart_index parsed this text already, so loading it again cannot fail.
      const auto upstream = nodes_of(YAML::Load(index->text));
      for (const auto& version : versions) {
        for (const auto& chart : mirrored_charts()) {
          auto outcome = mirror_chart(directory, *index, http, chart, version);
          // Listed again only when stored now: what is there did not match otherwise.
          nodes->erase(std::pair{chart, version});
          const auto found = upstream.find(std::pair{chart, version});
          if (outcome.stored() && found != upstream.end()) {
            auto entry = YAML::Clone(found->second);
            YAML::Node urls(YAML::NodeType::Sequence);
            urls.push_back(outcome.file);
            entry["urls"] = urls;
            nodes->emplace(std::pair{chart, version}, entry);
          }
          report.charts.push_back(std::move(outcome));
        }
      }
    }
  }
  if (auto written =
          write_file_atomic(directory / kChartIndexFile, index_text(*nodes, options.base_url));
      !written) {
    return written;
  }
  report.charts_listed = nodes->size();
  return {};
}

Result<std::optional<std::vector<helm::ChartEntry>>> read_mirror_chart_index(
    const fs::path& directory) {
  const auto path = directory / kChartIndexFile;
  std::error_code error;
  if (!fs::exists(path, error)) return std::optional<std::vector<helm::ChartEntry>>();
  auto text = read_regular_file(path, download::kMaxChartIndexBytes);
  if (!text) return text.error();
  auto entries = helm::parse_index(*text, path.string());
  if (!entries) {
    auto refused = entries.error();
    refused.hint = "remove it; \"getmesh mirror create --charts\" writes it again";
    return refused;
  }
  return std::optional(std::move(*entries));
}

}  // namespace getmesh::mirror
