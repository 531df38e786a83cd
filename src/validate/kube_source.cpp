#include "validate/json_node.hpp"
#include "validate/kube_discovery.hpp"

#include <getmesh/validate/kinds.hpp>
#include <getmesh/validate/kube_source.hpp>

#include <future>
#include <utility>

namespace getmesh::validate {

namespace {

using Items = Result<std::vector<nlohmann::json>>;

// A listed item as a Resource. List items may lack apiVersion and kind; managedFields and status
// are dropped (no check reads them, and they are most of a big cluster's bytes).
Resource resource_from_item(Kind kind, const std::string& api_version, nlohmann::json item) {
  item["apiVersion"] = api_version;
  item["kind"] = std::string(kind_name(kind));
  item.erase("status");
  if (item.contains("metadata") && item["metadata"].is_object()) {
    item["metadata"].erase("managedFields");
  }
  Resource resource;
  resource.kind = kind;
  resource.api_version = api_version;
  resource.document = node_from_json(item);
  const auto& metadata = resource.metadata();
  resource.name = metadata["name"].str();
  if (is_namespaced(kind)) resource.namespace_ = metadata["namespace"].str();
  resource.labels = metadata["labels"].string_map();
  resource.annotations = metadata["annotations"].string_map();
  return resource;
}

std::string secrets_warning(const Error& error) {
  return error.message +
         "; Gateway credentialName references are not checked against the cluster's Secrets";
}

}  // namespace

Result<ClusterState> KubeResourceSource::read(std::span<const Kind> kinds) {
  auto served = discover_kinds(client_);
  if (!served) return served.error();
  ClusterState state;
  struct Pending {
    Kind kind;
    std::string api_version;
    std::future<Items> items;
  };
  std::vector<Pending> pending;
  for (const auto kind : kinds) {
    const auto& where = (*served)[static_cast<std::size_t>(kind)];
    if (!where) {
      state.complete.set(static_cast<std::size_t>(kind));  // not served: there are none
      continue;
    }
    state.serves_istio = state.serves_istio || is_istio(kind);
    kube::ListOptions options;
    options.metadata_only = kind == Kind::kSecret;
    auto path = kube::resource_path(where->group_version, where->resource);
    pending.push_back({kind, where->group_version,
                       std::async(std::launch::async, [this, path = std::move(path), options] {
                         return client_.list(path, options);
                       })});
  }
  for (auto& [kind, api_version, future] : pending) {
    auto items = future.get();
    if (!items) {
      if (kind == Kind::kSecret && items.error().http_status == 403) {
        state.warnings.push_back(secrets_warning(items.error()));
        continue;
      }
      return items.error();
    }
    state.complete.set(static_cast<std::size_t>(kind));
    for (auto& item : *items) {
      state.resources.push_back(resource_from_item(kind, api_version, std::move(item)));
    }
  }
  return state;
}

}  // namespace getmesh::validate
