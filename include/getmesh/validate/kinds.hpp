#pragma once

#include <getmesh/validate/resource.hpp>

#include <optional>
#include <span>
#include <string_view>

namespace getmesh::validate {

// One (group, version, kind) config-validate accepts. Istio kinds list every version the upstream
// CRDs serve, Gateway API kinds every version the v1.6.1 standard channel serves (tests check both
// against the CRD bundles); Kubernetes kinds their stable version.
struct AcceptedKind {
  std::string_view group;  // "" for the Kubernetes core group
  std::string_view version;
  std::string_view kind;
  Kind id;
  bool istio;
};

std::span<const AcceptedKind> accepted_kinds();

// What a document's apiVersion and kind denote.
struct Classified {
  enum class Status { kKnown, kUnknownKind, kUnservedVersion } status = Status::kUnknownKind;
  Kind kind = Kind::kVirtualService;
};
Classified classify(std::string_view api_version, std::string_view kind);

// Kinds whose objects live in a namespace (all but Namespace and GatewayClass).
bool is_namespaced(Kind kind);

// Istio's configuration kinds (not the Kubernetes kinds the checks read).
bool is_istio(Kind kind);

// The Kubernetes Gateway API kinds (gateway.networking.k8s.io).
bool is_gateway_api(Kind kind);

}  // namespace getmesh::validate
