#include <getmesh/validate/source.hpp>

#include <array>
#include <unordered_map>

namespace getmesh::validate {

std::span<const Kind> cluster_kinds() {
  static constexpr std::array<Kind, kKindCount> kAll = [] {
    std::array<Kind, kKindCount> kinds{};
    for (std::size_t i = 0; i < kKindCount; ++i) kinds[i] = static_cast<Kind>(i);
    return kinds;
  }();
  return kAll;
}

std::vector<Resource> overlay(std::vector<Resource> cluster, std::vector<Resource> files) {
  const auto key = [](const Resource& resource) {
    return std::to_string(static_cast<int>(resource.kind)) + "|" + resource.namespace_ + "|" +
           resource.name;
  };
  std::unordered_map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < cluster.size(); ++i) position.emplace(key(cluster[i]), i);
  for (auto& resource : files) {
    if (const auto found = position.find(key(resource)); found != position.end()) {
      cluster[found->second] = std::move(resource);
    } else {
      position.emplace(key(resource), cluster.size());
      cluster.push_back(std::move(resource));
    }
  }
  return cluster;
}

}  // namespace getmesh::validate
