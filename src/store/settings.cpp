#include <getmesh/core/strings.hpp>
#include <getmesh/store/settings.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace getmesh::store {

namespace {

using nlohmann::json;

// A registry as istioctl's --set hub= takes it: host[:port]/path, no scheme.
std::string hub_problem(std::string_view value) {
  if (value.find("://") != std::string_view::npos) {
    return "it starts with a scheme (" + std::string(value.substr(0, value.find("://") + 3)) + ")";
  }
  const auto bad = std::find_if(value.begin(), value.end(), [](char c) {
    return !(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_' ||
             c == ':' || c == '/');
  });
  if (bad != value.end()) return "it contains " + quote(std::string_view(&*bad, 1));
  if (value.front() == '/' || value.back() == '/') return "it starts or ends with /";
  return "";
}

std::string manifest_location_problem(std::string_view value) {
  const auto scheme = value.find("://");
  if (scheme == std::string_view::npos) return "";  // a path
  const auto name = value.substr(0, scheme);
  if (name == "https" || name == "http" || name == "file") return "";
  return "getmesh reads https://, http:// and file:// URLs, not " + std::string(name) + "://";
}

std::string api_url_problem(std::string_view value) {
  if (value.starts_with("https://") || value.starts_with("http://")) return "";
  return "it is no http(s) URL";
}

std::string chart_repo_problem(std::string_view value) {
  if (value.starts_with("https://") || value.starts_with("http://") ||
      value.starts_with("file://")) {
    return "";
  }
  return "it is no https://, http:// or file:// URL";
}

std::string duration_problem(std::string_view value) {
  return parse_duration(value) ? "" : "it is no number followed by s, m, h or d";
}

// Sorted by key. One row per setting; the Config member's initial value is its default.
constexpr std::array kSettings = {
    Setting{.key = "auto_select",
            .member = &Config::auto_select,
            .description = "run the fetched istioctl matching the cluster's control plane (see "
                           "the istioctl page)"},
    Setting{.key = "catalog_ttl",
            .member = &Config::catalog_ttl,
            .description = "how long the cached upstream catalogue is used without asking upstream "
                           "(default 6h)",
            .noun = "a duration",
            .problem = duration_problem,
            .advice = "give a number and a unit, e.g. 90s, 30m, 6h or 2d (0s asks every time)",
            .checked_in_files = true,
            .implied = "6h",
            .suggestions = "0s|30m|1h|6h|1d"},
    Setting{.key = "chart_repo",
            .member = &Config::chart_repo,
            .description =
                "Helm chart repository of Istio's charts for \"getmesh upgrade\" of "
                "Helm meshes (unset: GETMESH_MIRROR when set, else Istio's official one)",
            .noun = "a chart repository URL",
            .problem = chart_repo_problem,
            .advice = "give the repository's URL, e.g. "
                      "https://istio-release.storage.googleapis.com/charts or an internal copy "
                      "such as https://charts.example.com/istio",
            .implied = "https://istio-release.storage.googleapis.com/charts",
            .fallback_variable = "GETMESH_MIRROR"},
    Setting{.key = "default_hub",
            .member = &Config::default_hub,
            .description = "registry injected as --set hub=... by \"getmesh istioctl install\"",
            .noun = "an image registry",
            .problem = hub_problem,
            .advice = "give a registry such as docker.io/istio or "
                      "my-registry.example.com:5000/istio",
            .suggestions = "docker.io/istio|gcr.io/istio-release"},
    Setting{.key = "github_api_url",
            .member = &Config::github_api_url,
            .description = "GitHub API base of the upstream catalogue (default "
                           "https://api.github.com; GETMESH_GITHUB_API overrides it)",
            .noun = "a GitHub API URL",
            .problem = api_url_problem,
            .advice = "give an https:// URL such as https://github.example.com/api/v3",
            .checked_in_files = true,
            .implied = "https://api.github.com",
            .suggestions = "https://api.github.com"},
    Setting{.key = "helm_path",
            .member = &Config::helm_path,
            .description = "the helm \"getmesh upgrade\" drives for Helm meshes (default: helm "
                           "on PATH)",
            .noun = "a path to helm"},
    Setting{.key = "manifest_url",
            .member = &Config::manifest_url,
            .description = "manifest to use when neither --manifest nor GETMESH_MANIFEST is set",
            .noun = "a manifest URL or path",
            .problem = manifest_location_problem,
            .advice = "give an https://, http:// or file:// URL, or a path"},
    Setting{.key = "offline",
            .member = &Config::offline,
            .description = "never ask upstream (GitHub) for the catalogue: the cache or the "
                           "manifest alone (as GETMESH_OFFLINE=1; list --refresh still asks)"},
    Setting{.key = "require_checksum",
            .member = &Config::require_checksum,
            .description = "refuse archives without a checksum and unverified installs (same as "
                           "--require-checksum)"},
    Setting{.key = "require_fips",
            .member = &Config::require_fips,
            .description = "refuse to activate an istioctl that carries no FIPS 140 module (same "
                           "as --require-fips)"},
    Setting{.key = "strict_install",
            .member = &Config::strict_install,
            .description = "when \"istioctl install\" warns and no terminal can confirm, stop "
                           "instead of continuing (same as --strict)"},
    Setting{.key = "verify_on_exec",
            .member = &Config::verify_on_exec,
            .description = "before \"getmesh istioctl\" runs an istioctl, check that its size "
                           "and modification time still match its install receipt"},
};

Error bad_value(const Setting& setting, std::string_view as, std::string_view text,
                const std::string& problem, std::string hint) {
  return usage_error(std::string(as.empty() ? setting.key : as) + " " + quote(text) + " is not " +
                         describe_type(setting) + (problem.empty() ? "" : ": " + problem),
                     std::move(hint));
}

}  // namespace

std::span<const Setting> settings() { return kSettings; }

const Setting* find_setting(std::string_view key) {
  const auto found = std::find_if(kSettings.begin(), kSettings.end(),
                                  [&](const Setting& setting) { return setting.key == key; });
  return found == kSettings.end() ? nullptr : &*found;
}

nlohmann::json setting_value(const Config& config, const Setting& setting) {
  return std::visit([&](auto member) { return json(config.*member); }, setting.member);
}

nlohmann::json effective_value(const Config& config, const Setting& setting) {
  auto value = setting_value(config, setting);
  if (!value.is_string() || !value.get<std::string>().empty()) return value;
  return setting.implied.empty() ? json() : json(std::string(setting.implied));
}

bool is_set(const Config& config, const Setting& setting) {
  static const Config kDefaults;
  return setting_value(config, setting) != setting_value(kDefaults, setting);
}

std::string describe_type(const Setting& setting) {
  if (std::holds_alternative<bool Config::*>(setting.member)) return "true or false";
  if (std::holds_alternative<std::int64_t Config::*>(setting.member)) {
    return "an integer from " + std::to_string(setting.min) + " to " + std::to_string(setting.max);
  }
  return setting.noun.empty() ? "a text" : std::string(setting.noun);
}

Status set_setting(Config& config, const Setting& setting, std::string_view text,
                   std::string_view as) {
  if (const auto* flag = std::get_if<bool Config::*>(&setting.member)) {
    if (text != "true" && text != "false")
      return bad_value(setting, as, text, "", "give true or false");
    config.** flag = text == "true";
    return {};
  }
  if (const auto* number = std::get_if<std::int64_t Config::*>(&setting.member)) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || stop != end || error != std::errc() || value < setting.min ||
        value > setting.max) {
      return bad_value(setting, as, text, "", "give a whole number in that range");
    }
    config.** number = value;
    return {};
  }
  const auto member = std::get<std::string Config::*>(setting.member);
  if (text.empty()) {
    return bad_value(setting, as, text, "it is empty",
                     "use \"getmesh config unset " + std::string(setting.key) + "\" to clear it");
  }
  if (setting.problem != nullptr) {
    if (auto problem = setting.problem(text); !problem.empty()) {
      return bad_value(setting, as, text, problem, std::string(setting.advice));
    }
  }
  config.*member = std::string(text);
  return {};
}

void unset_setting(Config& config, const Setting& setting) {
  static const Config kDefaults;
  std::visit([&](auto member) { config.*member = kDefaults.*member; }, setting.member);
}

Status read_setting(Config& config, const Setting& setting, const nlohmann::json& document,
                    const std::function<Error(const std::string&)>& invalid) {
  const std::string key(setting.key);
  if (!document.contains(key) || document[key].is_null()) return {};
  const auto& value = document[key];
  if (const auto* flag = std::get_if<bool Config::*>(&setting.member)) {
    if (!value.is_boolean()) return invalid(key + " must be true or false");
    config.** flag = value.get<bool>();
  } else if (const auto* number = std::get_if<std::int64_t Config::*>(&setting.member)) {
    if (!value.is_number_integer() || value.get<std::int64_t>() < setting.min ||
        value.get<std::int64_t>() > setting.max) {
      return invalid(key + " must be " + describe_type(setting));
    }
    config.** number = value.get<std::int64_t>();
  } else {
    if (!value.is_string()) return invalid(key + " must be a string");
    const auto text = value.get<std::string>();
    if (setting.checked_in_files && setting.problem != nullptr && !text.empty()) {
      if (auto problem = setting.problem(text); !problem.empty()) {
        return invalid(key + " must be " + describe_type(setting) + ": " + problem);
      }
    }
    config.*std::get<std::string Config::*>(setting.member) = text;
  }
  return {};
}

}  // namespace getmesh::store
