#pragma once

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/manifest/manifest.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::manifest {

// What the user asked for with --name / --version / --flavor / --flavor-version.
struct Query {
  std::string name;
  std::string version;  // "", "X.Y" or "X.Y.Z"
  std::string flavor;
  std::int64_t flavor_version = -1;  // -1: not given
};

// A resolved distribution plus the fallbacks applied on the way, to tell the user.
struct Resolution {
  DistributionName name;
  std::vector<std::string> notes;
};

// The value of a `--name` flag: a full distribution name (with flavor and flavor version). Anything
// else is a usage error.
Result<DistributionName> parse_name_flag(const std::string& text);

// The flags' own validity, checked before anything is loaded: a --name that is a full name, a
// --version of the form X.Y or X.Y.Z, a known --flavor. Usage errors.
Status check_query(const Query& query);

// `fetch` resolution: a minor-only version takes its latest patch, a missing flavor the manifest's
// default, a missing flavor version the newest rebuild; with no version, the newest of the flavor.
Result<Resolution> resolve_fetch(const Manifest& manifest, const Query& query);

// `switch` resolution: missing fields come from `active`; a minor-only version takes the newest
// distribution of that group among `installed` (so switching works offline).
Result<Resolution> resolve_switch(const Query& query, const std::optional<DistributionName>& active,
                                  const std::vector<DistributionName>& installed);

// The newest distribution of `name`'s group, and whether any release between `name` (exclusive)
// and it is a security patch.
struct GroupLatest {
  const Distribution* latest = nullptr;
  bool security_fix_since = false;
};
GroupLatest latest_in_group(const Manifest& manifest, const DistributionName& name);

// The newest distribution of each minor newer than `name`'s, in `name`'s flavor, oldest first.
std::vector<DistributionName> newer_minors(const Manifest& manifest, const DistributionName& name);

}  // namespace getmesh::manifest
