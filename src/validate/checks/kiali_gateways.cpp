#include "validate/checks/checks.hpp"

#include <map>
#include <set>
#include <unordered_map>

namespace getmesh::validate {

namespace {

struct ServerHosts {
  const Resource* gateway;
  std::vector<std::string> hosts;  // without the "ns/" part
};

std::string dns_part(const std::string& host) {
  const auto slash = host.find('/');
  return slash == std::string::npos ? host : host.substr(slash + 1);
}

}  // namespace

void check_kiali_gateways(const CheckContext& context) {
  std::unordered_map<std::string, std::vector<ServerHosts>> by_selector_port;
  for (const auto* gateway : context.index.of_kind(Kind::kGateway)) {
    const auto selector = gateway->spec()["selector"].string_map();
    const auto key = selector_text(selector);
    gateway->spec()["servers"].for_each_item([&](const Node& server) {
      ServerHosts entry{gateway, {}};
      for (const auto& host : server["hosts"].strings()) entry.hosts.push_back(dns_part(host));
      by_selector_port[key + "|" + server["port"]["number"].str()].push_back(std::move(entry));
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
  for (const auto& [key, servers] : by_selector_port) {
    for (std::size_t i = 0; i < servers.size(); ++i) {
      for (std::size_t j = i + 1; j < servers.size(); ++j) {
        if (servers[i].gateway == servers[j].gateway) continue;
        bool overlapping = false;
        for (const auto& a : servers[i].hosts) {
          for (const auto& b : servers[j].hosts) overlapping = overlapping || hosts_overlap(a, b);
        }
        if (!overlapping) continue;
        for (const auto* gateway : {servers[i].gateway, servers[j].gateway}) {
          if (reported.insert(gateway).second) {
            context.sink.add(*gateway, "KIA0301",
                             "More than one Gateway for the same host port combination");
          }
        }
      }
    }
  }
}

}  // namespace getmesh::validate
