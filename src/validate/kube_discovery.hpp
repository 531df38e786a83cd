#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/validate/resource.hpp>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh::validate {

// Where a cluster serves a kind: "networking.istio.io/v1" (or "v1" for the core group) and the
// resource name ("virtualservices").
struct ServedKind {
  std::string group_version;
  std::string resource;
};
using ServedKinds = std::array<std::optional<ServedKind>, kKindCount>;

// What discovery tells: where each kind is served, and which versions the Gateway API CRDs serve.
struct Discovery {
  ServedKinds kinds;
  // CRD name ("httproutes.gateway.networking.k8s.io") → its kind and served versions, for the
  // groups of kVersionedCrdGroups. CRDs are read as metadata; this fills in their versions.
  struct CrdVersions {
    std::string kind;
    std::vector<std::string> versions;
  };
  std::map<std::string, CrdVersions> crd_versions;
};

// Groups whose CRDs' served versions the checks read (IST0156, IST0172).
inline constexpr std::string_view kVersionedCrdGroup = "gateway.networking.k8s.io";

// Asks the cluster's discovery API which kinds it serves, choosing for each kind the first of its
// accepted versions (accepted_kinds() order: newest first) that is served. Kinds of groups that
// are not installed stay empty.
Result<Discovery> discover_kinds(const kube::Client& client);

}  // namespace getmesh::validate
