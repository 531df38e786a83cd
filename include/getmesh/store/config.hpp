#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::store {

// The `istio_distribution` record of config.json: the active distribution, with the manifest fields
// the original tool stored beside it.
struct ActiveRecord {
  DistributionName name;
  std::vector<std::string> k8s_versions;
  std::vector<std::string> release_notes;
  bool is_security_patch = false;
  std::string end_of_life;
};

// config.json: the original's keys plus ours (docs/configuration.md). Keys getmesh does not know
// are kept as they are when the file is rewritten. Every member but `active` and `unknown_keys` is
// a setting with a row in settings.cpp; its initial value here is its default.
struct Config {
  std::optional<ActiveRecord> active;
  std::string default_hub;
  std::string manifest_url;
  bool require_checksum = false;
  bool auto_select = false;
  // Refuse `istioctl install` checks' warnings instead of continuing when no terminal can confirm.
  bool strict_install = false;
  // `getmesh istioctl` compares the istioctl's size and modification time with its install receipt
  // and refuses a changed binary (no hashing: the passthrough stays fast).
  bool verify_on_exec = false;
  // Only istioctl binaries that carry a FIPS 140 module may be activated (as fetch/switch/verify
  // --require-fips).
  bool require_fips = false;
  // Never ask upstream for the catalogue (as GETMESH_OFFLINE=1), e.g. behind a firewall.
  bool offline = false;
  std::string github_api_url;  // GitHub API base for the upstream catalogue; empty: the default
  std::string
      catalog_ttl;  // how long the cached catalogue is used as is, e.g. "6h"; empty: default
  // The helm `getmesh upgrade` drives for Helm-installed meshes; empty: "helm" on PATH.
  std::string helm_path;
  // The Helm chart repository of Istio's charts; empty: Istio's official repository.
  std::string chart_repo;
  std::map<std::string, std::string> unknown_keys;  // key -> raw JSON text
};

// A duration such as "90s", "30m", "6h" or "2d" in seconds; nullopt for anything else.
std::optional<std::int64_t> parse_duration(std::string_view text);

// Parses config.json text; `path` is used in messages.
Result<Config> parse_config(std::string_view text, const std::filesystem::path& path);
// Compact JSON in the original's shape (no trailing newline).
std::string serialize_config(const Config& config);

// Reads config.json; a missing file is an empty configuration.
Result<Config> load_config(const std::filesystem::path& path);
// Writes config.json atomically (temp file, fsync, rename).
Status save_config(const std::filesystem::path& path, const Config& config);

}  // namespace getmesh::store
