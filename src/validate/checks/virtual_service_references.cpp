#include "validate/checks/checks.hpp"
#include "validate/checks/routes.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate {

namespace {

std::string port_list(const HostEntry& entry) {
  std::vector<std::string> numbers;
  for (const auto& port : entry.ports) numbers.push_back(std::to_string(port.number));
  return "[" + join(numbers, " ") + "]";
}

void check_destinations(const CheckContext& context, const Resource& service) {
  const auto& index = context.index;
  const bool services_known = index.knows(Kind::kService);
  const auto export_to = service.spec()["exportTo"].strings();
  for (const auto& destination : route_destinations(service)) {
    if (destination.host.empty()) continue;
    const auto line = destination.node->line();
    const std::string prefix = destination.mirror ? "mirror " : "";
    if (!destination.subset.empty() &&
        !index.has_subset(expand_host(destination.host, service.namespace_), destination.subset)) {
      context.sink.add(service, "IST0101",
                       "Referenced " + prefix + "host+subset in destinationrule not found: " +
                           quote(destination.host + "+" + destination.subset),
                       line);
    }
    if (!services_known) continue;
    const auto* entry = index.resolve_host(destination.host, service.namespace_, export_to);
    if (entry == nullptr) {
      context.sink.add(service, "IST0101",
                       "Referenced " + prefix + "host not found: " + quote(destination.host), line);
      continue;
    }
    if (destination.port) {
      bool found = false;
      for (const auto& port : entry->ports) found = found || port.number == *destination.port;
      if (!found && !entry->ports.empty()) {
        context.sink.add(service, "IST0101",
                         "Referenced " + prefix + "host:port not found: " +
                             quote(destination.host + ":" + std::to_string(*destination.port)),
                         line);
      }
    } else if (entry->ports.size() > 1) {
      context.sink.add(service, "IST0112",
                       "This VirtualService routes to a service " + quote(destination.host) +
                           " that exposes multiple ports " + port_list(*entry) +
                           ". Specifying a port in the destination is required to disambiguate.",
                       line);
    }
  }
}

}  // namespace

void check_virtual_service_references(const CheckContext& context) {
  for (const auto* service : context.index.of_kind(Kind::kVirtualService)) {
    for (const auto& ref : gateway_refs(*service, true)) {
      if (!internal_gateway_ref(ref) &&
          context.index.find(Kind::kGateway, ref.namespace_, ref.name) == nullptr &&
          kubernetes_gateway(context.index, ref.namespace_, ref.name) == nullptr) {
        context.sink.add(*service, "IST0101", "Referenced gateway not found: " + quote(ref.text),
                         ref.node->line());
      }
    }
    check_destinations(context, *service);
  }
}

}  // namespace getmesh::validate
