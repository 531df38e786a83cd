#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

#include <set>

namespace getmesh::validate::schema {

namespace {

void check_egress_host(Report& report, const Node& host, const std::string& path) {
  const auto& text = host.str();
  const auto slash = text.find('/');
  if (slash == std::string::npos) {
    report.error(host, path,
                 "sidecar egress host " + quote(text) + " must be of the form namespace/dnsName");
    return;
  }
  const auto ns = std::string_view(text).substr(0, slash);
  const auto dns = std::string_view(text).substr(slash + 1);
  if (ns != "*" && ns != "." && ns != "~" && dns1123_label_problem(ns)) {
    report.error(host, path, "invalid namespace " + quote(ns) + " in egress host " + quote(text));
  }
  if (dns == "*") return;
  if (dns.find('.') == std::string_view::npos) {
    report.error(host, path, "short names like " + quote(dns) + " are not allowed in egress hosts");
  } else if (dns.find('*') != std::string_view::npos && !dns.starts_with("*.")) {
    report.error(host, path, "partial wildcard " + quote(dns) + " is not allowed");
  } else if (auto problem = wildcard_domain_problem(dns)) {
    report.error(host, path, *problem);
  }
}

}  // namespace

void check_sidecar(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  if (spec.has("workloadSelector"))
    check_selector(report, spec["workloadSelector"]["labels"], "spec.workloadSelector.labels");
  if (!spec.has("egress") && !spec.has("ingress") && !spec.has("outboundTrafficPolicy") &&
      !spec.has("inboundConnectionPool")) {
    report.error(spec, "spec",
                 "sidecar must set at least one of egress, ingress, outboundTrafficPolicy or "
                 "inboundConnectionPool");
  }
  std::set<std::int64_t> ingress_ports;
  std::size_t index = 0;
  spec["ingress"].for_each_item([&](const Node& listener) {
    const auto path = item("spec.ingress", index++);
    const auto& port = listener["port"];
    if (!port.is_map()) {
      report.error(listener, path + ".port", "sidecar ingress listener needs a port");
      return;
    }
    check_port_number(report, port["number"], path + ".port.number");
    if (const auto number = port["number"].as_int();
        number && !ingress_ports.insert(*number).second) {
      report.error(port["number"], path + ".port.number",
                   "duplicate ingress port " + std::to_string(*number));
    }
    if (!port["protocol"].empty() && !is_known_protocol(port["protocol"].str()))
      report.error(port["protocol"], path + ".port.protocol",
                   "unsupported protocol " + quote(port["protocol"].str()));
    const auto& endpoint = listener["defaultEndpoint"].str();
    if (!endpoint.empty() && !endpoint.starts_with("unix://")) {
      const auto colon = endpoint.rfind(':');
      const auto host = colon == std::string::npos ? std::string() : endpoint.substr(0, colon);
      // 0 stands for "no port": it is out of range like a missing or malformed one.
      const auto number = colon == std::string::npos
                              ? 0
                              : parse_non_negative(endpoint.substr(colon + 1)).value_or(0);
      if ((host != "127.0.0.1" && host != "0.0.0.0" && host != "[::1]" && host != "[::]") ||
          number < 1 || number > 65535) {
        report.error(listener["defaultEndpoint"], path + ".defaultEndpoint",
                     "defaultEndpoint must be 127.0.0.1:<port>, 0.0.0.0:<port>, [::1]:<port>, "
                     "[::]:<port> or unix://<path>");
      }
    }
  });
  std::set<std::int64_t> egress_ports;
  bool catch_all_seen = false;
  index = 0;
  spec["egress"].for_each_item([&](const Node& listener) {
    const auto path = item("spec.egress", index++);
    const auto& port = listener["port"];
    if (catch_all_seen)
      report.error(listener, path,
                   "the egress listener without a port (catch-all) must be the last one");
    if (!port.is_map()) {
      if (catch_all_seen) report.error(listener, path, "only one egress listener may have no port");
      catch_all_seen = true;
    } else {
      const bool unix_bind = listener["bind"].str().starts_with("unix://");
      if (!(unix_bind && port["number"].as_int() == 0))
        check_port_number(report, port["number"], path + ".port.number");
      if (const auto number = port["number"].as_int();
          number && !egress_ports.insert(*number).second) {
        report.error(port["number"], path + ".port.number",
                     "duplicate egress port " + std::to_string(*number));
      }
    }
    if (listener["hosts"].empty())
      report.error(listener, path + ".hosts", "egress listener must have at least one host");
    std::size_t host_index = 0;
    listener["hosts"].for_each_item([&](const Node& host) {
      check_egress_host(report, host, item(path + ".hosts", host_index++));
    });
  });
  const auto& outbound = spec["outboundTrafficPolicy"];
  if (outbound.has("egressProxy")) {
    if (outbound["mode"].str() != "ALLOW_ANY")
      report.error(outbound, "spec.outboundTrafficPolicy.egressProxy",
                   "egressProxy requires mode ALLOW_ANY");
    if (outbound["egressProxy"]["port"].is_null())
      report.error(outbound["egressProxy"], "spec.outboundTrafficPolicy.egressProxy.port",
                   "egressProxy needs a port");
  }
}

}  // namespace getmesh::validate::schema
