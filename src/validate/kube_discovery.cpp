#include "validate/kube_discovery.hpp"

#include <getmesh/validate/kinds.hpp>

#include <future>
#include <map>
#include <set>
#include <utility>

namespace getmesh::validate {

namespace {

using nlohmann::json;

// `document[key]` when it is an array, else an empty one (the server's JSON is not trusted).
const json& array_at(const json& document, const char* key) {
  static const json kEmpty = json::array();
  if (!document.is_object()) return kEmpty;
  const auto found = document.find(key);
  return found != document.end() && found->is_array() ? *found : kEmpty;
}

std::string text_at(const json& document, const char* key) {
  if (!document.is_object()) return {};
  const auto found = document.find(key);
  return found != document.end() && found->is_string() ? found->get<std::string>() : "";
}

std::string group_version_of(const AcceptedKind& accepted) {
  return accepted.group.empty() ? std::string(accepted.version)
                                : std::string(accepted.group) + "/" + std::string(accepted.version);
}

// The group versions the cluster offers: the core "v1" and every version /apis lists.
Result<std::set<std::string>> offered_group_versions(const kube::Client& client) {
  auto groups = client.get("/apis");
  if (!groups) return groups.error();
  std::set<std::string> offered = {"v1"};
  for (const auto& group : array_at(*groups, "groups")) {
    for (const auto& version : array_at(group, "versions")) {
      offered.insert(text_at(version, "groupVersion"));
    }
  }
  return offered;
}

}  // namespace

Result<Discovery> discover_kinds(const kube::Client& client) {
  auto offered = offered_group_versions(client);
  if (!offered) return offered.error();
  // The resource lists of the accepted group versions the cluster offers (and of every version of
  // the versioned CRD group), fetched concurrently.
  std::set<std::string> wanted;
  for (const auto& accepted : accepted_kinds()) {
    const auto group_version = group_version_of(accepted);
    if (offered->contains(group_version)) wanted.insert(group_version);
  }
  const auto versioned_prefix = std::string(kVersionedCrdGroup) + "/";
  for (const auto& group_version : *offered) {
    if (group_version.starts_with(versioned_prefix)) wanted.insert(group_version);
  }
  std::map<std::string, std::future<Result<std::optional<json>>>> lists;
  for (const auto& group_version : wanted) {
    const auto path = group_version == "v1" ? std::string("/api/v1") : "/apis/" + group_version;
    lists.emplace(group_version, std::async(std::launch::async, [&client, path] {
                    return client.get_if_exists(path);
                  }));
  }
  Discovery discovery;
  std::map<std::pair<std::string, std::string>, std::string> resource_of;
  for (auto& [group_version, future] : lists) {
    auto list = future.get();
    if (!list) return list.error();
    if (!*list) continue;  // removed since /apis answered
    for (const auto& resource : array_at(**list, "resources")) {
      const auto name = text_at(resource, "name");
      if (name.empty() || name.find('/') != std::string::npos) continue;  // subresources
      resource_of.emplace(std::pair(group_version, text_at(resource, "kind")), name);
      if (group_version.starts_with(versioned_prefix)) {
        auto& crd = discovery.crd_versions[name + "." + std::string(kVersionedCrdGroup)];
        crd.kind = text_at(resource, "kind");
        crd.versions.push_back(group_version.substr(versioned_prefix.size()));
      }
    }
  }
  auto& served = discovery.kinds;
  for (const auto& accepted : accepted_kinds()) {
    auto& slot = served[static_cast<std::size_t>(accepted.id)];
    if (slot) continue;
    const auto group_version = group_version_of(accepted);
    const auto found = resource_of.find({group_version, std::string(accepted.kind)});
    if (found != resource_of.end()) slot = ServedKind{group_version, found->second};
  }
  return discovery;
}

}  // namespace getmesh::validate
