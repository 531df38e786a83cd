#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

#include <set>

namespace getmesh::validate::schema {

namespace {

void check_server_host(Report& report, const Node& host, const std::string& path) {
  const auto& text = host.str();
  const auto slash = text.find('/');
  std::string_view dns = text;
  if (slash != std::string::npos) {
    const auto ns = std::string_view(text).substr(0, slash);
    dns = std::string_view(text).substr(slash + 1);
    if (ns != "*" && ns != "." && dns1123_label_problem(ns)) {
      report.error(host, path,
                   "invalid namespace " + quote(ns) + " in host " + quote(text) +
                       " (use *, . or a namespace)");
      return;
    }
  }
  if (dns == "*" || is_ip(dns)) return;
  if (dns.find('.') == std::string_view::npos) {
    report.error(
        host, path,
        "short names like " + quote(dns) + " are not allowed; use a fully qualified domain name");
    return;
  }
  if (dns.find('*') != std::string_view::npos && !dns.starts_with("*.") && dns != "*") {
    report.error(host, path, "partial wildcard " + quote(dns) + " is not allowed; only *.<domain>");
    return;
  }
  if (auto problem = wildcard_domain_problem(dns)) report.error(host, path, *problem);
}

void check_server_tls(Report& report, const Node& server, const std::string& path) {
  const auto protocol = to_upper_ascii(server["port"]["protocol"].str());
  const auto& tls = server["tls"];
  if ((protocol == "HTTPS" || protocol == "TLS") && !tls.is_map()) {
    report.error(server, path + ".tls",
                 "server config must contain TLS settings for HTTPS/TLS protocols");
    return;
  }
  if (!tls.is_map()) return;
  if (tls["httpsRedirect"].as_bool().value_or(false) && protocol != "HTTP") {
    report.warning(tls["httpsRedirect"], path + ".tls.httpsRedirect",
                   "httpsRedirect only applies to HTTP servers");
  }
  const auto& mode = tls["mode"].str();
  const bool credential = !tls["credentialName"].empty() || !tls["credentialNames"].empty();
  const bool files = !tls["serverCertificate"].empty() || !tls["privateKey"].empty();
  if (mode == "ISTIO_MUTUAL" && (credential || files || !tls["caCertificates"].empty())) {
    report.error(tls, path + ".tls",
                 "ISTIO_MUTUAL TLS cannot have certificates or a credentialName");
  }
  if (credential && files)
    report.error(tls, path + ".tls",
                 "only one of credentialName(s) or serverCertificate/privateKey may be set");
  if ((mode == "SIMPLE" || mode == "MUTUAL" || mode == "OPTIONAL_MUTUAL") && !credential) {
    if (tls["serverCertificate"].empty())
      report.error(tls, path + ".tls.serverCertificate",
                   "SIMPLE/MUTUAL TLS needs serverCertificate and privateKey, or a credentialName");
    if (tls["privateKey"].empty())
      report.error(tls, path + ".tls.privateKey",
                   "SIMPLE/MUTUAL TLS needs serverCertificate and privateKey, or a credentialName");
    if (mode != "SIMPLE" && tls["caCertificates"].empty())
      report.error(tls, path + ".tls.caCertificates",
                   "MUTUAL TLS needs caCertificates, or a credentialName");
  }
  if (mode == "PASSTHROUGH" && (credential || files))
    report.warning(tls, path + ".tls", "PASSTHROUGH mode ignores certificates");
}

}  // namespace

void check_gateway(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  if (auto problem = dns1123_label_problem(resource.name))
    report.error(resource.metadata()["name"], "metadata.name", *problem);
  if (spec["servers"].empty())
    report.error(spec, "spec.servers", "gateway must have at least one server");
  check_labels(report, spec["selector"], "spec.selector");
  std::set<std::string> port_names;
  std::size_t index = 0;
  spec["servers"].for_each_item([&](const Node& server) {
    const auto path = item("spec.servers", index++);
    if (server["hosts"].empty())
      report.error(server, path + ".hosts", "server config must contain at least one host");
    std::size_t host_index = 0;
    server["hosts"].for_each_item([&](const Node& host) {
      check_server_host(report, host, item(path + ".hosts", host_index++));
    });
    const auto& port = server["port"];
    if (!port.is_map()) {
      report.error(server, path + ".port", "port is required");
      return;
    }
    const bool unix_bind = server["bind"].str().starts_with("unix://");
    if (!(unix_bind && port["number"].as_int() == 0))
      check_port_number(report, port["number"], path + ".port.number");
    if (port["number"].is_null())
      report.error(port, path + ".port.number", "port number is required");
    if (port["name"].empty()) {
      report.error(port, path + ".port.name", "port name must be set");
    } else if (!port_names.insert(port["name"].str()).second) {
      report.error(
          port["name"], path + ".port.name",
          "port names in servers must be unique: duplicate name " + quote(port["name"].str()));
    }
    if (!is_known_protocol(port["protocol"].str()))
      report.error(port, path + ".port.protocol",
                   "unsupported protocol " + quote(port["protocol"].str()));
    if (port.has("targetPort"))
      report.error(port["targetPort"], path + ".port.targetPort",
                   "targetPort is not supported in Gateway servers");
    if (const auto& bind = server["bind"]; !bind.empty() && !unix_bind && !is_ip(bind.str())) {
      report.error(bind, path + ".bind", "bind must be an IP address or a unix:// socket path");
    }
    check_server_tls(report, server, path);
  });
}

}  // namespace getmesh::validate::schema
