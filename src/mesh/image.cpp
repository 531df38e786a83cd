#include <getmesh/core/strings.hpp>
#include <getmesh/mesh/image.hpp>

namespace getmesh::mesh {

namespace {

// `1.29.8`, `1.18.2-tetrate-v0`, `1.16.7-tetratefips0` (variant suffix already removed).
std::optional<DistributionName> parse_tag(std::string_view tag) {
  if (tag.starts_with("v")) tag.remove_prefix(1);
  const auto dash = tag.find('-');
  auto version = Version::parse(tag.substr(0, dash));
  if (!version) return std::nullopt;
  if (dash == std::string_view::npos)
    return DistributionName{*version, std::string(kFlavorIstio), 0};
  const auto rest = tag.substr(dash + 1);
  if (auto name = DistributionName::parse(tag); name && is_known_flavor(name->flavor)) return *name;
  // Tetrate Istio Subscription: <flavor><N> without a dash.
  for (const std::string_view flavor : {kFlavorTetrateFips, kFlavorTetrate}) {
    if (rest.starts_with(flavor)) {
      if (auto number = parse_non_negative(rest.substr(flavor.size()))) {
        return DistributionName{*version, std::string(flavor), *number};
      }
    }
  }
  return std::nullopt;
}

bool is_fips_tag(std::string_view tag) {
  for (const auto& part : split(tag, '-')) {
    if (part == "fips" || part.starts_with(kFlavorTetrateFips)) return true;
  }
  return false;
}

}  // namespace

ImageVersion parse_image(std::string_view image) {
  ImageVersion parsed;
  if (const auto at = image.find('@'); at != std::string_view::npos) image = image.substr(0, at);
  const auto slash = image.rfind('/');
  const auto colon = image.rfind(':');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) {
    return parsed;  // no tag
  }
  std::string_view tag = image.substr(colon + 1);
  parsed.tag = std::string(tag);
  for (const std::string_view variant : {"distroless", "debug"}) {
    const std::string suffix = "-" + std::string(variant);
    if (tag.ends_with(suffix)) {
      parsed.variant = std::string(variant);
      tag.remove_suffix(suffix.size());
    }
  }
  parsed.name = parse_tag(tag);
  parsed.fips = (parsed.name && parsed.name->flavor == kFlavorTetrateFips) || is_fips_tag(tag);
  return parsed;
}

std::optional<DistributionName> parse_version_label(std::string_view text) {
  return parse_tag(trim(text));
}

std::string describe(const ImageVersion& image) {
  if (image.name) return image.name->to_string();
  return image.tag.empty() ? std::string("unknown") : image.tag;
}

}  // namespace getmesh::mesh
