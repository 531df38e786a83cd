#include "validate/checks/checks.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace getmesh::validate {

namespace {

// A server host of a Gateway, as Kiali's multi-match checker compares them: the DNS name in lower
// case (DNS is case-insensitive) and the namespace the host is exported to (`*` for all, `.`
// replaced by the Gateway's namespace).
struct GatewayHost {
  const Resource* gateway;
  std::string name;
  std::string target_namespace;
};

GatewayHost gateway_host(const Resource& gateway, const std::string& text) {
  GatewayHost host{&gateway, text, "*"};
  if (const auto slash = text.find('/'); slash != std::string::npos) {
    host.target_namespace = text.substr(0, slash);
    if (host.target_namespace == ".") host.target_namespace = gateway.namespace_;
    host.name = text.substr(slash + 1);
  }
  std::transform(host.name.begin(), host.name.end(), host.name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return host;
}

// Whether two hosts of a same selector and port collide: they are exported to a common namespace
// and equal, one is `*` (unless `skip_star`), or one is a wildcard (`*.example.com`) covering the
// other, which is not a wildcard itself.
bool gateway_hosts_collide(const GatewayHost& a, const GatewayHost& b, bool skip_star) {
  if (a.target_namespace != b.target_namespace && a.target_namespace != "*" &&
      b.target_namespace != "*")
    return false;
  if (a.name == "*" || b.name == "*") return !skip_star;
  if (a.name == b.name) return true;
  const bool a_wildcard = a.name.starts_with("*.");
  const bool b_wildcard = b.name.starts_with("*.");
  if (a_wildcard == b_wildcard) return false;
  const auto& wildcard = a_wildcard ? a.name : b.name;
  const auto& name = a_wildcard ? b.name : a.name;
  return name.ends_with(std::string_view(wildcard).substr(1));
}

}  // namespace

void check_kiali_gateways(const CheckContext& context) {
  // KIA0301: hosts grouped by the Gateway's selector and the server's port; a Gateway is reported
  // when one of its hosts collides with another of its group, of another Gateway or its own
  // (Kiali's gateways/multi_match_checker.go), and so is the Gateway of that other host.
  std::unordered_map<std::string, std::vector<GatewayHost>> by_selector_port;
  for (const auto* gateway : context.index.of_kind(Kind::kGateway)) {
    const auto selector = gateway->spec()["selector"].string_map();
    const auto key = selector_text(selector);
    gateway->spec()["servers"].for_each_item([&](const Node& server) {
      auto& group = by_selector_port[key + "|" + server["port"]["number"].str()];
      for (const auto& host : server["hosts"].strings())
        group.push_back(gateway_host(*gateway, host));
    });
    if (context.index.knows_workloads() && !selector.empty() &&
        context.index.select("", selector).empty() &&
        !context.index.assumed_gateway_namespace(selector)) {
      context.sink.add(*gateway, "KIA0302",
                       "No matching workload found for gateway selector in this namespace",
                       gateway->spec()["selector"].line());
    }
  }
  std::set<const Resource*> reported;
  const auto report = [&](const Resource* gateway) {
    if (reported.insert(gateway).second) {
      context.sink.add(*gateway, "KIA0301",
                       "More than one Gateway for the same host port combination");
    }
  };
  const bool skip_star = context.index.options().skip_wildcard_gateway_hosts;
  const auto compare = [&](const GatewayHost& a, const GatewayHost& b) {
    if (&a == &b || !gateway_hosts_collide(a, b, skip_star)) return;
    report(a.gateway);
    report(b.gateway);
  };
  for (const auto& [key, hosts] : by_selector_port) {
    // plain hosts only collide when equal: they are compared within their name's group; a
    // wildcard (`*`, `*.x`) is compared with every host of the selector and port
    std::unordered_map<std::string_view, std::vector<const GatewayHost*>> by_name;
    for (const auto& host : hosts) {
      if (host.name.starts_with("*")) {
        for (const auto& other : hosts) compare(host, other);
      } else {
        by_name[host.name].push_back(&host);
      }
    }
    for (const auto& [name, group] : by_name) {
      for (std::size_t i = 0; i < group.size(); ++i) {
        for (std::size_t j = i + 1; j < group.size(); ++j) compare(*group[i], *group[j]);
      }
    }
  }
}

}  // namespace getmesh::validate
