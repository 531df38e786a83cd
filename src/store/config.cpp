#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/store/config.hpp>

#include <nlohmann/json.hpp>

#include <system_error>

namespace getmesh::store {

namespace {

using nlohmann::json;

constexpr const char* kActiveKey = "istio_distribution";
constexpr const char* kHubKey = "default_hub";
constexpr const char* kManifestUrlKey = "manifest_url";
constexpr const char* kRequireChecksumKey = "require_checksum";
constexpr const char* kAutoSelectKey = "auto_select";
constexpr const char* kStrictInstallKey = "strict_install";

Error invalid(const std::filesystem::path& path, const std::string& problem) {
  return runtime_error("config file " + path.string() + " is invalid: " + problem,
                       "fix the file, or delete it to start from an empty configuration (the "
                       "fetched istioctl versions are kept)");
}

Result<ActiveRecord> parse_active(const json& record, const std::filesystem::path& path) {
  if (!record.is_object()) return invalid(path, std::string(kActiveKey) + " is not an object");
  const auto text = [&](const char* key) {
    return record.contains(key) && record[key].is_string() ? record[key].get<std::string>() : "";
  };
  auto version = Version::parse(text("version"));
  if (!version)
    return invalid(path, std::string(kActiveKey) + ".version: " + version.error().message);
  ActiveRecord active;
  active.name.version = *version;
  active.name.flavor = text("flavor");
  if (active.name.flavor.empty())
    return invalid(path, std::string(kActiveKey) + ".flavor is missing");
  if (!is_valid_flavor(active.name.flavor)) {
    return invalid(path, std::string(kActiveKey) + ".flavor " + quote(active.name.flavor) +
                             " is not a flavor name (lower-case letters and digits)");
  }
  if (record.contains("flavor_version")) {
    if (!record["flavor_version"].is_number_integer() ||
        record["flavor_version"].get<std::int64_t>() < 0) {
      return invalid(path,
                     std::string(kActiveKey) + ".flavor_version is not a non-negative integer");
    }
    active.name.flavor_version = record["flavor_version"].get<std::int64_t>();
  }
  for (const auto& [key, target] : {std::pair{"k8s_versions", &active.k8s_versions},
                                    std::pair{"release_notes", &active.release_notes}}) {
    if (!record.contains(key)) continue;
    if (!record[key].is_array())
      return invalid(path, std::string(kActiveKey) + "." + key + " is not a list");
    for (const auto& item : record[key]) {
      if (item.is_string()) target->push_back(item.get<std::string>());
    }
  }
  active.is_security_patch = record.value("is_security_patch", false);
  active.end_of_life = text("end_of_life");
  return active;
}

json active_to_json(const ActiveRecord& active) {
  // Same shape and omit-if-empty rules as the original tool.
  json record = json::object();
  record["version"] = active.name.version.to_string();
  record["flavor"] = active.name.flavor;
  if (active.name.flavor_version != 0) record["flavor_version"] = active.name.flavor_version;
  if (!active.k8s_versions.empty()) record["k8s_versions"] = active.k8s_versions;
  if (active.is_security_patch) record["is_security_patch"] = true;
  if (!active.release_notes.empty()) record["release_notes"] = active.release_notes;
  if (!active.end_of_life.empty()) record["end_of_life"] = active.end_of_life;
  return record;
}

Result<bool> read_bool(const json& document, const char* key, const std::filesystem::path& path) {
  if (!document.contains(key) || document[key].is_null()) return false;
  if (!document[key].is_boolean())
    return invalid(path, std::string(key) + " must be true or false");
  return document[key].get<bool>();
}

Result<std::string> read_string(const json& document, const char* key,
                                const std::filesystem::path& path) {
  if (!document.contains(key) || document[key].is_null()) return std::string();
  if (!document[key].is_string()) return invalid(path, std::string(key) + " must be a string");
  return document[key].get<std::string>();
}

}  // namespace

Result<Config> parse_config(std::string_view text, const std::filesystem::path& path) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return Config{};
  const auto document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return invalid(path, "it is not valid JSON");
  if (!document.is_object()) return invalid(path, "it is not a JSON object");

  Config config;
  if (document.contains(kActiveKey) && !document[kActiveKey].is_null()) {
    auto active = parse_active(document[kActiveKey], path);
    if (!active) return active.error();
    config.active = std::move(*active);
  }
  for (const auto& [key, target] : {std::pair{kHubKey, &config.default_hub},
                                    std::pair{kManifestUrlKey, &config.manifest_url}}) {
    auto value = read_string(document, key, path);
    if (!value) return value.error();
    *target = std::move(*value);
  }
  for (const auto& [key, target] : {std::pair{kRequireChecksumKey, &config.require_checksum},
                                    std::pair{kAutoSelectKey, &config.auto_select},
                                    std::pair{kStrictInstallKey, &config.strict_install}}) {
    auto value = read_bool(document, key, path);
    if (!value) return value.error();
    *target = *value;
  }
  for (const auto& [key, value] : document.items()) {
    if (key != kActiveKey && key != kHubKey && key != kManifestUrlKey &&
        key != kRequireChecksumKey && key != kAutoSelectKey && key != kStrictInstallKey) {
      config.unknown_keys[key] = value.dump();
    }
  }
  return config;
}

std::string serialize_config(const Config& config) {
  json document = json::object();
  document[kActiveKey] = config.active ? active_to_json(*config.active) : json(nullptr);
  if (!config.default_hub.empty()) document[kHubKey] = config.default_hub;
  if (!config.manifest_url.empty()) document[kManifestUrlKey] = config.manifest_url;
  if (config.require_checksum) document[kRequireChecksumKey] = true;
  if (config.auto_select) document[kAutoSelectKey] = true;
  if (config.strict_install) document[kStrictInstallKey] = true;
  for (const auto& [key, raw] : config.unknown_keys) document[key] = json::parse(raw);
  return document.dump();
}

Result<Config> load_config(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return Config{};
  auto text = read_file(path);
  if (!text) return text.error();
  return parse_config(*text, path);
}

Status save_config(const std::filesystem::path& path, const Config& config) {
  return write_file_atomic(path, serialize_config(config));
}

}  // namespace getmesh::store
