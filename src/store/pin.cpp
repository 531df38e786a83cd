#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/store/pin.hpp>

#include <system_error>

namespace getmesh::store {

bool Pin::matches(const DistributionName& candidate) const {
  switch (kind) {
    case PinKind::kName:
      return candidate == name;
    case PinKind::kVersion:
      return candidate.version == name.version && candidate.flavor == kFlavorIstio;
    case PinKind::kMinor:
      return MinorVersion::of(candidate.version) == MinorVersion::of(name.version) &&
             candidate.flavor == kFlavorIstio;
  }
  return false;
}

std::string Pin::text() const {
  switch (kind) {
    case PinKind::kName:
      return name.to_string();
    case PinKind::kVersion:
      return name.version.to_string();
    case PinKind::kMinor:
      return name.version.minor_string();
  }
  return "";
}

Result<Pin> parse_pin(std::string_view content, const std::filesystem::path& file) {
  const auto text = trim(content);
  Pin pin;
  pin.file = file;
  if (auto name = DistributionName::parse(text); name && !name->is_upstream()) {
    pin.name = *name;
    return pin;
  }
  pin.name.flavor = std::string(kFlavorIstio);
  if (auto version = Version::parse(text)) {
    pin.kind = PinKind::kVersion;
    pin.name.version = *version;
    return pin;
  }
  if (auto minor = MinorVersion::parse(text)) {
    pin.kind = PinKind::kMinor;
    pin.name.version = Version{minor->major, minor->minor, 0};
    return pin;
  }
  return runtime_error(file.string() +
                           " does not hold a distribution name, version or minor (found " +
                           quote(text.substr(0, 80)) + ")",
                       "write one line such as 1.29.8-istio-v0, 1.29.8 or 1.29 into it, or remove "
                       "the file");
}

Result<std::optional<Pin>> find_pin(const std::filesystem::path& directory) {
  std::error_code error;
  for (auto current = directory; !current.empty(); current = current.parent_path()) {
    const auto candidate = current / kPinFileName;
    if (std::filesystem::is_regular_file(candidate, error)) {
      auto text = read_file(candidate);
      if (!text) return text.error();
      auto pin = parse_pin(*text, candidate);
      if (!pin) return pin.error();
      return std::optional<Pin>(std::move(*pin));
    }
    if (current == current.root_path()) break;
  }
  return std::optional<Pin>();
}

std::optional<DistributionName> resolve_pin(const Pin& pin,
                                            const std::vector<DistributionName>& installed) {
  if (pin.kind == PinKind::kName) return pin.name;
  std::optional<DistributionName> newest;
  for (const auto& name : installed) {
    if (pin.matches(name) && (!newest || name > *newest)) newest = name;
  }
  return newest;
}

}  // namespace getmesh::store
