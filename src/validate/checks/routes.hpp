#pragma once

#include "validate/index.hpp"

#include <getmesh/validate/resource.hpp>

#include <string>
#include <vector>

namespace getmesh::validate {

// One destination of a VirtualService route or mirror, with where it is written.
struct RouteDestination {
  const Node* node = nullptr;  // the destination map
  std::string host;
  std::string subset;
  std::optional<std::int64_t> port;
  bool mirror = false;
  std::string path;  // "spec.http[0].route[1].destination"
};

// Every route destination (http, tcp, tls) and mirror of a VirtualService, in document order.
std::vector<RouteDestination> route_destinations(const Resource& virtual_service);

// A gateway reference of a VirtualService resolved to (namespace, name); "mesh" is left out.
struct GatewayRef {
  const Node* node = nullptr;
  std::string text;
  std::string namespace_;
  std::string name;
};
// spec.gateways and http[].match[].gateways.
std::vector<GatewayRef> gateway_refs(const Resource& virtual_service, bool include_match_gateways);

// Whether a reference names a gateway Istio generates for a Kubernetes Gateway (IST0165 reports
// those; the other gateway checks leave them alone).
bool internal_gateway_ref(const GatewayRef& ref);

// The Kubernetes Gateway API Gateway (gateway.networking.k8s.io) `namespace_/name`, of whatever
// kind the input loads it as; nullptr when there is none.
const Resource* kubernetes_gateway(const ResourceIndex& index, std::string_view namespace_,
                                   std::string_view name);

}  // namespace getmesh::validate
