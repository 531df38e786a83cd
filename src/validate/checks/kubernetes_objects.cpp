#include "validate/checks/checks.hpp"
#include "validate/checks/injector.hpp"
#include "validate/checks/membership.hpp"

#include <getmesh/core/strings.hpp>

#include <map>
#include <set>

namespace getmesh::validate {

namespace {

bool system_namespace(std::string_view ns) {
  return ns == "kube-system" || ns == "kube-public" || ns == "kube-node-lease" ||
         ns == "local-path-storage";
}

// Istio's own components (labelled `istio` or `release=istio`) are exempt from workload checks.
bool is_istio_component(const Resource& resource, const Labels& template_labels) {
  const auto component = [](const Labels& labels) {
    for (const auto& [key, value] : labels) {
      if (key == "istio" || (key == "release" && value == "istio")) return true;
    }
    return false;
  };
  return component(resource.labels) || component(template_labels);
}

// The protocol an Istio port name or appProtocol denotes; empty when none.
std::string protocol_of(const Node& port) {
  static const std::set<std::string, std::less<>> kProtocols = {
      "http", "http2", "https", "grpc",  "grpc-web", "tcp",
      "tls",  "mongo", "redis", "mysql", "udp",      "http_proxy"};
  if (const auto app = to_lower(port["appProtocol"].str()); kProtocols.contains(app)) return app;
  const auto name = to_lower(port["name"].str());
  const auto prefix = name.substr(0, name.find('-'));
  return kProtocols.contains(prefix) ? prefix : std::string();
}

void check_service(const CheckContext& context, const Resource& service) {
  const auto& spec = service.spec();
  if (system_namespace(service.namespace_) || is_istio_component(service, {}) ||
      service.label("gateway.istio.io/managed") != nullptr)
    return;
  const bool external_name = spec["type"].str() == "ExternalName";
  spec["ports"].for_each_item([&](const Node& port) {
    const auto protocol = protocol_of(port);
    if (external_name && (protocol.empty() || to_lower(port["name"].str()) == "tcp")) {
      context.sink.add(
          service, "IST0150",
          "Port name for ExternalName service is invalid. Proxy may prevent tcp traffic.",
          port.line());
      return;
    }
    if (to_lower(port["protocol"].str()) == "udp" || !protocol.empty()) return;
    const auto number = port["port"].as_int().value_or(0);
    if (number == 25 || number == 53 || number == 3306 || number == 27017) return;
    const auto target =
        port["targetPort"].is_null() ? std::to_string(number) : port["targetPort"].str();
    context.sink.add(service, "IST0118",
                     "Port name " + port["name"].str() + " (port: " + std::to_string(number) +
                         ", targetPort: " + target +
                         ") doesn't follow the naming convention of Istio port.",
                     port.line());
  });
}

void check_namespace(const CheckContext& context, const Resource& ns) {
  if (system_namespace(ns.name)) return;
  const auto* injection = ns.label("istio-injection");
  const auto* revision = ns.label("istio.io/rev");
  const auto* mode = ns.label("istio.io/dataplane-mode");
  std::vector<std::string> labels;
  if (injection != nullptr) labels.push_back("istio-injection");
  if (injection == nullptr || *injection == "enabled") {
    if (revision != nullptr) labels.push_back("istio.io/rev");
    if (mode != nullptr) labels.push_back("istio.io/dataplane-mode");
  }
  if (labels.size() > 1) {
    context.sink.add(
        ns, "IST0123",
        "The namespace has more than one type of injection labels [" + join(labels, " ") +
            "], which may lead to undefined behavior. Make sure only one injection label exists.");
  }
  if (ns.name == context.mesh().root_namespace || injection != nullptr || revision != nullptr ||
      (mode != nullptr && *mode == "ambient")) {
    return;
  }
  if (namespaces_injected_by_default(context.index)) {
    context.sink.add(ns, "IST0148",
                     "The namespace is enabled for Istio injection, as Istio is installed with "
                     "enableNamespacesByDefault as true.");
    return;
  }
  context.sink.add(
      ns, "IST0102",
      "The namespace is not enabled for Istio injection. Run 'kubectl label namespace " + ns.name +
          " istio-injection=enabled' to enable it, or 'kubectl label namespace " + ns.name +
          " istio-injection=disabled' to explicitly mark it as not needing injection.");
}

bool namespace_injected(const CheckContext& context, std::string_view ns) {
  const auto* resource = context.index.find(Kind::kNamespace, "", ns);
  if (resource == nullptr) return false;
  const auto* injection = resource->label("istio-injection");
  return injection != nullptr && *injection == "enabled";
}

// Pod-level checks on a Pod or a Deployment's pod template.
void check_workload(const CheckContext& context, const Workload& workload) {
  const auto& resource = *workload.resource;
  if (system_namespace(workload.namespace_) || is_istio_component(resource, workload.labels))
    return;
  const auto& spec = *workload.pod_spec;
  bool reserved_uid = spec["securityContext"]["runAsUser"].as_int() == 1337;
  bool has_proxy = false;
  for (const char* list : {"containers", "initContainers"}) {
    spec[list].for_each_item([&](const Node& container) {
      const auto& name = container["name"].str();
      if (name == "istio-proxy") {
        has_proxy = true;
        if (resource.kind == Kind::kPod && container["image"].str() == "auto") {
          context.sink.add(
              resource, "IST0147",
              "The pod " + resource.name +
                  " has an istio-proxy container with image \"auto\" but was not injected; "
                  "enable injection for it or set a real image",
              container.line());
        }
      } else if (name != "istio-operator" &&
                 container["securityContext"]["runAsUser"].as_int() == 1337) {
        reserved_uid = true;
      }
    });
  }
  if (reserved_uid)
    context.sink.add(resource, "IST0144", "User ID (UID) 1337 is reserved for the sidecar proxy.");
  if (resource.kind != Kind::kPod || has_proxy || spec["hostNetwork"].as_bool().value_or(false) ||
      !namespace_injected(context, workload.namespace_)) {
    return;
  }
  const auto* opt_out = resource.label("sidecar.istio.io/inject");
  if (opt_out == nullptr) opt_out = resource.annotation("sidecar.istio.io/inject");
  if (opt_out != nullptr && *opt_out == "false") return;
  context.sink.add(resource, "IST0103",
                   "The pod " + qualified(resource) +
                       " is missing the Istio proxy. This can often be resolved by restarting or "
                       "redeploying the workload.");
}

// IST0116 and IST0137: Services that disagree about the ports of an in-mesh Deployment they share.
void check_deployment_services(const CheckContext& context, const Workload& workload) {
  if (workload.resource->kind != Kind::kDeployment || workload.services.size() < 2 ||
      system_namespace(workload.namespace_) || !in_mesh(context.index, workload))
    return;
  std::map<std::int64_t, std::set<std::string>> protocols_by_port;
  std::map<std::string, std::set<std::int64_t>> ports_by_target;
  std::vector<std::string> names;
  for (const auto* service : workload.services) {
    names.push_back(service->name);
    service->spec()["ports"].for_each_item([&](const Node& port) {
      const auto number = port["port"].as_int().value_or(0);
      protocols_by_port[number].insert(port["protocol"].empty() ? "TCP" : port["protocol"].str());
      const auto target =
          port["targetPort"].is_null() ? std::to_string(number) : port["targetPort"].str();
      ports_by_target[target].insert(number);
    });
  }
  const auto& deployment = *workload.resource;
  for (const auto& [port, protocols] : protocols_by_port) {
    if (protocols.size() < 2) continue;
    context.sink.add(
        deployment, "IST0116",
        "This deployment " + deployment.name + " is associated with multiple services using port " +
            std::to_string(port) + " but different protocols: [" +
            join(std::vector<std::string>(protocols.begin(), protocols.end()), " ") + "]");
  }
  for (const auto& [target, ports] : ports_by_target) {
    if (ports.size() < 2) continue;
    std::vector<std::string> numbers;
    for (const auto number : ports) numbers.push_back(std::to_string(number));
    context.sink.add(deployment, "IST0137",
                     "This deployment " + deployment.name +
                         " is associated with multiple services [" + join(names, " ") +
                         "] using targetPort " + quote(target) + " but different ports: [" +
                         join(numbers, " ") + "].");
  }
}

}  // namespace

void check_kubernetes_objects(const CheckContext& context) {
  for (const auto* service : context.index.of_kind(Kind::kService))
    check_service(context, *service);
  for (const auto* ns : context.index.of_kind(Kind::kNamespace)) check_namespace(context, *ns);
  for (const auto& workload : context.index.workloads()) {
    check_workload(context, workload);
    check_deployment_services(context, workload);
  }
}

}  // namespace getmesh::validate
