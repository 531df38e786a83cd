// Conflicting listeners of a Gateway (its own and those of its ListenerSets): listeners sharing a
// port must use compatible protocols and distinct hostnames, else Istio marks the later ones
// Conflicted (IST0171).
#include "validate/checks/checks.hpp"
#include "validate/checks/gateway_api.hpp"

#include <map>

namespace getmesh::validate {

namespace {

// Protocols that can share a port: HTTPS and TLS tell hosts apart by SNI; TCP and UDP differ in
// transport. Anything else shares only with itself.
std::string family(const std::string& protocol) {
  if (protocol == "HTTPS" || protocol == "TLS") return "TLS";
  return protocol;
}

bool compatible(const std::string& a, const std::string& b) {
  const auto fa = family(a);
  const auto fb = family(b);
  return fa == fb || (fa == "TCP" && fb == "UDP") || (fa == "UDP" && fb == "TCP");
}

std::string describe(const Listener& listener, const Resource& gateway) {
  std::string text = "listener " + listener.name + " (" + listener.protocol;
  if (!listener.hostname.empty()) text += " " + listener.hostname;
  text += ")";
  if (listener.owner != &gateway) text += " of ListenerSet " + qualified(*listener.owner);
  return text;
}

void check_gateway_listeners(const CheckContext& context, const Resource& gateway) {
  std::map<std::int64_t, std::vector<Listener>> by_port;
  for (auto& listener : listeners_of(context.index, gateway)) {
    if (listener.port > 0) by_port[listener.port].push_back(std::move(listener));
  }
  for (const auto& [port, listeners] : by_port) {
    for (std::size_t i = 1; i < listeners.size(); ++i) {
      const auto& later = listeners[i];
      for (std::size_t j = 0; j < i; ++j) {
        const auto& earlier = listeners[j];
        const auto other = describe(earlier, gateway);
        const auto port_text = "port " + std::to_string(port);
        if (!compatible(earlier.protocol, later.protocol)) {
          predict_condition(
              context, *later.owner, later.node->line(),
              "Conflicted=True (ProtocolConflict) for " + describe(later, *later.owner),
              "its protocol cannot share " + port_text + " with " + other + "; use another port");
          break;
        }
        // Identical port, protocol and hostname in one object is already a schema error.
        const bool duplicate = earlier.owner == later.owner && earlier.protocol == later.protocol;
        if (family(earlier.protocol) == family(later.protocol) &&
            earlier.hostname == later.hostname && !duplicate) {
          predict_condition(
              context, *later.owner, later.node->line(),
              "Conflicted=True (HostnameConflict) for " + describe(later, *later.owner),
              "it serves the same hostname on " + port_text + " as " + other +
                  "; give the listeners distinct hostnames");
          break;
        }
      }
    }
  }
}

}  // namespace

void check_gateway_api_listeners(const CheckContext& context) {
  for (const auto* gateway : context.index.of_kind(Kind::kKubernetesGateway))
    check_gateway_listeners(context, *gateway);
}

}  // namespace getmesh::validate
