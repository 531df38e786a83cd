#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/manifest.hpp>

#include <nlohmann/json.hpp>

#include <set>

namespace getmesh::manifest {

namespace {

using nlohmann::json;

const std::set<std::string, std::less<>> kTemplatePlaceholders = {
    "version", "name", "flavor", "flavor_version", "os", "arch", "platform"};

// Collects the first problem found while walking the document, with its JSON path.
class Parser {
 public:
  explicit Parser(std::string source) : source_(std::move(source)) {}

  Result<Manifest> run(const json& document) {
    if (!document.is_object()) {
      fail("", "the document is not a JSON object");
      return *error_;
    }
    Manifest manifest;
    if (!read_distributions(document, manifest) || !read_end_of_life(document, manifest) ||
        !read_lifecycle(document, manifest) || !read_templates(document, manifest) ||
        !read_default_flavor(document, manifest)) {
      return *error_;
    }
    return manifest;
  }

 private:
  // Records the problem at `path` and returns false, so callers can `return fail(...)`.
  bool fail(const std::string& path, const std::string& problem) {
    error_ = runtime_error(
        "manifest " + source_ + " is invalid: " + (path.empty() ? problem : path + ": " + problem),
        "fix the manifest, or point --manifest / GETMESH_MANIFEST at a valid one");
    return false;
  }

  bool read_string_list(const json& object, const char* key, const std::string& path,
                        std::vector<std::string>& out) {
    if (!object.contains(key) || object[key].is_null()) return true;
    const auto& list = object[key];
    if (!list.is_array()) return fail(path + "." + key, "expected a list of strings");
    for (const auto& item : list) {
      if (!item.is_string()) return fail(path + "." + key, "expected a list of strings");
      out.push_back(item.get<std::string>());
    }
    return true;
  }

  bool read_downloads(const json& entry, const std::string& path, Distribution& distribution) {
    if (!entry.contains("downloads") || entry["downloads"].is_null()) return true;
    const auto& downloads = entry["downloads"];
    if (!downloads.is_object()) return fail(path + ".downloads", "expected an object");
    for (const auto& [platform, value] : downloads.items()) {
      const auto where = path + ".downloads." + platform;
      if (!value.is_object()) return fail(where, "expected an object with url, sha256, size");
      Download download;
      if (value.contains("url")) {
        if (!value["url"].is_string()) return fail(where + ".url", "expected a string");
        download.url = value["url"].get<std::string>();
        if (!is_supported_url(download.url)) {
          return fail(where + ".url", quote(download.url) + " is not an http(s) or file URL");
        }
      }
      if (value.contains("sha256")) {
        if (!value["sha256"].is_string()) return fail(where + ".sha256", "expected a string");
        download.sha256 = to_lower(value["sha256"].get<std::string>());
        if (download.sha256.size() != 64 || !is_hex(download.sha256)) {
          return fail(where + ".sha256", "expected 64 hexadecimal digits");
        }
      }
      if (value.contains("size")) {
        if (!value["size"].is_number_unsigned() || value["size"].get<std::uint64_t>() == 0) {
          return fail(where + ".size", "expected the archive's size in bytes");
        }
        download.size = value["size"].get<std::uint64_t>();
      }
      distribution.downloads.emplace(platform, std::move(download));
    }
    return true;
  }

  bool read_distribution(const json& entry, const std::string& path, Distribution& out) {
    if (!entry.is_object()) return fail(path, "expected an object");
    if (!entry.contains("version") || !entry["version"].is_string()) {
      return fail(path + ".version", "missing or not a string");
    }
    auto version = Version::parse(entry["version"].get<std::string>());
    if (!version) return fail(path + ".version", version.error().message);
    if (!entry.contains("flavor") || !entry["flavor"].is_string()) {
      return fail(path + ".flavor", "missing or not a string");
    }
    const auto flavor = entry["flavor"].get<std::string>();
    if (!is_valid_flavor(flavor)) {
      return fail(path + ".flavor", quote(flavor) + " is not a lower-case flavor name");
    }
    std::int64_t flavor_version = 0;
    if (entry.contains("flavor_version") && !entry["flavor_version"].is_null()) {
      const auto& value = entry["flavor_version"];
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
        return fail(path + ".flavor_version", "expected a non-negative integer");
      }
      flavor_version = value.get<std::int64_t>();
    }
    out.name = DistributionName{*version, flavor, flavor_version};
    if (entry.contains("is_security_patch") && !entry["is_security_patch"].is_null()) {
      if (!entry["is_security_patch"].is_boolean()) {
        return fail(path + ".is_security_patch", "expected true or false");
      }
      out.is_security_patch = entry["is_security_patch"].get<bool>();
    }
    return read_string_list(entry, "k8s_versions", path, out.k8s_versions) &&
           read_string_list(entry, "release_notes", path, out.release_notes) &&
           read_downloads(entry, path, out);
  }

  bool read_distributions(const json& document, Manifest& manifest) {
    if (!document.contains("istio_distributions")) {
      return fail("", "it has no istio_distributions list");
    }
    const auto& list = document["istio_distributions"];
    if (!list.is_array()) return fail("istio_distributions", "expected a list");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto path = "istio_distributions[" + std::to_string(i) + "]";
      Distribution distribution;
      if (!read_distribution(list[i], path, distribution)) return false;
      if (!seen.insert(distribution.name.to_string()).second) {
        return fail(path, distribution.name.to_string() + " is listed twice");
      }
      manifest.distributions.push_back(std::move(distribution));
    }
    return true;
  }

  std::optional<MinorVersion> read_minor_key(const std::string& key, const std::string& path) {
    auto minor = MinorVersion::parse(key, /*allow_patch=*/true);
    if (!minor) {
      fail(path, "key " + quote(key) + " is not a minor version X.Y");
      return std::nullopt;
    }
    return *minor;
  }

  std::optional<CivilDate> read_date(const json& value, const std::string& path) {
    if (!value.is_string()) {
      fail(path, "expected a date string YYYY-MM-DD");
      return std::nullopt;
    }
    auto date = CivilDate::parse(value.get<std::string>());
    if (!date) {
      fail(path, date.error().message);
      return std::nullopt;
    }
    return *date;
  }

  bool read_end_of_life(const json& document, Manifest& manifest) {
    const char* key = "istio_minor_versions_eol_dates";
    if (!document.contains(key) || document[key].is_null()) return true;
    if (!document[key].is_object()) return fail(key, "expected an object");
    for (const auto& [minor_text, value] : document[key].items()) {
      const auto path = std::string(key) + "." + minor_text;
      const auto minor = read_minor_key(minor_text, path);
      if (!minor) return false;
      const auto date = read_date(value, path);
      if (!date) return false;
      manifest.legacy_end_of_life[*minor] = *date;
    }
    return true;
  }

  bool read_lifecycle(const json& document, Manifest& manifest) {
    if (!document.contains("lifecycle") || document["lifecycle"].is_null()) return true;
    if (!document["lifecycle"].is_object()) return fail("lifecycle", "expected an object");
    for (const auto& [minor_text, value] : document["lifecycle"].items()) {
      const auto path = "lifecycle." + minor_text;
      const auto minor = read_minor_key(minor_text, path);
      if (!minor) return false;
      if (!value.is_object()) return fail(path, "expected an object");
      Lifecycle lifecycle;
      for (const auto& [field, target] :
           {std::pair{"community_end_of_life", &lifecycle.community_end_of_life},
            std::pair{"tetrate_end_of_life", &lifecycle.tetrate_end_of_life}}) {
        if (!value.contains(field) || value[field].is_null()) continue;
        *target = read_date(value[field], path + "." + field);
        if (!*target) return false;
      }
      manifest.lifecycle[*minor] = lifecycle;
    }
    return true;
  }

  bool read_templates(const json& document, Manifest& manifest) {
    if (!document.contains("download_templates") || document["download_templates"].is_null()) {
      return true;
    }
    const auto& templates = document["download_templates"];
    if (!templates.is_object()) return fail("download_templates", "expected an object");
    for (const auto& [flavor, value] : templates.items()) {
      const auto path = "download_templates." + flavor;
      if (!value.is_string()) return fail(path, "expected a URL template string");
      const auto text = value.get<std::string>();
      if (!is_supported_url(text)) {
        return fail(path, quote(text) + " is not an http(s) or file URL");
      }
      for (auto open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
        const auto close = text.find('}', open);
        if (close == std::string::npos ||
            !kTemplatePlaceholders.contains(text.substr(open + 1, close - open - 1))) {
          return fail(path, "unknown placeholder in " + quote(text) +
                                " (known: {version} {name} {flavor} {flavor_version} {os} {arch} "
                                "{platform})");
        }
      }
      manifest.download_templates[flavor] = text;
    }
    return true;
  }

  bool read_default_flavor(const json& document, Manifest& manifest) {
    if (!document.contains("default_flavor") || document["default_flavor"].is_null()) return true;
    if (!document["default_flavor"].is_string() ||
        !is_known_flavor(document["default_flavor"].get<std::string>())) {
      return fail("default_flavor", "expected one of istio, tetrate, tetratefips");
    }
    manifest.default_flavor = document["default_flavor"].get<std::string>();
    return true;
  }

  static bool is_supported_url(std::string_view url) {
    return url.starts_with("https://") || url.starts_with("http://") || url.starts_with("file://");
  }

  std::string source_;
  std::optional<Error> error_;
};

bool looks_like_html(std::string_view text) {
  const auto start = trim(text);
  return start.starts_with("<");
}

}  // namespace

const Distribution* Manifest::find(const DistributionName& name) const {
  for (const auto& distribution : distributions) {
    if (distribution.name == name) return &distribution;
  }
  return nullptr;
}

std::optional<CivilDate> Manifest::end_of_life(const DistributionName& name) const {
  const auto minor = MinorVersion::of(name.version);
  std::optional<CivilDate> community;
  std::optional<CivilDate> tetrate;
  if (const auto found = lifecycle.find(minor); found != lifecycle.end()) {
    community = found->second.community_end_of_life;
    tetrate = found->second.tetrate_end_of_life;
  }
  std::optional<CivilDate> legacy;
  if (const auto found = legacy_end_of_life.find(minor); found != legacy_end_of_life.end()) {
    legacy = found->second;
  }
  if (name.flavor == kFlavorIstio) return community ? community : legacy;
  if (tetrate) return tetrate;
  return legacy ? legacy : community;
}

Result<Manifest> parse(std::string_view text, const std::string& source) {
  if (looks_like_html(text)) {
    return runtime_error("manifest " + source + " is an HTML page, not a manifest",
                         "check the URL: the original getmesh manifest host now serves a web page; "
                         "use the embedded manifest or a mirror's manifest.json");
  }
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& error) {
    return runtime_error(
        "manifest " + source + " is not valid JSON (byte " + std::to_string(error.byte) + ")",
        "fix the manifest, or point --manifest / GETMESH_MANIFEST at a valid one");
  }
  return Parser(source).run(document);
}

}  // namespace getmesh::manifest
