#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/kube/client.hpp>
#include <getmesh/validate/resource.hpp>

#include <array>
#include <optional>
#include <string>

namespace getmesh::validate {

// Where a cluster serves a kind: "networking.istio.io/v1" (or "v1" for the core group) and the
// resource name ("virtualservices").
struct ServedKind {
  std::string group_version;
  std::string resource;
};
using ServedKinds = std::array<std::optional<ServedKind>, kKindCount>;

// Asks the cluster's discovery API which kinds it serves, choosing for each kind the first of its
// accepted versions (accepted_kinds() order: newest first) that is served. Kinds of groups that
// are not installed stay empty.
Result<ServedKinds> discover_kinds(const kube::Client& client);

}  // namespace getmesh::validate
