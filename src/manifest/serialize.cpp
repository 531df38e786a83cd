#include <getmesh/manifest/serialize.hpp>

#include <nlohmann/json.hpp>

#include <set>

namespace getmesh::manifest {

namespace {

using ordered_json = nlohmann::ordered_json;

bool selected_version(const DistributionName& name, const std::string& filter) {
  if (filter.empty()) return true;
  if (auto full = Version::parse(filter)) return name.version == *full;
  if (auto minor = MinorVersion::parse(filter)) return MinorVersion::of(name.version) == *minor;
  return false;
}

Result<ordered_json> downloads_json(const Distribution& distribution) {
  ordered_json downloads = ordered_json::object();
  for (const auto& [platform, download] : distribution.downloads) {
    if (download.checksums_conflict()) {
      return runtime_error(
          "the checksums of " + distribution.name.to_string() + " for " + platform +
              " disagree (manifest sha256 " + download.sha256 + ", upstream digest " +
              download.upstream_digest + ")",
          "leave it out with --version or --platform, or fix the manifest's sha256");
    }
    const auto& sha256 = download.sha256.empty() ? download.upstream_digest : download.sha256;
    if (download.url.empty() && sha256.empty()) continue;
    ordered_json entry = ordered_json::object();
    if (!download.url.empty()) entry["url"] = download.url;
    if (!sha256.empty()) entry["sha256"] = sha256;
    if (download.size > 0) entry["size"] = download.size;
    downloads[platform] = std::move(entry);
  }
  return downloads;
}

}  // namespace

Result<std::string> to_json(const Manifest& manifest) {
  ordered_json document = ordered_json::object();
  document["default_flavor"] = manifest.default_flavor;
  document["download_templates"] = manifest.download_templates;
  ordered_json lifecycle = ordered_json::object();
  for (auto entry = manifest.lifecycle.rbegin(); entry != manifest.lifecycle.rend(); ++entry) {
    ordered_json dates = ordered_json::object();
    const auto& [minor, value] = *entry;
    if (value.community_end_of_life) {
      dates["community_end_of_life"] = value.community_end_of_life->to_string();
    }
    if (value.community_estimated) dates["community_end_of_life_estimated"] = true;
    if (value.tetrate_end_of_life) {
      dates["tetrate_end_of_life"] = value.tetrate_end_of_life->to_string();
    }
    lifecycle[minor.to_string()] = std::move(dates);
  }
  document["lifecycle"] = std::move(lifecycle);
  ordered_json legacy = ordered_json::object();
  for (auto entry = manifest.legacy_end_of_life.rbegin();
       entry != manifest.legacy_end_of_life.rend(); ++entry) {
    legacy[entry->first.to_string()] = entry->second.to_string();
  }
  document["istio_minor_versions_eol_dates"] = std::move(legacy);

  ordered_json distributions = ordered_json::array();
  for (const auto& distribution : manifest.distributions) {
    ordered_json entry = {{"version", distribution.name.version.to_string()},
                          {"flavor", distribution.name.flavor},
                          {"flavor_version", distribution.name.flavor_version},
                          {"k8s_versions", distribution.k8s_versions},
                          {"release_notes", distribution.release_notes},
                          {"is_security_patch", distribution.is_security_patch}};
    auto downloads = downloads_json(distribution);
    if (!downloads) return downloads.error();
    if (!downloads->empty()) entry["downloads"] = std::move(*downloads);
    distributions.push_back(std::move(entry));
  }
  document["istio_distributions"] = std::move(distributions);
  return document.dump(2) + "\n";
}

Manifest select(const Manifest& manifest, const Selection& selection) {
  Manifest selected;
  selected.default_flavor = manifest.default_flavor;
  std::set<MinorVersion> minors;
  std::set<std::string> flavors;
  for (const auto& distribution : manifest.distributions) {
    if ((!selection.flavor.empty() && distribution.name.flavor != selection.flavor) ||
        !selected_version(distribution.name, selection.version)) {
      continue;
    }
    auto copy = distribution;
    if (!selection.platform.empty()) {
      std::erase_if(copy.downloads,
                    [&](const auto& entry) { return entry.first != selection.platform; });
    }
    minors.insert(MinorVersion::of(copy.name.version));
    flavors.insert(copy.name.flavor);
    selected.distributions.push_back(std::move(copy));
  }
  for (const auto& minor : minors) {
    if (auto found = manifest.lifecycle.find(minor); found != manifest.lifecycle.end()) {
      selected.lifecycle.insert(*found);
    }
    if (auto found = manifest.legacy_end_of_life.find(minor);
        found != manifest.legacy_end_of_life.end()) {
      selected.legacy_end_of_life.insert(*found);
    }
  }
  for (const auto& flavor : flavors) {
    if (auto found = manifest.download_templates.find(flavor);
        found != manifest.download_templates.end()) {
      selected.download_templates.insert(*found);
    }
  }
  return selected;
}

}  // namespace getmesh::manifest
