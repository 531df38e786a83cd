// The rules the Gateway API v1.6.1 CRDs state as CEL validations (x-kubernetes-validations) beyond
// their field types: the API server rejects an object that breaks one (IST0106).
#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

#include <map>
#include <set>

namespace getmesh::validate::schema {

namespace {

bool is_set(const Node& node) { return !node.is_null() && !node.empty(); }

// Listeners of a Gateway or a ListenerSet.
void check_listeners(Report& report, const Node& listeners) {
  std::map<std::string, int> names;
  std::map<std::string, int> combinations;
  listeners.for_each_item([&](const Node& listener) {
    ++names[listener["name"].str()];
    ++combinations[listener["port"].str() + "|" + listener["protocol"].str() + "|" +
                   (listener.has("hostname") ? "=" + listener["hostname"].str() : "")];
  });
  std::size_t index = 0;
  listeners.for_each_item([&](const Node& listener) {
    const auto path = item("spec.listeners", index++);
    const auto& protocol = listener["protocol"].str();
    const auto& tls = listener["tls"];
    if (names[listener["name"].str()] > 1) {
      report.error(listener["name"], path + ".name",
                   "listener name " + quote(listener["name"].str()) + " is not unique");
    }
    if (combinations[listener["port"].str() + "|" + protocol + "|" +
                     (listener.has("hostname") ? "=" + listener["hostname"].str() : "")] > 1) {
      report.error(listener, path,
                   "another listener has the same port, protocol and hostname; each combination "
                   "must be unique");
    }
    if ((protocol == "HTTP" || protocol == "TCP" || protocol == "UDP") && listener.has("tls")) {
      report.error(tls, path + ".tls", "tls must not be set for protocol " + protocol);
    }
    if (protocol == "HTTPS" && tls.is_map() && !tls["mode"].empty() &&
        tls["mode"].str() != "Terminate") {
      report.error(tls["mode"], path + ".tls.mode", "an HTTPS listener must use mode Terminate");
    }
    if (protocol == "TLS" && tls["mode"].empty()) {
      report.error(listener, path + ".tls.mode",
                   "a TLS listener must set tls.mode (Terminate or Passthrough)");
    }
    if ((protocol == "TCP" || protocol == "UDP") && is_set(listener["hostname"])) {
      report.error(listener["hostname"], path + ".hostname",
                   "hostname must not be set for protocol " + protocol);
    }
    if (tls.is_map() && (tls["mode"].empty() || tls["mode"].str() == "Terminate") &&
        !is_set(tls["certificateRefs"]) && !is_set(tls["options"])) {
      report.error(tls, path + ".tls",
                   "mode Terminate needs certificateRefs (or implementation options)");
    }
  });
}

// Unique IPAddress and Hostname addresses of a Gateway.
void check_addresses(Report& report, const Node& addresses) {
  std::map<std::string, int> seen;
  addresses.for_each_item([&](const Node& address) {
    const auto type = address["type"].empty() ? std::string("IPAddress") : address["type"].str();
    ++seen[type + "|" + address["value"].str()];
  });
  std::size_t index = 0;
  addresses.for_each_item([&](const Node& address) {
    const auto type = address["type"].empty() ? std::string("IPAddress") : address["type"].str();
    const auto path = item("spec.addresses", index++);
    if ((type == "IPAddress" || type == "Hostname") && address.has("value") &&
        seen[type + "|" + address["value"].str()] > 1) {
      report.error(address["value"], path + ".value",
                   type + " " + quote(address["value"].str()) + " is listed more than once");
    }
  });
}

// The identity of the object a reference names (group/kind/namespace/name), with the defaults.
std::string ref_identity(const Node& ref, std::string_view default_group,
                         std::string_view default_kind) {
  const auto group = ref.has("group") ? ref["group"].str() : std::string(default_group);
  const auto kind = ref.has("kind") ? ref["kind"].str() : std::string(default_kind);
  return group + "/" + kind + "/" + ref["namespace"].str() + "/" + ref["name"].str();
}

// parentRefs (routes) and targetRefs (policies): several references to the same object each need
// a sectionName, and distinct ones.
void check_sections(Report& report, const Node& refs, std::string_view path,
                    std::string_view default_group, std::string_view default_kind) {
  std::map<std::string, std::vector<std::string>> sections;
  refs.for_each_item([&](const Node& ref) {
    sections[ref_identity(ref, default_group, default_kind)].push_back(ref["sectionName"].str());
  });
  std::size_t index = 0;
  refs.for_each_item([&](const Node& ref) {
    const auto& same = sections[ref_identity(ref, default_group, default_kind)];
    const auto ref_path = item(path, index++);
    if (same.size() < 2) return;
    const auto& section = ref["sectionName"].str();
    if (section.empty() || std::count(same.begin(), same.end(), "") > 0) {
      report.error(
          ref, ref_path + ".sectionName",
          "several references name " + quote(ref["name"].str()) + "; each needs a sectionName");
    } else if (std::count(same.begin(), same.end(), section) > 1) {
      report.error(
          ref["sectionName"], ref_path + ".sectionName",
          "sectionName " + quote(section) + " is repeated for " + quote(ref["name"].str()));
    }
  });
}

void check_backend_port(Report& report, const Node& ref, const std::string& path) {
  const bool service = ref["group"].empty() && (!ref.has("kind") || ref["kind"].str() == "Service");
  if (ref.is_map() && service && !ref.has("port")) {
    report.error(ref, path + ".port", "a reference to a Service must set port");
  }
}

// Filters of a rule or of a backendRef.
void check_filters(Report& report, const Node& filters, const std::string& path) {
  static constexpr std::pair<std::string_view, std::string_view> kFields[] = {
      {"RequestHeaderModifier", "requestHeaderModifier"},
      {"ResponseHeaderModifier", "responseHeaderModifier"},
      {"RequestMirror", "requestMirror"},
      {"RequestRedirect", "requestRedirect"},
      {"URLRewrite", "urlRewrite"},
      {"CORS", "cors"},
      {"ExtensionRef", "extensionRef"},
  };
  std::map<std::string, int> types;
  std::size_t index = 0;
  filters.for_each_item([&](const Node& filter) {
    const auto filter_path = item(path, index++);
    const auto& type = filter["type"].str();
    ++types[type];
    for (const auto& [name, field] : kFields) {
      if (name == type && !filter.has(field)) {
        report.error(filter, filter_path + "." + std::string(field),
                     "a " + type + " filter must set " + std::string(field));
      } else if (name != type && filter.has(field)) {
        report.error(filter[field], filter_path + "." + std::string(field),
                     std::string(field) + " is only allowed in a " + std::string(name) + " filter");
      }
    }
    const auto& mirror = filter["requestMirror"];
    if (mirror.has("percent") && mirror.has("fraction")) {
      report.error(mirror, filter_path + ".requestMirror",
                   "only one of percent or fraction may be set");
    }
    const auto numerator = mirror["fraction"]["numerator"].as_int();
    const auto denominator = mirror["fraction"]["denominator"].as_int().value_or(100);
    if (numerator && *numerator > denominator) {
      report.error(mirror["fraction"], filter_path + ".requestMirror.fraction",
                   "numerator must not exceed denominator");
    }
    if (mirror.is_map())
      check_backend_port(report, mirror["backendRef"], filter_path + ".requestMirror.backendRef");
    for (const char* rewrite : {"requestRedirect", "urlRewrite"}) {
      const auto& rewrite_path = filter[rewrite]["path"];
      if (!rewrite_path.is_map()) continue;
      const auto& kind = rewrite_path["type"].str();
      for (const auto& [expected, field] :
           {std::pair{"ReplaceFullPath", "replaceFullPath"},
            std::pair{"ReplacePrefixMatch", "replacePrefixMatch"}}) {
        if ((kind == expected) != rewrite_path.has(field)) {
          report.error(rewrite_path, filter_path + "." + rewrite + ".path",
                       std::string(field) + " goes with type " + expected + ", and only with it");
        }
      }
    }
  });
  for (const auto& [type, count] : types) {
    if (count > 1 && type != "RequestMirror" && type != "ExtensionRef") {
      report.error(filters, path, type + " filter cannot be repeated");
    }
  }
  if (types.contains("RequestRedirect") && types.contains("URLRewrite")) {
    report.error(filters, path, "RequestRedirect and URLRewrite filters exclude each other");
  }
}

bool replaces_prefix(const Node& filters) {
  bool found = false;
  filters.for_each_item([&](const Node& filter) {
    for (const char* rewrite : {"requestRedirect", "urlRewrite"}) {
      found = found || filter[rewrite]["path"]["type"].str() == "ReplacePrefixMatch";
    }
  });
  return found;
}

void check_path_match(Report& report, const Node& path_match, const std::string& path) {
  const auto type =
      path_match["type"].empty() ? std::string("PathPrefix") : path_match["type"].str();
  if (type != "Exact" && type != "PathPrefix") return;
  const auto& value = path_match["value"].empty() ? std::string("/") : path_match["value"].str();
  std::string problem;
  if (!value.starts_with('/')) {
    problem = "must start with /";
  } else {
    for (const char* part : {"//", "/./", "/../", "%2f", "%2F", "#"}) {
      if (value.find(part) != std::string::npos) problem = std::string("must not contain ") + part;
    }
    if (value.ends_with("/..") || value.ends_with("/.")) problem = "must not end with /. or /..";
  }
  if (!problem.empty()) {
    report.error(path_match["value"], path + ".value",
                 "path " + quote(value) + " " + problem + " for type " + type);
  }
}

// Rules of an HTTPRoute or a GRPCRoute.
void check_http_rules(Report& report, const Node& rules, bool http) {
  std::size_t index = 0;
  std::size_t matches = 0;
  rules.for_each_item([&](const Node& rule) {
    const auto path = item("spec.rules", index++);
    matches += rule["matches"].size();
    check_filters(report, rule["filters"], path + ".filters");
    std::size_t backend_index = 0;
    bool backend_replaces_prefix = false;
    rule["backendRefs"].for_each_item([&](const Node& ref) {
      const auto ref_path = item(path + ".backendRefs", backend_index++);
      check_backend_port(report, ref, ref_path);
      check_filters(report, ref["filters"], ref_path + ".filters");
      backend_replaces_prefix = backend_replaces_prefix || replaces_prefix(ref["filters"]);
    });
    std::size_t match_index = 0;
    rule["matches"].for_each_item([&](const Node& match) {
      const auto match_path = item(path + ".matches", match_index++);
      if (http && match["path"].is_map())
        check_path_match(report, match["path"], match_path + ".path");
      const auto& method = match["method"];
      if (!http && method.is_map() && !method.has("service") && !method.has("method")) {
        report.error(method, match_path + ".method", "set service, method or both");
      }
    });
    if (!http) return;
    bool redirects = false;
    rule["filters"].for_each_item(
        [&](const Node& filter) { redirects = redirects || filter.has("requestRedirect"); });
    if (redirects && is_set(rule["backendRefs"])) {
      report.error(rule, path,
                   "a RequestRedirect filter must not be used together with backendRefs");
    }
    if (replaces_prefix(rule["filters"]) || backend_replaces_prefix) {
      const auto& only = rule["matches"];
      const auto type = only.at(0)["path"]["type"].str();
      if (only.size() != 1 || !only.at(0)["path"].is_map() ||
          (type != "PathPrefix" && !type.empty())) {
        report.error(rule, path + ".matches",
                     "replacePrefixMatch needs exactly one match, of type PathPrefix");
      }
    }
  });
  if (matches > 128) {
    report.error(rules, "spec.rules",
                 "the rules have " + std::to_string(matches) + " matches; at most 128 are allowed");
  }
}

void check_route_rules(Report& report, const Node& rules) {
  std::size_t index = 0;
  rules.for_each_item([&](const Node& rule) {
    const auto path = item("spec.rules", index++);
    std::size_t backend_index = 0;
    rule["backendRefs"].for_each_item([&](const Node& ref) {
      check_backend_port(report, ref, item(path + ".backendRefs", backend_index++));
    });
  });
}

// The field table's pattern checks the hostnames' form; an IP address also fits it.
void check_tls_route_hostnames(Report& report, const Node& hostnames) {
  std::size_t index = 0;
  hostnames.for_each_item([&](const Node& hostname) {
    const auto path = item("spec.hostnames", index++);
    if (is_ip(hostname.str())) report.error(hostname, path, "a hostname cannot be an IP address");
  });
}

void check_backend_tls_policy(Report& report, const Node& spec) {
  check_sections(report, spec["targetRefs"], "spec.targetRefs", "", "");
  const auto& validation = spec["validation"];
  const bool refs = is_set(validation["caCertificateRefs"]);
  const bool well_known = is_set(validation["wellKnownCACertificates"]);
  if (validation.is_map() && refs == well_known) {
    report.error(validation, "spec.validation",
                 refs ? "set caCertificateRefs or wellKnownCACertificates, not both"
                      : "set caCertificateRefs or wellKnownCACertificates");
  }
  std::size_t index = 0;
  validation["subjectAltNames"].for_each_item([&](const Node& name) {
    const auto path = item("spec.validation.subjectAltNames", index++);
    const auto& type = name["type"].str();
    if ((type == "Hostname") != is_set(name["hostname"]) ||
        (type == "URI") != is_set(name["uri"])) {
      report.error(name, path, "type Hostname takes hostname, type URI takes uri, and only that");
    }
  });
}

}  // namespace

void check_gateway_api(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  if (!spec.is_map()) {
    report.error(resource.document, "spec", "required field is missing");
    return;
  }
  switch (resource.kind) {
    case Kind::kKubernetesGateway:
      check_listeners(report, spec["listeners"]);
      check_addresses(report, spec["addresses"]);
      break;
    case Kind::kListenerSet:
      check_listeners(report, spec["listeners"]);
      break;
    case Kind::kHTTPRoute:
    case Kind::kGRPCRoute:
      check_sections(report, spec["parentRefs"], "spec.parentRefs", "gateway.networking.k8s.io",
                     "Gateway");
      check_http_rules(report, spec["rules"], resource.kind == Kind::kHTTPRoute);
      break;
    case Kind::kTLSRoute:
      check_tls_route_hostnames(report, spec["hostnames"]);
      [[fallthrough]];
    case Kind::kTCPRoute:
      check_sections(report, spec["parentRefs"], "spec.parentRefs", "gateway.networking.k8s.io",
                     "Gateway");
      check_route_rules(report, spec["rules"]);
      break;
    case Kind::kBackendTLSPolicy:
      check_backend_tls_policy(report, spec);
      break;
    default:
      break;
  }
}

}  // namespace getmesh::validate::schema
