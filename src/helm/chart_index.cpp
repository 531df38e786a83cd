#include <getmesh/core/strings.hpp>
#include <getmesh/helm/chart_index.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace getmesh::helm {

namespace {

std::string text_of(const YAML::Node& node) {
  return node && node.IsScalar() ? node.as<std::string>() : std::string();
}

std::string without_trailing_slash(std::string text) {
  while (!text.empty() && text.back() == '/') text.pop_back();
  return text;
}

}  // namespace

Result<std::vector<ChartEntry>> parse_index(std::string_view text, const std::string& where) {
  const std::string hint =
      "check the chart repository (--chart-repo or the chart_repo setting): it must serve "
      "Helm's index.yaml";
  try {
    const auto document = YAML::Load(std::string(text));
    const auto entries = document.IsMap() ? document["entries"] : YAML::Node();
    if (!entries || !entries.IsMap()) {
      return runtime_error(where + " is no Helm repository index (it has no entries map)", hint);
    }
    std::vector<ChartEntry> found;
    for (const auto& chart : entries) {
      if (!chart.second.IsSequence()) continue;
      for (const auto& version : chart.second) {
        if (!version.IsMap()) continue;
        ChartEntry entry{chart.first.as<std::string>(),
                         text_of(version["version"]),
                         to_lower(text_of(version["digest"])),
                         {}};
        if (const auto urls = version["urls"]; urls && urls.IsSequence()) {
          for (const auto& url : urls) entry.urls.push_back(text_of(url));
        }
        found.push_back(std::move(entry));
      }
    }
    return found;
  } catch (const YAML::Exception& error) {
    return runtime_error(where + " is no valid YAML: " + error.what(), hint);
  }
}

Result<ChartEntry> find_chart(const std::vector<ChartEntry>& entries, std::string_view name,
                              std::string_view version, const std::string& where) {
  const auto found = std::find_if(entries.begin(), entries.end(), [&](const ChartEntry& entry) {
    return entry.name == name && entry.version == version;
  });
  if (found == entries.end()) {
    return runtime_error("the chart repository " + where + " has no chart " + std::string(name) +
                             " at version " + std::string(version),
                         "use a repository that publishes Istio's charts of this version "
                         "(--chart-repo), or a copy of Istio's repository with its index.yaml");
  }
  if (found->digest.size() != 64 || !is_hex(found->digest) || found->urls.empty() ||
      found->urls.front().empty()) {
    return runtime_error("the chart repository " + where + " lists " + std::string(name) + " " +
                             std::string(version) +
                             " without a SHA-256 digest and URL to verify its archive",
                         "getmesh installs only charts it can verify: use Istio's repository or "
                         "a copy of it with Istio's index.yaml");
  }
  return *found;
}

std::string archive_url(const std::string& repository, const ChartEntry& entry) {
  const auto& url = entry.urls.front();
  if (url.find("://") != std::string::npos) return url;
  return without_trailing_slash(repository) + "/" + url;
}

std::string index_url(const std::string& repository) {
  return without_trailing_slash(repository) + "/index.yaml";
}

}  // namespace getmesh::helm
