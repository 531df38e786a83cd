#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

#include <set>

namespace getmesh::validate::schema {

void check_service_entry(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  const auto resolution =
      spec["resolution"].empty() ? std::string("NONE") : spec["resolution"].str();
  if (spec["hosts"].empty())
    report.error(spec, "spec.hosts", "service entry must have at least one host");
  std::size_t index = 0;
  spec["hosts"].for_each_item([&](const Node& host) {
    const auto path = item("spec.hosts", index++);
    if (host.str() == "*") {
      report.error(host, path, "invalid host *");
    } else if (auto problem = wildcard_domain_problem(host.str())) {
      report.error(host, path, *problem);
    } else if (host.str().find('*') != std::string::npos && !host.str().starts_with("*.") &&
               resolution != "DYNAMIC_DNS") {
      report.warning(host, path,
                     "partial wildcard " + quote(host.str()) + " is not supported; use *.<domain>");
    }
  });
  index = 0;
  bool cidr = false;
  spec["addresses"].for_each_item([&](const Node& address) {
    const auto path = item("spec.addresses", index++);
    if (is_cidr(address.str())) {
      cidr = true;
    } else if (!is_ip(address.str())) {
      report.error(address, path, quote(address.str()) + " is not an IP address or CIDR range");
    }
  });
  if (cidr && resolution != "NONE" && resolution != "STATIC") {
    report.error(spec["addresses"], "spec.addresses",
                 "CIDR addresses are allowed only with resolution NONE or STATIC");
  }
  if (spec.has("workloadSelector") && spec.has("endpoints")) {
    report.error(spec, "spec", "only one of workloadSelector or endpoints may be set");
  }
  check_labels(report, spec["workloadSelector"]["labels"], "spec.workloadSelector.labels");
  std::set<std::string> names;
  std::set<std::int64_t> numbers;
  bool non_http_port = false;
  index = 0;
  spec["ports"].for_each_item([&](const Node& port) {
    const auto path = item("spec.ports", index++);
    check_port_number(report, port["number"], path + ".number");
    check_port_number(report, port["targetPort"], path + ".targetPort");
    if (const auto& name = port["name"]; name.empty()) {
      report.error(port, path + ".name", "port name is required");
    } else if (!names.insert(name.str()).second) {
      report.error(name, path + ".name", "duplicate port name " + quote(name.str()));
    }
    if (const auto number = port["number"].as_int(); number && !numbers.insert(*number).second) {
      report.error(port["number"], path + ".number",
                   "duplicate port number " + std::to_string(*number));
    }
    const auto protocol = to_upper_ascii(port["protocol"].str());
    if (!protocol.empty() && !is_known_protocol(protocol))
      report.error(port["protocol"], path + ".protocol",
                   "unsupported protocol " + quote(port["protocol"].str()));
    if (protocol != "HTTP" && protocol != "HTTPS" && protocol != "HTTP2" && protocol != "GRPC" &&
        protocol != "TLS")
      non_http_port = true;
  });
  const auto endpoint_ports = names;
  index = 0;
  spec["endpoints"].for_each_item([&](const Node& endpoint) {
    const auto path = item("spec.endpoints", index++);
    const auto& address = endpoint["address"].str();
    if (resolution == "STATIC" && !address.empty() && !is_ip(address) &&
        !address.starts_with("unix://")) {
      report.error(endpoint["address"], path + ".address",
                   "endpoint address " + quote(address) +
                       " must be an IP address or unix:// socket for STATIC resolution");
    }
    if ((resolution == "DNS" || resolution == "DNS_ROUND_ROBIN") && !address.empty() &&
        !is_ip(address) && fqdn_problem(address)) {
      report.error(
          endpoint["address"], path + ".address",
          "endpoint address " + quote(address) + " must be an IP address or a domain name");
    }
    for (const auto& entry : endpoint["ports"].entries()) {
      if (!endpoint_ports.contains(entry.key))
        report.error(
            entry.value, path + ".ports." + entry.key,
            "endpoint port " + quote(entry.key) + " is not a port name of the service entry");
      check_port_number(report, entry.value, path + ".ports." + entry.key);
    }
    check_labels(report, endpoint["labels"], path + ".labels");
  });
  if (resolution == "NONE" && !spec["endpoints"].empty())
    report.error(spec["endpoints"], "spec.endpoints",
                 "endpoints are not allowed with resolution NONE");
  if (resolution == "DNS_ROUND_ROBIN" && spec["endpoints"].size() > 1)
    report.error(spec["endpoints"], "spec.endpoints",
                 "DNS_ROUND_ROBIN allows at most one endpoint");
  if ((resolution == "DNS" || resolution == "DNS_ROUND_ROBIN") && spec["endpoints"].empty()) {
    spec["hosts"].for_each_item([&](const Node& host) {
      if (host.str().starts_with("*"))
        report.error(host, "spec.hosts",
                     "wildcard host " + quote(host.str()) + " needs endpoints with DNS resolution");
    });
  }
  if (resolution != "NONE" && spec["hosts"].size() > 1 && non_http_port &&
      spec["addresses"].empty()) {
    report.error(spec, "spec",
                 "multiple hosts with resolution " + resolution +
                     " need HTTP/TLS ports or addresses for non-HTTP ports");
  }
  check_export_to(report, spec["exportTo"], "spec.exportTo", true);
}

}  // namespace getmesh::validate::schema
