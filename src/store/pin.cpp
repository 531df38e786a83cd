#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/store/pin.hpp>

#include <system_error>

namespace getmesh::store {

Result<std::optional<Pin>> find_pin(const std::filesystem::path& directory) {
  std::error_code error;
  for (auto current = directory; !current.empty(); current = current.parent_path()) {
    const auto candidate = current / kPinFileName;
    if (std::filesystem::is_regular_file(candidate, error)) {
      auto text = read_file(candidate);
      if (!text) return text.error();
      const auto content = trim(*text);
      auto name = DistributionName::parse(content);
      if (!name || name->is_upstream()) {
        return runtime_error(candidate.string() + " does not hold a distribution name (found " +
                                 quote(content.substr(0, 80)) + ")",
                             "write one name such as 1.29.8-istio-v0 into it, or remove the file");
      }
      return std::optional<Pin>(Pin{candidate, *name});
    }
    if (current == current.root_path()) break;
  }
  return std::optional<Pin>();
}

}  // namespace getmesh::store
