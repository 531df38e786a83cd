// The value rules of Istio's injection annotations (IST0125), as the sidecar injector applies them.
#include "validate/checks/annotation_values.hpp"

#include "validate/schema/rules.hpp"
#include "validate/yaml_documents.hpp"

#include <getmesh/core/strings.hpp>

#include <charconv>
#include <cstdint>
#include <re2/re2.h>

namespace getmesh::validate {

namespace {

using Problem = std::optional<std::string>;

// An unsigned decimal number up to `max`, without sign or spaces (Go's strconv.ParseUint).
bool is_unsigned(std::string_view text, std::uint64_t max) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size() && value <= max;
}

Problem port_list_problem(std::string_view ports) {
  const auto trimmed = trim(ports);
  if (trimmed.empty()) return std::nullopt;
  for (const auto& port : split(trimmed, ',')) {
    if (!is_unsigned(trim(port), 65535)) return "failed parsing port " + quote(port);
  }
  return std::nullopt;
}

Problem cidr_list_problem(std::string_view cidrs) {
  if (cidrs.empty()) return std::nullopt;
  for (const auto& cidr : split(cidrs, ',')) {
    if (!schema::is_cidr(cidr)) return "failed parsing CIDR " + quote(cidr);
  }
  return std::nullopt;
}

// Network interface names: non-empty, at most 15 characters (Linux), no spaces or slashes.
Problem interface_list_problem(std::string_view interfaces) {
  if (trim(interfaces).empty()) return std::nullopt;
  for (const auto& name : split(interfaces, ',')) {
    const auto trimmed = trim(name);
    if (trimmed.empty() || trimmed.size() > 15 ||
        trimmed.find_first_of(" \t/") != std::string_view::npos)
      return "invalid interface name " + quote(name);
  }
  return std::nullopt;
}

// Go's strconv.ParseBool.
Problem bool_problem(std::string_view value) {
  for (const char* accepted :
       {"1", "t", "T", "true", "TRUE", "True", "0", "f", "F", "false", "FALSE", "False"}) {
    if (value == accepted) return std::nullopt;
  }
  return quote(value) + " is not a boolean (true or false)";
}

// A Kubernetes resource quantity such as 100m, 0.5, 128Mi or 1e3; negative amounts are refused.
Problem quantity_problem(std::string_view value) {
  static const RE2 kQuantity(
      R"(^\+?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$)");
  if (RE2::FullMatch(value, kQuantity)) return std::nullopt;
  return quote(value) + " is not a resource quantity (e.g. 100m, 0.5, 128Mi, 1Gi)";
}

// A protobuf Duration as ProxyConfig's JSON reads it ("5s", "0.5s"), at least 1 ms.
Problem proto_duration_problem(const Node& value) {
  static const RE2 kDuration(R"(^[0-9]+(\.[0-9]+)?s$)");
  if (!value.is_scalar() || !RE2::FullMatch(value.str(), kDuration))
    return quote(value.str()) + " is not a duration in seconds (e.g. 5s, 0.5s)";
  return schema::duration_problem(value.str());
}

// proxy.istio.io/config: ProxyConfig as YAML or JSON, laid over the defaults. Fields it does not
// know are ignored (as the injector does); the ones it checks must have their type and range.
Problem proxy_config_problem(std::string_view value) {
  if (trim(value).empty()) return std::nullopt;
  int error_line = 0;
  auto parsed = parse_document(DocumentText{value, 1}, error_line);
  if (!parsed) return "failed to parse the proxy config: " + parsed.error().message;
  if (parsed->empty() || parsed->front().is_null()) return std::nullopt;
  const auto& config = parsed->front();
  if (!config.is_map()) return std::string("the proxy config must be a mapping of fields");
  const auto& concurrency = config["concurrency"];
  if (!concurrency.is_null() && (!concurrency.as_int() || *concurrency.as_int() < 0))
    return std::string("concurrency must be a non-negative integer");
  for (const char* field : {"proxyAdminPort", "statusPort"}) {
    const auto& node = config[field];
    if (!node.is_null() && (!node.as_int() || *node.as_int() < 1 || *node.as_int() > 65535))
      return std::string(field) + " must be a port number (1..65535)";
  }
  for (const char* field :
       {"drainDuration", "terminationDrainDuration", "parentShutdownDuration"}) {
    if (config.has(field)) {
      if (auto problem = proto_duration_problem(config[field]))
        return std::string(field) + ": " + *problem;
    }
  }
  const auto& mode = config["interceptionMode"];
  if (!mode.is_null() && mode.str() != "REDIRECT" && mode.str() != "TPROXY" && mode.str() != "NONE")
    return "interceptionMode must be REDIRECT, TPROXY or NONE";
  const auto& hold = config["holdApplicationUntilProxyStarts"];
  if (!hold.is_null() && !hold.as_bool())
    return std::string("holdApplicationUntilProxyStarts must be true or false");
  const auto& metadata = config["proxyMetadata"];
  if (!metadata.is_null() && !metadata.is_map())
    return std::string("proxyMetadata must be a mapping of strings");
  const auto& address = config["discoveryAddress"];
  if (!address.is_null()) {
    const auto& text = address.str();
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 ||
        !is_unsigned(std::string_view(text).substr(colon + 1), 65535))
      return "discoveryAddress " + quote(text) + " must be host:port";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> annotation_value_problem(std::string_view name, std::string_view value) {
  if (name == "sidecar.istio.io/interceptionMode") {
    if (value == "REDIRECT" || value == "TPROXY" || value == "NONE") return std::nullopt;
    return "interceptionMode invalid, use REDIRECT,TPROXY,NONE: " + std::string(value);
  }
  if (name == "status.sidecar.istio.io/port") {
    if (is_unsigned(trim(value), 65535)) return std::nullopt;
    return "failed parsing port " + quote(value);
  }
  if (name == "readiness.status.sidecar.istio.io/initialDelaySeconds" ||
      name == "readiness.status.sidecar.istio.io/periodSeconds" ||
      name == "readiness.status.sidecar.istio.io/failureThreshold") {
    if (is_unsigned(value, 4294967295U)) return std::nullopt;
    return quote(value) + " is not a non-negative integer";
  }
  if (name == "traffic.sidecar.istio.io/includeOutboundIPRanges") {
    return value == "*" ? std::nullopt : cidr_list_problem(value);
  }
  if (name == "traffic.sidecar.istio.io/excludeOutboundIPRanges") return cidr_list_problem(value);
  if (name == "traffic.sidecar.istio.io/includeInboundPorts") {
    return value == "*" ? std::nullopt : port_list_problem(value);
  }
  if (name == "traffic.sidecar.istio.io/excludeInboundPorts" ||
      name == "traffic.sidecar.istio.io/includeOutboundPorts" ||
      name == "traffic.sidecar.istio.io/excludeOutboundPorts") {
    return port_list_problem(value);
  }
  if (name == "traffic.sidecar.istio.io/excludeInterfaces" ||
      name == "traffic.sidecar.istio.io/kubevirtInterfaces" ||
      name == "istio.io/reroute-virtual-interfaces") {
    return interface_list_problem(value);
  }
  if (name == "prometheus.istio.io/merge-metrics") return bool_problem(value);
  if (name == "proxy.istio.io/config") return proxy_config_problem(value);
  if (name == "sidecar.istio.io/proxyCPU" || name == "sidecar.istio.io/proxyCPULimit" ||
      name == "sidecar.istio.io/proxyMemory" || name == "sidecar.istio.io/proxyMemoryLimit") {
    return quantity_problem(value);
  }
  return std::nullopt;
}

}  // namespace getmesh::validate
