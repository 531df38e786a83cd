#include "validate/checks/checks.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>

namespace getmesh::validate {

void check_deprecations(const CheckContext& context) {
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    service->spec()["http"].for_each_item([&](const Node& rule) {
      const auto& percent = rule["fault"]["delay"]["percent"];
      if (percent.as_int().value_or(0) > 0) {
        context.sink.add(
            *service, "IST0002",
            "Deprecated: HTTPFaultInjection.Delay.percent is deprecated; use percentage",
            percent.line());
      }
    });
  }
  for (const auto* sidecar : context.index.of_kind(Kind::kSidecar)) {
    const auto& proxy = sidecar->spec()["outboundTrafficPolicy"]["egressProxy"];
    if (!proxy.is_null()) {
      context.sink.add(*sidecar, "IST0002",
                       "Deprecated: OutboundTrafficPolicy.EgressProxy is deprecated", proxy.line());
    }
  }
  // Tracing through a Lightstep extension provider of the mesh config.
  const auto& lightstep = context.mesh().lightstep_providers;
  for (const auto* telemetry : context.index.of_kind(Kind::kTelemetry)) {
    telemetry->spec()["tracing"].for_each_item([&](const Node& tracing) {
      tracing["providers"].for_each_item([&](const Node& provider) {
        if (std::find(lightstep.begin(), lightstep.end(), provider["name"].str()) ==
            lightstep.end())
          return;
        context.sink.add(*telemetry, "IST0002",
                         "Deprecated: The Lightstep provider " + quote(provider["name"].str()) +
                             " is deprecated; use the OpenTelemetry provider instead",
                         provider.line());
      });
    });
  }
}

}  // namespace getmesh::validate
