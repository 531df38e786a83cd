#include "validate/index.hpp"
#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <set>

namespace getmesh::validate::schema {

namespace {

bool binds_mesh(const Node& gateways) {
  if (gateways.empty()) return true;
  const auto names = gateways.strings();
  return std::find(names.begin(), names.end(), "mesh") != names.end();
}

void check_hosts(Report& report, const Node& spec) {
  const auto& hosts = spec["hosts"];
  const bool mesh = binds_mesh(spec["gateways"]);
  std::vector<std::string> seen;
  std::size_t index = 0;
  hosts.for_each_item([&](const Node& host) {
    const auto path = item("spec.hosts", index++);
    const auto& text = host.str();
    if (text == "*" && mesh) {
      report.error(host, path,
                   "wildcard host * is not allowed for virtual services bound to the mesh gateway");
    } else if (!is_ip(text)) {
      if (auto problem = wildcard_domain_problem(text)) report.error(host, path, *problem);
    }
    for (const auto& other : seen) {
      if (hosts_overlap(other, text)) {
        report.error(host, path, "duplicate hosts in virtual service: " + other + " & " + text);
      }
    }
    seen.push_back(text);
  });
}

void check_gateway_names(Report& report, const Node& gateways, std::string_view base) {
  std::size_t index = 0;
  gateways.for_each_item([&](const Node& gateway) {
    const auto path = item(base, index++);
    const auto& text = gateway.str();
    if (text == "mesh") return;
    const auto slash = text.find('/');
    if (slash != std::string::npos) {
      const auto ns = text.substr(0, slash);
      const auto name = text.substr(slash + 1);
      if (dns1123_label_problem(ns) || dns1123_label_problem(name)) {
        report.error(gateway, path,
                     "invalid gateway name " + quote(text) + " (use <namespace>/<name>)");
      }
      return;
    }
    if (auto problem = fqdn_problem(text)) {
      report.error(gateway, path, "invalid gateway name " + quote(text) + ": " + *problem);
    } else if (text.find('.') != std::string::npos) {
      report.warning(gateway, path,
                     "gateway " + quote(text) +
                         " uses the legacy <name>.<namespace> form; use <namespace>/<name>");
    }
  });
}

void check_destination(Report& report, const Node& destination, const std::string& path) {
  const auto& host = destination["host"];
  if (host.empty()) {
    report.error(destination, path + ".host", "destination must have a host");
  } else if (host.str() == "*") {
    report.error(host, path + ".host", "destination host must not be a wildcard (*)");
  } else if (auto problem = wildcard_domain_problem(host.str()); problem && !is_ip(host.str())) {
    report.error(host, path + ".host", *problem);
  }
  if (const auto& subset = destination["subset"]; !subset.empty()) {
    if (auto problem = dns1123_label_problem(subset.str()))
      report.error(subset, path + ".subset", *problem);
  }
  check_port_number(report, destination["port"]["number"], path + ".port.number");
}

void check_routes(Report& report, const Node& routes, const std::string& path) {
  std::size_t index = 0;
  std::size_t zero_weights = 0;
  routes.for_each_item([&](const Node& route) {
    const auto route_path = item(path, index++);
    check_destination(report, route["destination"], route_path + ".destination");
    const auto weight = route["weight"].as_int();
    if (route.has("weight") && (!weight || *weight < 0)) {
      report.error(route["weight"], route_path + ".weight",
                   "weight must be a non-negative integer");
    }
    if (weight && *weight == 0) ++zero_weights;
  });
  if (routes.size() > 1 && zero_weights == routes.size()) {
    report.error(routes, path,
                 "the weights of all destinations are 0; at least one must be positive");
  }
}

void check_string_match(Report& report, const Node& match, const std::string& path) {
  if (match.is_null()) return;
  int set = 0;
  for (const char* kind : {"exact", "prefix", "regex"}) set += match.has(kind) ? 1 : 0;
  if (set > 1) report.error(match, path, "only one of exact, prefix or regex may be set");
  if (match.has("prefix") && match["prefix"].empty())
    report.error(match, path + ".prefix", "prefix match must not be empty");
  if (match.has("regex")) {
    if (match["regex"].empty())
      report.error(match, path + ".regex", "regex match must not be empty");
    check_regex(report, match["regex"], path + ".regex");
  }
}

void check_http_match(Report& report, const Node& match, const std::string& path, bool mesh_only) {
  for (const char* field : {"uri", "scheme", "method", "authority"}) {
    check_string_match(report, match[field], path + "." + field);
  }
  for (const char* field : {"headers", "withoutHeaders", "queryParams"}) {
    for (const auto& entry : match[field].entries()) {
      const auto entry_path = path + "." + field + "." + entry.key;
      if (entry.key.empty()) report.error(entry.value, entry_path, "header name must not be empty");
      if (entry.key.starts_with("@request.auth.claims") && mesh_only) {
        report.error(entry.value, entry_path,
                     "JWT claim based routing is only supported for gateways, not the mesh");
      }
      check_string_match(report, entry.value, entry_path);
    }
  }
  check_port_number(report, match["port"], path + ".port");
  if (match["sourceLabels"].is_map())
    check_labels(report, match["sourceLabels"], path + ".sourceLabels");
  if (const auto& ns = match["sourceNamespace"]; !ns.empty()) {
    if (auto problem = dns1123_label_problem(ns.str()))
      report.error(ns, path + ".sourceNamespace", *problem);
  }
}

void check_http_rule(Report& report, const Node& rule, const std::string& path, bool mesh_only,
                     bool delegate) {
  const int actions = static_cast<int>(rule.has("route")) + static_cast<int>(rule.has("redirect")) +
                      static_cast<int>(rule.has("directResponse")) +
                      static_cast<int>(rule.has("delegate"));
  if (actions == 0) {
    report.error(rule, path, "HTTP route, redirect, directResponse or delegate is required");
  } else if (actions > 1) {
    report.error(rule, path, "only one of route, redirect, directResponse or delegate may be set");
  }
  if (delegate && rule.has("delegate"))
    report.error(rule["delegate"], path + ".delegate",
                 "a delegate VirtualService cannot delegate again");
  if ((rule.has("redirect") || rule.has("directResponse")) &&
      (rule.has("fault") || rule.has("rewrite"))) {
    report.error(rule, path,
                 "fault and rewrite cannot be combined with redirect or directResponse");
  }
  std::size_t index = 0;
  rule["match"].for_each_item([&](const Node& match) {
    check_http_match(report, match, item(path + ".match", index++), mesh_only);
  });
  check_routes(report, rule["route"], path + ".route");
  if (const auto& redirect = rule["redirect"]; redirect.is_map()) {
    if (const auto& code = redirect["redirectCode"]; !code.is_null()) {
      const auto value = code.as_int();
      if (!value || *value < 300 || *value > 399)
        report.error(code, path + ".redirect.redirectCode",
                     "redirect code must be in the range 300..399");
    }
    if (const auto& scheme = redirect["scheme"];
        !scheme.is_null() && scheme.str() != "http" && scheme.str() != "https") {
      report.error(scheme, path + ".redirect.scheme", "redirect scheme must be http or https");
    }
    if (redirect.empty())
      report.error(redirect, path + ".redirect",
                   "redirect must specify uri, authority, scheme or port");
  }
  if (const auto& response = rule["directResponse"]; response.is_map()) {
    const auto status = response["status"].as_int();
    if (!status || *status < 200 || *status > 599) {
      report.error(response, path + ".directResponse.status",
                   "status must be in the range 200..599");
    }
  }
  if (const auto& rewrite = rule["rewrite"]; rewrite.is_map()) {
    if (rewrite.has("uri") && rewrite.has("uriRegexRewrite")) {
      report.error(rewrite, path + ".rewrite", "only one of uri or uriRegexRewrite may be set");
    }
    if (rewrite.empty())
      report.error(rewrite, path + ".rewrite",
                   "rewrite must specify uri, uriRegexRewrite or authority");
    check_regex(report, rewrite["uriRegexRewrite"]["match"],
                path + ".rewrite.uriRegexRewrite.match");
  }
  if (const auto& fault = rule["fault"]; fault.is_map()) {
    if (!fault.has("abort") && !fault.has("delay"))
      report.error(fault, path + ".fault", "fault must have an abort and/or a delay");
    check_percent(report, fault["abort"]["percentage"]["value"],
                  path + ".fault.abort.percentage.value");
    check_percent(report, fault["delay"]["percentage"]["value"],
                  path + ".fault.delay.percentage.value");
    check_duration(report, fault["delay"]["fixedDelay"], path + ".fault.delay.fixedDelay");
    if (const auto& status = fault["abort"]["httpStatus"]; !status.is_null()) {
      const auto value = status.as_int();
      if (!value || *value < 200 || *value > 599)
        report.error(status, path + ".fault.abort.httpStatus",
                     "HTTP status must be in the range 200..599");
    }
  }
  if (const auto& retries = rule["retries"]; retries.is_map()) {
    const auto attempts = retries["attempts"].as_int();
    if (retries.has("attempts") && (!attempts || *attempts < 0))
      report.error(retries["attempts"], path + ".retries.attempts", "attempts cannot be negative");
    if (attempts && *attempts == 0 && (retries.has("perTryTimeout") || retries.has("retryOn"))) {
      report.error(retries, path + ".retries", "perTryTimeout and retryOn need attempts > 0");
    }
    check_duration(report, retries["perTryTimeout"], path + ".retries.perTryTimeout");
  }
  check_duration(report, rule["timeout"], path + ".timeout");
  if (rule.has("mirror") && rule.has("mirrors"))
    report.error(rule, path, "only one of mirror or mirrors may be set");
  if (rule["mirror"].is_map()) check_destination(report, rule["mirror"], path + ".mirror");
  check_percent(report, rule["mirrorPercentage"]["value"], path + ".mirrorPercentage.value");
  if (const auto& cors = rule["corsPolicy"]; cors.is_map()) {
    static const std::set<std::string, std::less<>> kMethods = {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE", "*"};
    std::size_t method_index = 0;
    cors["allowMethods"].for_each_item([&](const Node& method) {
      const auto method_path = item(path + ".corsPolicy.allowMethods", method_index++);
      if (!kMethods.contains(method.str()))
        report.error(method, method_path, "not a supported HTTP method: " + quote(method.str()));
    });
    check_duration(report, cors["maxAge"], path + ".corsPolicy.maxAge");
  }
}

void check_tls_rules(Report& report, const Node& spec) {
  const auto hosts = spec["hosts"].strings();
  std::size_t index = 0;
  spec["tls"].for_each_item([&](const Node& rule) {
    const auto path = item("spec.tls", index++);
    if (rule["match"].empty())
      report.error(rule, path + ".match", "TLS route must have at least one match condition");
    std::size_t match_index = 0;
    rule["match"].for_each_item([&](const Node& match) {
      const auto match_path = item(path + ".match", match_index++);
      if (match["sniHosts"].empty())
        report.error(match, match_path + ".sniHosts", "TLS match must have at least one SNI host");
      std::size_t sni_index = 0;
      match["sniHosts"].for_each_item([&](const Node& sni) {
        const auto sni_path = item(match_path + ".sniHosts", sni_index++);
        if (auto problem = wildcard_domain_problem(sni.str())) {
          report.error(sni, sni_path, *problem);
          return;
        }
        const bool covered = std::any_of(hosts.begin(), hosts.end(), [&](const std::string& host) {
          return wildcard_match(host, sni.str());
        });
        if (!covered)
          report.error(sni, sni_path,
                       "SNI host " + quote(sni.str()) +
                           " is not a compatible subset of any of the virtual service hosts");
      });
    });
    if (rule["route"].empty()) report.error(rule, path + ".route", "TLS route is required");
    check_routes(report, rule["route"], path + ".route");
  });
}

}  // namespace

void check_virtual_service(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  const bool delegate = spec["hosts"].empty();
  if (delegate) {
    if (!spec["gateways"].empty())
      report.error(spec["gateways"], "spec.gateways",
                   "a delegate VirtualService (no hosts) must not set gateways");
    if (!spec["tls"].empty() || !spec["tcp"].empty())
      report.error(spec, "spec", "a delegate VirtualService (no hosts) supports http routes only");
  }
  check_hosts(report, spec);
  check_gateway_names(report, spec["gateways"], "spec.gateways");
  if (spec["http"].empty() && spec["tcp"].empty() && spec["tls"].empty()) {
    report.error(spec, "spec", "http, tcp or tls must be provided in virtual service");
  }
  check_export_to(report, spec["exportTo"], "spec.exportTo", false);
  const bool mesh_only =
      spec["gateways"].empty() || spec["gateways"].strings() == std::vector<std::string>{"mesh"};
  std::size_t index = 0;
  spec["http"].for_each_item([&](const Node& rule) {
    const auto path = item("spec.http", index++);
    check_http_rule(report, rule, path, mesh_only, delegate);
    std::size_t match_index = 0;
    rule["match"].for_each_item([&](const Node& match) {
      check_gateway_names(report, match["gateways"],
                          item(path + ".match", match_index++) + ".gateways");
    });
  });
  index = 0;
  spec["tcp"].for_each_item([&](const Node& rule) {
    const auto path = item("spec.tcp", index++);
    if (rule["route"].empty()) report.error(rule, path + ".route", "TCP route is required");
    check_routes(report, rule["route"], path + ".route");
  });
  check_tls_rules(report, spec);
  check_unreachable_rules(report, resource);
}

}  // namespace getmesh::validate::schema
