#include <getmesh/core/distribution.hpp>
#include <getmesh/core/strings.hpp>

namespace getmesh {

bool is_known_flavor(std::string_view flavor) {
  return flavor == kFlavorIstio || flavor == kFlavorTetrate || flavor == kFlavorTetrateFips;
}

bool is_valid_flavor(std::string_view flavor) {
  return !flavor.empty() &&
         flavor.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") == std::string_view::npos;
}

Result<DistributionName> DistributionName::parse(std::string_view text) {
  const auto invalid = [&](std::string why) {
    return runtime_error(
        "invalid distribution name " + quote(text) + ": " + why,
        "names look like 1.29.8-istio-v0 (version-flavor-vN); see \"getmesh list\"");
  };
  const auto dash = text.find('-');
  auto version = Version::parse(text.substr(0, dash));
  if (!version) return invalid("the version part is not of the form X.Y.Z");
  if (dash == std::string_view::npos) return DistributionName{*version, "", 0};

  const auto rest = text.substr(dash + 1);
  const auto second_dash = rest.find('-');
  if (second_dash == std::string_view::npos) return invalid("the flavor version is missing");
  const auto flavor = rest.substr(0, second_dash);
  auto number = rest.substr(second_dash + 1);
  if (!number.empty() && number.front() == 'v') number.remove_prefix(1);
  if (flavor.empty()) return invalid("the flavor is empty");
  if (!is_valid_flavor(flavor)) return invalid("the flavor is not lower-case letters and digits");
  const auto flavor_version = parse_non_negative(number);
  if (!flavor_version) return invalid("the flavor version is not a number");
  return DistributionName{*version, std::string(flavor), *flavor_version};
}

std::string DistributionName::to_string() const {
  if (is_upstream()) return version.to_string();
  return version.to_string() + "-" + flavor + "-v" + std::to_string(flavor_version);
}

std::string DistributionName::group() const { return version.minor_string() + "-" + flavor; }

bool DistributionName::same_group(const DistributionName& other) const {
  return MinorVersion::of(version) == MinorVersion::of(other.version) && flavor == other.flavor;
}

std::strong_ordering DistributionName::operator<=>(const DistributionName& other) const {
  if (auto order = version <=> other.version; order != 0) return order;
  if (auto order = flavor <=> other.flavor; order != 0) return order;
  return flavor_version <=> other.flavor_version;
}

}  // namespace getmesh
