#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/store/pin.hpp>

#include <cctype>
#include <sys/stat.h>
#include <unistd.h>

namespace getmesh::store {

namespace {

// Whether anyone but `user` could have put `pin` (its lstat) into `directory`.
bool untrusted(const std::filesystem::path& directory, const struct stat& pin, uid_t user) {
  struct stat folder {};
  return ::stat(directory.c_str(), &folder) == 0 && (folder.st_mode & S_IWOTH) != 0 &&
         folder.st_uid != user && pin.st_uid != user;
}

constexpr const char* kPinHint =
    "write one line such as 1.29.8-istio-v0, 1.29.8 or 1.29 into it, or remove the file";

Error not_a_pin(const std::filesystem::path& file, const std::string& why) {
  return runtime_error(file.string() + " " + why, kPinHint);
}

}  // namespace

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
  auto text = trim(content);
  // `v1.29.8`, as tags are written, means 1.29.8 (the command line accepts it too).
  if (text.size() > 1 && (text[0] == 'v' || text[0] == 'V') &&
      std::isdigit(static_cast<unsigned char>(text[1])) != 0) {
    text.remove_prefix(1);
  }
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
  return not_a_pin(file, "does not hold a distribution name, version or minor (found " +
                             quote(text.substr(0, 80)) + ")");
}

Result<PinSearch> find_pin(const std::filesystem::path& directory) {
  return find_pin(directory, ::geteuid());
}

Result<PinSearch> find_pin(const std::filesystem::path& directory, uid_t user) {
  PinSearch search;
  for (auto current = directory; !current.empty(); current = current.parent_path()) {
    const auto candidate = current / kPinFileName;
    struct stat entry {};
    if (::lstat(candidate.c_str(), &entry) == 0) {
      if (untrusted(current, entry, user)) {
        search.ignored.push_back("ignored " + candidate.string() +
                                 ": it belongs to another user and lies in a world-writable "
                                 "directory, where anyone can put files");
      } else {
        auto text = read_regular_file(candidate, kMaxPinBytes);
        if (!text) return runtime_error(text.error().message, kPinHint);
        auto pin = parse_pin(*text, candidate);
        if (!pin) return pin.error();
        search.pin = std::move(*pin);
        return search;
      }
    }
    if (current == current.root_path()) break;
  }
  return search;
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
