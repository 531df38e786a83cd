#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/checks.hpp>
#include <getmesh/manifest/resolve.hpp>

#include <map>

namespace getmesh::manifest {

std::vector<std::string> end_of_life_warnings(const Manifest& manifest,
                                              const DistributionName& active,
                                              const CivilDate& today) {
  const auto end_of_life = manifest.end_of_life(active);
  if (!end_of_life) return {};
  const auto days_left = days_between(today, *end_of_life);
  if (days_left > kEndOfLifeWarningDays) return {};

  std::string text =
      "the active istioctl " + active.to_string() + " (" + active.version.minor_string() + ") ";
  const std::string estimated =
      manifest.end_of_life_estimated(active) ? ", estimated from Istio's support policy" : "";
  if (days_left >= 0) {
    text += "reaches end of life on " + end_of_life->to_string() + " (in " +
            std::to_string(days_left) + " days" + estimated + ")";
  } else {
    text += "reached end of life on " + end_of_life->to_string() + " (" +
            std::to_string(-days_left) + " days ago" + estimated + ")";
  }
  // Every newer minor still supported (as the original named every newer distribution).
  std::vector<std::string> upgrades;
  for (const auto& name : newer_minors(manifest, active)) {
    const auto ends = manifest.end_of_life(name);
    if (!ends || !(*ends < today)) upgrades.push_back(name.to_string());
  }
  if (upgrades.empty()) {
    text += "; no supported newer minor of the " + active.flavor + " flavor is in the manifest yet";
  } else {
    text += "; upgrade to a newer minor: " + join(upgrades, ", ") + " (getmesh fetch --name " +
            upgrades.back() + ")";
  }
  return {text};
}

std::vector<std::string> security_warnings(const Manifest& manifest,
                                           const std::vector<DistributionName>& installed) {
  std::map<std::string, DistributionName> newest_per_group;
  for (const auto& name : installed) {
    auto [entry, inserted] = newest_per_group.emplace(name.group(), name);
    if (!inserted && name > entry->second) entry->second = name;
  }
  std::vector<std::string> warnings;
  for (const auto& [group, newest] : newest_per_group) {
    const auto latest = latest_in_group(manifest, newest);
    if (latest.latest == nullptr) {
      warnings.push_back("fetched " + group + " distributions are no longer in the manifest; " +
                         "move to a minor listed by \"getmesh list\" and remove old ones with " +
                         "\"getmesh prune\"");
    } else if (latest.security_fix_since && latest.latest->name > newest) {
      const auto target = latest.latest->name.to_string();
      warnings.push_back("the newest fetched " + group + " distribution is " + newest.to_string() +
                         ", but " + target +
                         " includes security fixes; fetch it with \"getmesh fetch --name " +
                         target + "\"");
    }
  }
  return warnings;
}

}  // namespace getmesh::manifest
