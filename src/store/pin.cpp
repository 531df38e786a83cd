#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/store/pin.hpp>

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
    "write one name such as 1.29.8-istio-v0 into it, or remove the file";

Error not_a_pin(const std::filesystem::path& file, const std::string& why) {
  return runtime_error(file.string() + " " + why, kPinHint);
}

}  // namespace

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
        auto text = read_file(candidate, kMaxPinBytes, /*regular_only=*/true);
        if (!text) return runtime_error(text.error().message, kPinHint);
        if (text->size() > kMaxPinBytes) {
          return not_a_pin(candidate, "is larger than " + std::to_string(kMaxPinBytes) +
                                          " bytes, so it does not hold a distribution name");
        }
        const auto content = trim(*text);
        auto name = DistributionName::parse(content);
        if (!name || name->is_upstream()) {
          return not_a_pin(candidate, "does not hold a distribution name (found " +
                                          quote(content.substr(0, 80)) + ")");
        }
        search.pin = Pin{candidate, *name};
        return search;
      }
    }
    if (current == current.root_path()) break;
  }
  return search;
}

}  // namespace getmesh::store
