#include "validate/json_node.hpp"
#include "validate/kube_discovery.hpp"

#include <getmesh/validate/kinds.hpp>
#include <getmesh/validate/kube_source.hpp>

#include <future>
#include <iterator>
#include <set>
#include <utility>

namespace getmesh::validate {

namespace {

using Items = Result<std::vector<nlohmann::json>>;
using nlohmann::json;

// Of `status`, only what checks read is kept: conditions (IST0171) and allocated addresses
// (IST0134). The rest is most of a big cluster's bytes.
json status_read_by_checks(const json& status) {
  json kept = json::object();
  if (!status.is_object()) return kept;
  for (const char* key : {"conditions", "addresses"}) {
    if (const auto found = status.find(key); found != status.end()) kept[key] = *found;
  }
  if (const auto found = status.find("parents"); found != status.end() && found->is_array()) {
    kept["parents"] = json::array();
    for (const auto& parent : *found) {
      if (!parent.is_object()) continue;
      kept["parents"].push_back({{"parentRef", parent.value("parentRef", json::object())},
                                 {"conditions", parent.value("conditions", json::array())}});
    }
  }
  return kept;
}

// Kinds read without their data or spec: Secrets (never their data), CRDs (their schemas are
// megabytes; the versions come from discovery), Nodes (only their labels are used) and
// ServiceAccounts (only their names are).
bool metadata_only(Kind kind) {
  return kind == Kind::kSecret || kind == Kind::kCustomResourceDefinition || kind == Kind::kNode ||
         kind == Kind::kServiceAccount;
}

// A listed item as a Resource. List items may lack apiVersion and kind; managedFields are dropped.
Resource resource_from_item(Kind kind, const std::string& api_version, json item) {
  item["apiVersion"] = api_version;
  item["kind"] = std::string(kind_name(kind));
  const bool workload = kind == Kind::kPod || kind == Kind::kDeployment;  // no check reads theirs
  if (const auto status = item.find("status"); status != item.end()) {
    auto kept = workload ? json::object() : status_read_by_checks(*status);
    if (kept.empty()) {
      item.erase(status);
    } else {
      *status = std::move(kept);
    }
  }
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
  resource.metadata_only = metadata_only(kind);
  return resource;
}

// Kinds a user may be forbidden to list (Kubernetes' `view` role reads none of them) without the
// run failing: what is not checked then.
std::optional<std::string_view> weakened_without(Kind kind) {
  switch (kind) {
    case Kind::kSecret:
      return "Gateway credentialName references are not checked against the cluster's Secrets";
    case Kind::kConfigMap:
      return "the injector and mesh configuration are not read: IST0126, IST0148 and IST0158 "
             "are not checked and Istio's default mesh settings are assumed";
    case Kind::kMutatingWebhookConfiguration:
      return "the injection webhooks are not checked (IST0139, IST0146, IST0163, IST0164)";
    case Kind::kValidatingWebhookConfiguration:
      return "the validation webhooks are not checked (IST0163, IST0164)";
    case Kind::kCustomResourceDefinition:
      return "the Gateway API CRD versions are not checked (IST0156, IST0172, IST0176)";
    case Kind::kNode:
      return "DestinationRule subsets selecting topology labels are not checked (IST0173)";
    case Kind::kServiceAccount:
      return "AuthorizationPolicy principals and WorkloadGroup service accounts are not checked "
             "(KIA0106, KIA0108, KIA1701)";
    default:
      return std::nullopt;
  }
}

// Where istiod runs (istio-system unless a Deployment labelled app=istiod says otherwise) and the
// names of its ConfigMaps: `istio` and `istio-sidecar-injector`, with `-<revision>` suffixes.
struct ControlPlaneConfigMaps {
  std::set<std::string> namespaces{"istio-system"};
  std::set<std::string> names{"istio", "istio-sidecar-injector"};
  explicit ControlPlaneConfigMaps(const std::vector<Resource>& resources) {
    for (const auto& resource : resources) {
      const auto* app = resource.label("app");
      if (resource.kind != Kind::kDeployment || app == nullptr || *app != "istiod") continue;
      namespaces.insert(resource.namespace_);
      const auto* revision = resource.label("istio.io/rev");
      if (revision == nullptr || revision->empty() || *revision == "default") continue;
      names.insert("istio-" + *revision);
      names.insert("istio-sidecar-injector-" + *revision);
    }
  }
};

// A CRD read as metadata, with the group, kind and served versions discovery reported.
void add_served_versions(Resource& crd, const Discovery& discovery) {
  const auto found = discovery.crd_versions.find(crd.name);
  if (found == discovery.crd_versions.end()) return;
  json spec = {{"group", std::string(kVersionedCrdGroup)},
               {"names", {{"kind", found->second.kind}}},
               {"versions", json::array()}};
  for (const auto& version : found->second.versions)
    spec["versions"].push_back({{"name", version}, {"served", true}});
  Node document = Node::map(0);
  for (const auto& entry : crd.document.entries()) document.insert(entry.key, entry.value);
  document.insert("spec", node_from_json(spec));
  crd.document = std::move(document);
}

}  // namespace

Result<ClusterState> KubeResourceSource::read(std::span<const Kind> kinds) {
  auto discovery = discover_kinds(client_);
  if (!discovery) return discovery.error();
  ClusterState state;
  struct Pending {
    Kind kind;
    std::string api_version;
    std::future<Items> items;
  };
  // A failed list of an optional kind leaves it incomplete with a warning; of others it fails.
  const auto settle = [&state](Pending& pending) -> Status {
    auto items = pending.items.get();
    if (!items) {
      const auto weakened = weakened_without(pending.kind);
      if (!weakened || items.error().http_status != 403) return items.error();
      state.warnings.push_back(items.error().message + "; " + std::string(*weakened));
      return {};
    }
    state.complete.set(static_cast<std::size_t>(pending.kind));
    for (auto& item : *items) {
      state.resources.push_back(
          resource_from_item(pending.kind, pending.api_version, std::move(item)));
    }
    return {};
  };
  const auto list = [this](const std::string& path, Kind kind) {
    kube::ListOptions options;
    options.metadata_only = metadata_only(kind);
    return std::async(std::launch::async,
                      [this, path, options] { return client_.list(path, options); });
  };

  std::vector<Pending> pending;
  bool config_maps = false;
  for (const auto kind : kinds) {
    const auto& where = discovery->kinds[static_cast<std::size_t>(kind)];
    if (!where) {
      state.complete.set(static_cast<std::size_t>(kind));  // not served: there are none
      continue;
    }
    state.serves_istio = state.serves_istio || is_istio(kind);
    if (kind == Kind::kConfigMap) {
      config_maps = true;  // read once istiod's namespaces are known
      continue;
    }
    pending.push_back({kind, where->group_version,
                       list(kube::resource_path(where->group_version, where->resource), kind)});
  }
  for (auto& each : pending) {
    if (auto settled = settle(each); !settled) return settled.error();
  }
  for (auto& resource : state.resources) {
    if (resource.kind == Kind::kCustomResourceDefinition) add_served_versions(resource, *discovery);
  }
  if (config_maps) {
    // Only istiod's own ConfigMaps are kept: the checks read nothing else.
    const ControlPlaneConfigMaps wanted(state.resources);
    std::vector<Pending> lists;
    for (const auto& ns : wanted.namespaces) {
      lists.push_back({Kind::kConfigMap, "v1",
                       list(kube::resource_path("v1", "configmaps", ns), Kind::kConfigMap)});
    }
    const auto first = state.resources.size();
    for (auto& each : lists) {
      if (auto settled = settle(each); !settled) return settled.error();
    }
    std::vector<Resource> listed(
        std::make_move_iterator(state.resources.begin() + static_cast<std::ptrdiff_t>(first)),
        std::make_move_iterator(state.resources.end()));
    state.resources.resize(first);
    for (auto& config_map : listed) {
      if (wanted.names.contains(config_map.name)) state.resources.push_back(std::move(config_map));
    }
  }
  return state;
}

Result<std::optional<Resource>> KubeResourceSource::read_secret(const std::string& namespace_,
                                                                const std::string& name) {
  auto secret = client_.get_if_exists(kube::resource_path("v1", "secrets", namespace_, name));
  if (!secret) return secret.error();
  if (!*secret) return std::optional<Resource>();
  auto resource = resource_from_item(Kind::kSecret, "v1", std::move(**secret));
  resource.metadata_only = false;
  return std::optional<Resource>(std::move(resource));
}

}  // namespace getmesh::validate
