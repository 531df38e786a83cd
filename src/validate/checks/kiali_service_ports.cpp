// Kiali's port checks, which Kiali runs in its full validation: port names and appProtocols of
// Services in the mesh (KIA0601, KIA0602) and Service ports no container of the Service's
// Deployment exposes (KIA0701), services/port_mapping_checker.go; port names of Gateway servers
// and ServiceEntries (KIA0601), gateways/port_checker.go and serviceentries/port_checker.go.
#include "validate/checks/checks.hpp"
#include "validate/checks/membership.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <array>
#include <unordered_map>

namespace getmesh::validate {

namespace {

constexpr std::array<std::string_view, 11> kPortProtocols = {
    "grpc", "grpc-web", "http", "http2", "https", "mongo", "redis", "tcp", "tls", "udp", "mysql"};

// `<protocol>` or `<protocol>-<suffix>`, the protocol in lower case.
bool valid_port_name(std::string_view name) {
  return std::any_of(kPortProtocols.begin(), kPortProtocols.end(), [&](std::string_view protocol) {
    return name.starts_with(protocol) &&
           (name.size() == protocol.size() || name[protocol.size()] == '-');
  });
}

// A protocol Istio reads from `appProtocol`: one of the above in any case, or a Kubernetes one.
bool valid_app_protocol(std::string_view written) {
  const auto value = to_lower(written);
  return std::find(kPortProtocols.begin(), kPortProtocols.end(), value) != kPortProtocols.end() ||
         value == "kubernetes.io/h2c" || value == "kubernetes.io/ws" ||
         value == "kubernetes.io/wss";
}

// Kiali's reading of a pod in the mesh: an injected pod (an `istio-proxy` container or the
// injector's `sidecar.istio.io/status` annotation; a Deployment as getmesh reads injection) or an
// ambient one (`ambient.istio.io/redirection: enabled`, or ambient by its labels).
bool has_proxy(const ResourceIndex& index, const Workload& workload) {
  if (workload.resource->kind != Kind::kPod) return in_mesh(index, workload);
  bool found = workload.resource->annotation("sidecar.istio.io/status") != nullptr;
  if (workload.pod_spec == nullptr) return found;
  (*workload.pod_spec)["containers"].for_each_item(
      [&](const Node& container) { found = found || container["name"].str() == "istio-proxy"; });
  return found;
}
bool ambient(const ResourceIndex& index, const Workload& workload) {
  const auto* redirection = workload.resource->annotation("ambient.istio.io/redirection");
  return (redirection != nullptr && *redirection == "enabled") || in_ambient(index, workload);
}

// As Kiali decides it: every pod the Service selects has a sidecar (so also when it selects
// none), or one is ambient.
bool service_in_mesh(const ResourceIndex& index, const std::vector<const Workload*>& pods) {
  return std::all_of(pods.begin(), pods.end(),
                     [&](const Workload* pod) { return has_proxy(index, *pod); }) ||
         std::any_of(pods.begin(), pods.end(),
                     [&](const Workload* pod) { return ambient(index, *pod); });
}

// Services of Istio's own gateways and waypoints (generated, their ports are not the pods').
bool gateway_or_waypoint(const Resource& service) {
  const auto is = [&](std::string_view key, std::string_view value) {
    const auto* label = service.label(key);
    return label != nullptr && *label == value;
  };
  const auto* gateway_name = service.label("gateway.networking.k8s.io/gateway-name");
  return is("gateway.istio.io/managed", "istio.io-mesh-controller") ||
         is("gateway.istio.io/managed", "istio.io-gateway-controller") ||
         (gateway_name != nullptr &&
          to_lower(*gateway_name).find("waypoint") != std::string::npos) ||
         is("operator.istio.io/component", "IngressGateways") ||
         is("operator.istio.io/component", "EgressGateways") || is("istio", "ingressgateway") ||
         is("istio", "egressgateway") || service.label("istio.io/gateway-name") != nullptr;
}

// Deployments by one of their own labels ("ns|key=value"), in input order.
class DeploymentsByLabel {
 public:
  explicit DeploymentsByLabel(const ResourceIndex& index) {
    for (const auto* deployment : index.of_kind(Kind::kDeployment)) {
      for (const auto& [key, value] : deployment->labels)
        by_label_[deployment->namespace_ + "|" + key + "=" + value].push_back(deployment);
    }
  }
  // The first Deployment of `ns` whose own labels the selector matches.
  [[nodiscard]] const Resource* first(const std::string& ns, const Labels& selector) const {
    if (selector.empty()) return nullptr;
    const auto found =
        by_label_.find(ns + "|" + selector.front().first + "=" + selector.front().second);
    if (found == by_label_.end()) return nullptr;
    for (const auto* deployment : found->second) {
      const bool matches = std::all_of(selector.begin(), selector.end(), [&](const auto& pair) {
        const auto* value = deployment->label(pair.first);
        return value != nullptr && *value == pair.second;
      });
      if (matches) return deployment;
    }
    return nullptr;
  }

 private:
  std::unordered_map<std::string, std::vector<const Resource*>> by_label_;
};

// Namespaces of the control plane: the root namespace and those istiod (`app=istiod`) runs in.
bool control_plane_namespace(const CheckContext& context, const DeploymentsByLabel& deployments,
                             const std::string& ns) {
  return ns == context.mesh().root_namespace ||
         deployments.first(ns, Labels{{"app", "istiod"}}) != nullptr;
}

bool exposes(const Resource& deployment, const Node& port) {
  const auto& target = port["targetPort"];
  const bool named = target.is_scalar() && !target.as_int() && !target.str().empty();
  const auto number =
      target.as_int().value_or(0) > 0 ? *target.as_int() : port["port"].as_int().value_or(0);
  bool found = false;
  deployment.spec()["template"]["spec"]["containers"].for_each_item([&](const Node& container) {
    container["ports"].for_each_item([&](const Node& exposed) {
      found = found || (named ? exposed["name"].str() == target.str()
                              : exposed["containerPort"].as_int() == number);
    });
  });
  return found;
}

void check_service(const CheckContext& context, const DeploymentsByLabel& deployments,
                   const Resource& service) {
  const auto& ports = service.spec()["ports"];
  const auto selector = service.spec()["selector"].string_map();
  if (service.label("kiali_wizard") == nullptr &&
      service_in_mesh(context.index, context.index.select(service.namespace_, selector))) {
    ports.for_each_item([&](const Node& port) {
      if (to_lower(port["protocol"].str()) == "udp") return;
      if (const auto* app_protocol = port.find("appProtocol");
          app_protocol != nullptr && !app_protocol->is_null()) {
        if (!valid_app_protocol(app_protocol->str())) {
          context.sink.add(service, "KIA0602", "Port appProtocol must follow <protocol> form",
                           app_protocol->line());
        }
      } else if (!valid_port_name(port["name"].str())) {
        context.sink.add(service, "KIA0601", "Port name must follow <protocol>[-suffix] form",
                         port.line());
      }
    });
  }
  if (control_plane_namespace(context, deployments, service.namespace_) ||
      gateway_or_waypoint(service))
    return;
  const auto* deployment = deployments.first(service.namespace_, selector);
  if (deployment == nullptr) return;
  ports.for_each_item([&](const Node& port) {
    if (!exposes(*deployment, port)) {
      context.sink.add(service, "KIA0701", "Deployment exposing same port as Service not found",
                       port.line());
    }
  });
}

// Kiali's rule for Gateway server and ServiceEntry ports (gateways/port_checker.go,
// serviceentries/port_checker.go): the name starts with the protocol in lower case, then nothing
// or `-suffix`; TCP and UDP ports may be named anything. A port without protocol is left alone
// (Kiali would ask its name to start with `-`).
bool port_named_for_protocol(const Node& port) {
  const auto protocol = to_lower(port["protocol"].str());
  if (protocol.empty() || protocol == "tcp" || protocol == "udp") return true;
  const auto& name = port["name"].str();
  return name.starts_with(protocol) &&
         (name.size() == protocol.size() || name[protocol.size()] == '-');
}

void check_gateway_and_entry_ports(const CheckContext& context) {
  for (const auto* gateway : context.index.of_kind(Kind::kGateway)) {
    gateway->spec()["servers"].for_each_item([&](const Node& server) {
      if (!port_named_for_protocol(server["port"])) {
        context.sink.add(*gateway, "KIA0601", "Port name must follow <protocol>[-suffix] form",
                         server["port"].line());
      }
    });
  }
  for (const auto* entry : context.index.of_kind(Kind::kServiceEntry)) {
    entry->spec()["ports"].for_each_item([&](const Node& port) {
      if (!port_named_for_protocol(port)) {
        context.sink.add(*entry, "KIA0601", "Port name must follow <protocol>[-suffix] form",
                         port.line());
      }
    });
  }
}

}  // namespace

void check_kiali_service_ports(const CheckContext& context) {
  check_gateway_and_entry_ports(context);
  const DeploymentsByLabel deployments(context.index);
  for (const auto* service : context.index.of_kind(Kind::kService))
    check_service(context, deployments, *service);
}

}  // namespace getmesh::validate
