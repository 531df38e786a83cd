#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/resolve.hpp>

#include <algorithm>
#include <map>

namespace getmesh::manifest {

namespace {

Result<std::string> choose_flavor(const Manifest& manifest, const std::string& flavor,
                                  std::vector<std::string>& notes) {
  if (flavor.empty()) {
    notes.push_back("using the " + manifest.default_flavor +
                    " flavor since --flavor was not given");
    return manifest.default_flavor;
  }
  if (!is_known_flavor(flavor)) {
    return usage_error("unknown flavor " + quote(flavor),
                       "use --flavor istio, tetrate or tetratefips");
  }
  return flavor;
}

bool in_flavor(const Distribution& distribution, const std::string& flavor) {
  return distribution.name.flavor == flavor;
}

// `what` names the missing distribution, e.g. "istio 1.99.x".
Error not_in_manifest(const std::string& what) {
  return runtime_error("the manifest has no " + what,
                       "see the available distributions with \"getmesh list\"");
}

}  // namespace

Result<DistributionName> parse_name_flag(const std::string& text) {
  auto name = DistributionName::parse(text);
  if (!name) return usage_error("--name: " + name.error().message, name.error().hint);
  if (name->is_upstream()) {
    return usage_error("--name " + quote(text) + " has no flavor",
                       "give a full name such as " + text + "-istio-v0");
  }
  return name;
}

Status check_query(const Query& query) {
  if (!query.name.empty()) {
    if (auto name = parse_name_flag(query.name); !name) return name.error();
    return {};
  }
  if (!query.version.empty() && !MinorVersion::parse(query.version, true)) {
    return usage_error("--version " + quote(query.version) + " is not of the form X.Y or X.Y.Z");
  }
  if (!query.flavor.empty() && !is_known_flavor(query.flavor)) {
    return usage_error("unknown flavor " + quote(query.flavor),
                       "use --flavor istio, tetrate or tetratefips");
  }
  return {};
}

Result<Resolution> resolve_fetch(const Manifest& manifest, const Query& query) {
  if (auto checked = check_query(query); !checked) return checked.error();
  Resolution resolution;
  if (!query.name.empty()) {
    auto name = parse_name_flag(query.name);
    if (!name) return name.error();
    resolution.name = *name;
    return resolution;
  }
  auto flavor = choose_flavor(manifest, query.flavor, resolution.notes);
  if (!flavor) return flavor.error();

  const auto wants_flavor_version = [&](const Distribution& d) {
    return query.flavor_version < 0 || d.name.flavor_version == query.flavor_version;
  };

  if (query.version.empty()) {
    // Manifest order is newest first: take the first match.
    for (const auto& distribution : manifest.distributions) {
      if (in_flavor(distribution, *flavor) && wants_flavor_version(distribution)) {
        resolution.name = distribution.name;
        return resolution;
      }
    }
    return not_in_manifest(*flavor + " distribution" +
                           (query.flavor_version < 0
                                ? std::string()
                                : " with flavor version " + std::to_string(query.flavor_version)));
  }

  Version version;
  if (auto full = Version::parse(query.version)) {
    version = *full;
  } else {
    auto minor = MinorVersion::parse(query.version);
    if (!minor) {
      return usage_error("--version " + quote(query.version) + " is not of the form X.Y or X.Y.Z");
    }
    const Distribution* latest = nullptr;
    for (const auto& distribution : manifest.distributions) {
      if (in_flavor(distribution, *flavor) &&
          MinorVersion::of(distribution.name.version) == *minor &&
          (latest == nullptr || distribution.name.version > latest->name.version)) {
        latest = &distribution;
      }
    }
    if (latest == nullptr) return not_in_manifest(*flavor + " " + query.version + ".x");
    version = latest->name.version;
    resolution.notes.push_back("using " + version.to_string() + ", the latest patch of " +
                               query.version);
  }

  if (query.flavor_version >= 0) {
    resolution.name = DistributionName{version, *flavor, query.flavor_version};
    return resolution;
  }
  const Distribution* newest = nullptr;
  for (const auto& distribution : manifest.distributions) {
    if (in_flavor(distribution, *flavor) && distribution.name.version == version &&
        (newest == nullptr || distribution.name.flavor_version > newest->name.flavor_version)) {
      newest = &distribution;
    }
  }
  if (newest == nullptr)
    return not_in_manifest(version.to_string() + " of the " + *flavor + " flavor");
  resolution.name = newest->name;
  return resolution;
}

Result<Resolution> resolve_switch(const Query& query, const std::optional<DistributionName>& active,
                                  const std::vector<DistributionName>& installed) {
  Resolution resolution;
  if (!query.name.empty()) {
    auto name = parse_name_flag(query.name);
    if (!name) return name.error();
    resolution.name = *name;
    return resolution;
  }
  if (!active && (query.version.empty() || query.flavor.empty())) {
    return usage_error("cannot tell which distribution to switch to: nothing is active yet",
                       "give --name, or --version and --flavor");
  }
  if (!query.flavor.empty() && !is_known_flavor(query.flavor)) {
    return usage_error("unknown flavor " + quote(query.flavor),
                       "use --flavor istio, tetrate or tetratefips");
  }
  const std::string flavor = query.flavor.empty() ? active->flavor : query.flavor;
  std::int64_t flavor_version = query.flavor_version;
  if (flavor_version < 0)
    flavor_version = active && flavor == active->flavor ? active->flavor_version : 0;

  if (query.version.empty()) {
    resolution.name = DistributionName{active->version, flavor, flavor_version};
    return resolution;
  }
  const auto exact = Version::parse(query.version);
  auto minor = exact ? MinorVersion::of(*exact) : MinorVersion::parse(query.version);
  if (!minor) {
    return usage_error("--version " + quote(query.version) + " is not of the form X.Y or X.Y.Z");
  }
  // The newest fetched distribution of the version (or minor) in `of_flavor` ("": any flavor).
  const auto newest_fetched = [&](const std::string& of_flavor) {
    std::optional<DistributionName> newest;
    for (const auto& name : installed) {
      if ((of_flavor.empty() || name.flavor == of_flavor) &&
          (exact ? name.version == *exact : MinorVersion::of(name.version) == *minor) &&
          (query.flavor_version < 0 || name.flavor_version == query.flavor_version) &&
          (!newest || name > *newest)) {
        newest = name;
      }
    }
    return newest;
  };
  // Without --flavor, the active's flavor is preferred, but another flavor's fetched
  // distribution of that version is taken rather than none ("the newest fetched 1.30").
  std::optional<DistributionName> other_flavor;
  if (query.flavor.empty() && !newest_fetched(flavor)) other_flavor = newest_fetched("");
  if (other_flavor) {
    resolution.name = *other_flavor;
    resolution.notes.push_back("no " + query.version + (exact ? "" : ".x") + " of the " + flavor +
                               " flavor is fetched; using " + other_flavor->to_string() +
                               ", the newest fetched " + query.version + (exact ? "" : ".x"));
    return resolution;
  }
  if (exact) {
    resolution.name = DistributionName{*exact, flavor, flavor_version};
    return resolution;
  }
  const auto newest = newest_fetched(flavor);
  if (!newest) {
    return runtime_error(
        "no " + query.version + ".x distribution of the " + flavor + " flavor is fetched",
        "fetch one with \"getmesh fetch --version " + query.version + " --flavor " + flavor + "\"");
  }
  resolution.name = *newest;
  resolution.notes.push_back("using " + newest->to_string() + ", the newest fetched " +
                             query.version + ".x");
  return resolution;
}

GroupLatest latest_in_group(const Manifest& manifest, const DistributionName& name) {
  GroupLatest result;
  for (const auto& distribution : manifest.distributions) {
    if (!distribution.name.same_group(name)) continue;
    if (result.latest == nullptr || distribution.name > result.latest->name) {
      result.latest = &distribution;
    }
    if (distribution.name > name && distribution.is_security_patch) {
      result.security_fix_since = true;
    }
  }
  return result;
}

std::vector<DistributionName> newer_minors(const Manifest& manifest, const DistributionName& name) {
  std::map<MinorVersion, DistributionName> newest_per_minor;
  const auto current = MinorVersion::of(name.version);
  for (const auto& distribution : manifest.distributions) {
    const auto minor = MinorVersion::of(distribution.name.version);
    if (distribution.name.flavor != name.flavor || minor <= current) continue;
    auto [entry, inserted] = newest_per_minor.emplace(minor, distribution.name);
    if (!inserted && distribution.name > entry->second) entry->second = distribution.name;
  }
  std::vector<DistributionName> names;
  for (const auto& [minor, newest] : newest_per_minor) names.push_back(newest);
  return names;
}

}  // namespace getmesh::manifest
