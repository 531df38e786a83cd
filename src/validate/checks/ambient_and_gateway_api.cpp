#include "validate/checks/checks.hpp"
#include "validate/checks/membership.hpp"
#include "validate/checks/routes.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate {

namespace {

constexpr std::string_view kGatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

// IST0166: a selector that picks a Gateway API gateway's pods, which only targetRefs can configure.
void check_gateway_api_selectors(const CheckContext& context) {
  for (const auto kind : {Kind::kAuthorizationPolicy, Kind::kRequestAuthentication,
                          Kind::kTelemetry, Kind::kWasmPlugin}) {
    for (const auto* policy : context.index.of_kind(kind)) {
      const auto& selector = policy->spec()["selector"]["matchLabels"];
      if (selector.empty() || policy->spec().has("targetRef") || policy->spec().has("targetRefs"))
        continue;
      for (const auto* workload : context.index.select(policy->namespace_, selector.string_map())) {
        const auto* gateway = workload->label(kGatewayNameLabel);
        if (gateway == nullptr) continue;
        context.sink.add(*policy, "IST0166",
                         "Ineffective selector on " + std::string(kind_name(kind)) + " " +
                             qualified(*policy) + ": it selects the pods of Gateway " +
                             quote(*gateway) +
                             ", which only targetRefs can configure; use targetRefs",
                         selector.line());
        break;
      }
    }
  }
}

// IST0167: Sidecars do nothing for workloads in ambient mode.
void check_ambient_sidecars(const CheckContext& context) {
  for (const auto* sidecar : context.index.of_kind(Kind::kSidecar)) {
    const auto& selector = sidecar->spec()["workloadSelector"]["labels"];
    const auto* ns = context.index.find(Kind::kNamespace, "", sidecar->namespace_);
    bool ambient = selector.empty() && ns != nullptr && ambient_namespace(*ns);
    if (!selector.empty()) {
      for (const auto* workload :
           context.index.select(sidecar->namespace_, selector.string_map())) {
        ambient = ambient || in_ambient(context.index, *workload);
      }
    }
    if (!ambient) continue;
    context.sink.add(*sidecar, "IST0167",
                     "The Sidecar " + qualified(*sidecar) +
                         " is ineffective: the workloads it applies to run in ambient mode, which "
                         "has no sidecars");
  }
}

bool routes_on_jwt_claims(const Resource& service) {
  bool claims = false;
  service.spec()["http"].for_each_item([&](const Node& rule) {
    rule["match"].for_each_item([&](const Node& match) {
      for (const char* field : {"headers", "withoutHeaders"}) {
        for (const auto& entry : match[field].entries())
          claims = claims || entry.key.starts_with("@request.auth.claims");
      }
    });
  });
  return claims;
}

// IST0149: JWT claim routing on a gateway whose pods no RequestAuthentication covers.
void check_jwt_claim_routing(const CheckContext& context) {
  if (!context.index.knows_workloads()) return;
  const auto& root = context.mesh().root_namespace;
  const auto authenticated = [&](const Workload& workload) {
    for (const auto& ns : {root, workload.namespace_}) {
      for (const auto* policy : context.index.in_namespace(Kind::kRequestAuthentication, ns)) {
        const auto selector = policy->spec()["selector"]["matchLabels"].string_map();
        if ((ns == workload.namespace_ || selector.empty()) &&
            selector_matches(selector, workload.labels))
          return true;
      }
    }
    return false;
  };
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    if (!routes_on_jwt_claims(*service)) continue;
    for (const auto& ref : gateway_refs(*service, false)) {
      const auto* gateway = context.index.find(Kind::kGateway, ref.namespace_, ref.name);
      if (gateway == nullptr) continue;
      for (const auto* workload :
           context.index.select("", gateway->spec()["selector"].string_map())) {
        if (authenticated(*workload)) continue;
        context.sink.add(*service, "IST0149",
                         "This route has a JWT claim based routing on gateway " + ref.text +
                             " but no RequestAuthentication "
                             "applies to its pod " +
                             workload->namespace_ + "/" + workload->resource->name +
                             "; the claims are never verified and the routes never match",
                         ref.node->line());
      }
    }
  }
}

}  // namespace

void check_ambient_and_gateway_api(const CheckContext& context) {
  check_gateway_api_selectors(context);
  check_ambient_sidecars(context);
  check_jwt_claim_routing(context);
}

}  // namespace getmesh::validate
