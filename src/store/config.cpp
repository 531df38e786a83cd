#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/store/config.hpp>
#include <getmesh/store/limits.hpp>
#include <getmesh/store/settings.hpp>

#include <nlohmann/json.hpp>

#include <limits>
#include <system_error>

namespace getmesh::store {

namespace {

using nlohmann::json;

constexpr const char* kActiveKey = "istio_distribution";

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

}  // namespace

std::optional<std::int64_t> parse_duration(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    default:
      return std::nullopt;
  }
  const auto count = parse_non_negative(text.substr(0, text.size() - 1));
  if (!count || *count > std::numeric_limits<std::int64_t>::max() / unit) return std::nullopt;
  return *count * unit;
}

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
  const auto file_error = [&](const std::string& problem) { return invalid(path, problem); };
  for (const auto& setting : settings()) {
    if (auto read = read_setting(config, setting, document, file_error); !read) {
      return read.error();
    }
  }
  for (const auto& [key, value] : document.items()) {
    if (key != kActiveKey && find_setting(key) == nullptr) config.unknown_keys[key] = value.dump();
  }
  return config;
}

std::string serialize_config(const Config& config) {
  json document = json::object();
  document[kActiveKey] = config.active ? active_to_json(*config.active) : json(nullptr);
  for (const auto& setting : settings()) {
    if (is_set(config, setting))
      document[std::string(setting.key)] = setting_value(config, setting);
  }
  for (const auto& [key, raw] : config.unknown_keys) document[key] = json::parse(raw);
  return document.dump();
}

Result<Config> load_config(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) return Config{};
  auto text = read_regular_file(path, kMaxConfigBytes);
  if (!text) return text.error();
  return parse_config(*text, path);
}

Status save_config(const std::filesystem::path& path, const Config& config) {
  return write_file_atomic(path, serialize_config(config));
}

}  // namespace getmesh::store
