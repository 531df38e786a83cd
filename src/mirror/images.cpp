#include <getmesh/mirror/mirror.hpp>

#include <array>

namespace getmesh::mirror {

std::string default_hub(std::string_view flavor) {
  return flavor == kFlavorIstio ? "docker.io/istio" : "containers.istio.tetratelabs.com";
}

namespace {

std::string without_trailing_slashes(std::string hub) {
  while (!hub.empty() && hub.back() == '/') hub.pop_back();
  return hub;
}

}  // namespace

std::vector<Image> images(const DistributionName& name, const ImageOptions& options) {
  static constexpr std::array<std::string_view, 2> kControlAndDataPlane = {"pilot", "proxyv2"};
  static constexpr std::array<std::string_view, 2> kAmbient = {"ztunnel", "install-cni"};
  const auto tag = name.flavor == kFlavorIstio ? name.version.to_string() : name.to_string();
  const auto hub =
      options.hub.empty() ? default_hub(name.flavor) : without_trailing_slashes(options.hub);
  const auto target_hub = without_trailing_slashes(options.target_hub);
  std::vector<Image> result;
  const auto add = [&](std::string_view component) {
    const auto reference = "/" + std::string(component) + ":" + tag;
    result.push_back({std::string(component), hub + reference,
                      target_hub.empty() ? "" : target_hub + reference});
  };
  for (const auto component : kControlAndDataPlane) add(component);
  if (options.ambient) {
    for (const auto component : kAmbient) add(component);
  }
  return result;
}

}  // namespace getmesh::mirror
