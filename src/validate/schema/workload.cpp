#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::validate::schema {

namespace {

void check_workload_ports(Report& report, const Node& ports, const std::string& path) {
  for (const auto& entry : ports.entries()) {
    if (auto problem = dns1123_label_problem(entry.key))
      report.error(entry.value, path + "." + entry.key, *problem);
    check_port_number(report, entry.value, path + "." + entry.key);
  }
}

}  // namespace

void check_workload_entry(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  const auto& address = spec["address"].str();
  if (address.empty()) {
    if (spec["network"].empty()) {
      report.error(spec, "spec.address", "address is required");
    } else {
      report.warning(spec, "spec.address",
                     "address is unset; the entry is reachable only through its network gateway");
    }
  } else if (address.starts_with("unix://")) {
    if (!address.substr(7).starts_with("/"))
      report.error(spec["address"], "spec.address", "unix:// address must be an absolute path");
    if (!spec["ports"].empty())
      report.error(spec["ports"], "spec.ports", "ports are not allowed with a unix:// address");
  } else if (!is_ip(address) && fqdn_problem(address)) {
    report.error(spec["address"], "spec.address",
                 quote(address) + " is not an IP address or a domain name");
  }
  check_workload_ports(report, spec["ports"], "spec.ports");
  check_labels(report, spec["labels"], "spec.labels");
}

void check_workload_group(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  if (!spec["template"].is_map()) report.error(spec, "spec.template", "template is required");
  check_labels(report, spec["metadata"]["labels"], "spec.metadata.labels");
  check_workload_ports(report, spec["template"]["ports"], "spec.template.ports");
  check_labels(report, spec["template"]["labels"], "spec.template.labels");
  const auto& probe = spec["probe"];
  if (const auto& scheme = probe["httpGet"]["scheme"];
      !scheme.empty() && scheme.str() != "HTTP" && scheme.str() != "HTTPS") {
    report.error(scheme, "spec.probe.httpGet.scheme", "scheme must be HTTP or HTTPS");
  }
  check_port_number(report, probe["httpGet"]["port"], "spec.probe.httpGet.port");
  check_port_number(report, probe["tcpSocket"]["port"], "spec.probe.tcpSocket.port");
  if (probe.has("exec") && probe["exec"]["command"].empty())
    report.error(probe["exec"], "spec.probe.exec.command", "exec probe needs a command");
}

}  // namespace getmesh::validate::schema
