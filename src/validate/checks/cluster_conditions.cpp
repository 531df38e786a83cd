// IST0171: status conditions in which the control plane reports that it could not apply an object.
#include "validate/checks/checks.hpp"

#include <algorithm>
#include <optional>
#include <vector>

namespace getmesh::validate {

namespace {

constexpr std::string_view kGatewayApi = "gateway.networking.k8s.io/";

// Which conditions of an object report trouble when False.
struct Watched {
  std::vector<std::string_view> types;
  bool partially_invalid = false;  // reason PartiallyInvalid counts even when True
  bool per_parent = false;         // routes: status.parents[].conditions
};

std::optional<Watched> watched_conditions(const Resource& resource) {
  const auto kind = resource.document["kind"].str();
  if (resource.api_version.starts_with(kGatewayApi)) {
    const std::vector<std::string_view> types = {"Accepted", "Programmed", "ResolvedRefs"};
    if (kind == "Gateway") return Watched{types, false, false};
    if (kind == "HTTPRoute" || kind == "GRPCRoute") return Watched{types, false, true};
    return std::nullopt;
  }
  switch (resource.kind) {
    case Kind::kService:
    case Kind::kServiceEntry:
    case Kind::kWorkloadEntry:
      return Watched{{"istio.io/WaypointBound"}, false, false};
    case Kind::kAuthorizationPolicy:
      return Watched{{"ZtunnelAccepted", "WaypointAccepted"}, true, false};
    default:
      return std::nullopt;
  }
}

void check_list(const CheckContext& context, const Resource& resource, const Watched& watched,
                const Node& conditions) {
  conditions.for_each_item([&](const Node& condition) {
    const auto& type = condition["type"].str();
    if (std::find(watched.types.begin(), watched.types.end(), type) == watched.types.end()) return;
    const auto& reason = condition["reason"].str();
    if (condition["status"].str() != "False" &&
        !(watched.partially_invalid && reason == "PartiallyInvalid"))
      return;
    context.sink.add(resource, "IST0171",
                     "A condition with a negative status is present: type=" + type +
                         ", reason=" + reason + ", message=" + condition["message"].str() + ".",
                     condition.line());
  });
}

}  // namespace

void check_conditions(const CheckContext& context) {
  for (std::size_t kind = 0; kind < kKindCount; ++kind) {
    for (const auto* resource : context.index.of_kind(static_cast<Kind>(kind))) {
      const auto& status = resource->document["status"];
      if (status.is_null()) continue;
      const auto watched = watched_conditions(*resource);
      if (!watched) continue;
      if (!watched->per_parent) {
        check_list(context, *resource, *watched, status["conditions"]);
        continue;
      }
      status["parents"].for_each_item([&](const Node& parent) {
        check_list(context, *resource, *watched, parent["conditions"]);
      });
    }
  }
}

}  // namespace getmesh::validate
