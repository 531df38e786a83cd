#include "validate/checks/checks.hpp"

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
}

}  // namespace getmesh::validate
