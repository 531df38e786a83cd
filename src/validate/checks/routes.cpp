#include "validate/checks/routes.hpp"

#include "validate/schema/report.hpp"

namespace getmesh::validate {

namespace {

void add(std::vector<RouteDestination>& out, const Node& destination, std::string path,
         bool mirror) {
  if (!destination.is_map()) return;
  out.push_back({&destination, destination["host"].str(), destination["subset"].str(),
                 destination["port"]["number"].as_int(), mirror, std::move(path)});
}

}  // namespace

std::vector<RouteDestination> route_destinations(const Resource& virtual_service) {
  std::vector<RouteDestination> out;
  const auto& spec = virtual_service.spec();
  for (const char* section : {"http", "tcp", "tls"}) {
    std::size_t rule_index = 0;
    spec[section].for_each_item([&](const Node& rule) {
      const auto rule_path = schema::item(std::string("spec.") + section, rule_index++);
      std::size_t route_index = 0;
      rule["route"].for_each_item([&](const Node& route) {
        add(out, route["destination"],
            schema::item(rule_path + ".route", route_index++) + ".destination", false);
      });
      add(out, rule["mirror"], rule_path + ".mirror", true);
      std::size_t mirror_index = 0;
      rule["mirrors"].for_each_item([&](const Node& mirror) {
        add(out, mirror["destination"],
            schema::item(rule_path + ".mirrors", mirror_index++) + ".destination", true);
      });
    });
  }
  return out;
}

std::vector<GatewayRef> gateway_refs(const Resource& virtual_service, bool include_match_gateways) {
  std::vector<GatewayRef> refs;
  const auto add_ref = [&](const Node& node) {
    const auto& text = node.str();
    if (text.empty() || text == "mesh") return;
    const auto slash = text.find('/');
    if (slash == std::string::npos) {
      refs.push_back({&node, text, virtual_service.namespace_, text});
    } else {
      refs.push_back({&node, text, text.substr(0, slash), text.substr(slash + 1)});
    }
  };
  const auto& spec = virtual_service.spec();
  spec["gateways"].for_each_item(add_ref);
  if (include_match_gateways) {
    spec["http"].for_each_item([&](const Node& rule) {
      rule["match"].for_each_item(
          [&](const Node& match) { match["gateways"].for_each_item(add_ref); });
    });
  }
  return refs;
}

const Resource* find_gateway(const ResourceIndex& index, std::string_view ns,
                             std::string_view name) {
  if (const auto* gateway = index.find(Kind::kGateway, ns, name)) return gateway;
  return index.find(Kind::kKubernetesGateway, ns, name);
}

}  // namespace getmesh::validate
