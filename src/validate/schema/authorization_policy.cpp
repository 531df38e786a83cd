#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

#include <array>

namespace getmesh::validate::schema {

namespace {

bool known_condition_key(std::string_view key) {
  static constexpr std::array<std::string_view, 14> kExact = {"source.ip",
                                                              "remote.ip",
                                                              "source.namespace",
                                                              "source.principal",
                                                              "source.serviceAccount",
                                                              "source.trustDomain",
                                                              "request.auth.principal",
                                                              "request.auth.audiences",
                                                              "request.auth.presenter",
                                                              "destination.ip",
                                                              "destination.port",
                                                              "connection.sni",
                                                              "request.headers",
                                                              "request.auth.claims"};
  for (const auto& exact : kExact) {
    if (key == exact) return exact != "request.headers" && exact != "request.auth.claims";
  }
  if ((key.starts_with("request.headers[") || key.starts_with("request.auth.claims[")) &&
      key.ends_with("]")) {
    return true;
  }
  return key.starts_with("experimental.");
}

void check_strings(Report& report, const Node& list, const std::string& path) {
  std::size_t index = 0;
  list.for_each_item([&](const Node& value) {
    if (value.empty()) report.error(value, item(path, index), "empty value is not allowed");
    ++index;
  });
}

void check_source(Report& report, const Node& source, const std::string& path, bool custom) {
  if (source.empty()) report.error(source, path, "source must set at least one field");
  for (const auto& entry : source.entries())
    check_strings(report, entry.value, path + "." + entry.key);
  for (const char* field : {"ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks"}) {
    std::size_t index = 0;
    source[field].for_each_item([&](const Node& block) {
      if (!block.empty() && !is_ip(block.str()) && !is_cidr(block.str())) {
        report.error(block, item(path + "." + field, index),
                     quote(block.str()) + " is not an IP address or CIDR range");
      }
      ++index;
    });
  }
  if (source.has("serviceAccounts") && (source.has("principals") || source.has("namespaces"))) {
    report.error(source, path, "serviceAccounts cannot be combined with principals or namespaces");
  }
  if (source["serviceAccounts"].size() > 16)
    report.error(source["serviceAccounts"], path + ".serviceAccounts",
                 "at most 16 serviceAccounts are allowed");
  if (custom) {
    for (const char* field :
         {"principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces",
          "notNamespaces", "serviceAccounts", "trustDomains"}) {
      if (source.has(field))
        report.error(source[field], path + "." + field,
                     std::string("CUSTOM action does not support ") + field);
    }
  }
}

void check_operation(Report& report, const Node& operation, const std::string& path) {
  if (operation.empty()) report.error(operation, path, "operation must set at least one field");
  for (const auto& entry : operation.entries())
    check_strings(report, entry.value, path + "." + entry.key);
  for (const char* field : {"ports", "notPorts"}) {
    std::size_t index = 0;
    operation[field].for_each_item([&](const Node& port) {
      const auto number = parse_non_negative(port.str());
      if (!number || *number > 65535)
        report.error(port, item(path + "." + field, index),
                     "port " + quote(port.str()) + " must be a number in 0..65535");
      ++index;
    });
  }
}

}  // namespace

void check_authorization_policy(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  check_policy_target(report, spec, "selector");
  const auto action = spec["action"].empty() ? std::string("ALLOW") : spec["action"].str();
  const bool custom = action == "CUSTOM";
  if (custom && spec["provider"]["name"].empty())
    report.error(spec, "spec.provider.name", "CUSTOM action requires a provider name");
  if (!custom && spec.has("provider"))
    report.error(spec["provider"], "spec.provider",
                 "provider can only be used with the CUSTOM action");
  if (custom && spec["rules"].empty())
    report.error(spec, "spec.rules", "CUSTOM action requires at least one rule");
  if (action == "DENY" && !spec.has("rules"))
    report.error(spec, "spec.rules",
                 "DENY action requires rules (a DENY policy without rules would deny nothing)");
  std::size_t index = 0;
  spec["rules"].for_each_item([&](const Node& rule) {
    const auto path = item("spec.rules", index++);
    if (rule.is_null()) {
      report.error(rule, path, "rule must not be null");
      return;
    }
    if (rule.has("from") && rule["from"].empty())
      report.error(rule["from"], path + ".from", "from must not be an empty list");
    if (rule.has("to") && rule["to"].empty())
      report.error(rule["to"], path + ".to", "to must not be an empty list");
    std::size_t from_index = 0;
    rule["from"].for_each_item([&](const Node& from) {
      check_source(report, from["source"], item(path + ".from", from_index++) + ".source", custom);
    });
    std::size_t to_index = 0;
    rule["to"].for_each_item([&](const Node& to) {
      check_operation(report, to["operation"], item(path + ".to", to_index++) + ".operation");
    });
    std::size_t when_index = 0;
    rule["when"].for_each_item([&](const Node& condition) {
      const auto when_path = item(path + ".when", when_index++);
      const auto& key = condition["key"].str();
      if (key.empty()) {
        report.error(condition, when_path + ".key", "condition key must not be empty");
      } else if (!known_condition_key(key)) {
        report.error(condition["key"], when_path + ".key", "unknown attribute " + quote(key));
      } else if (custom && (key.starts_with("source.") || key.starts_with("request.auth."))) {
        report.error(condition["key"], when_path + ".key",
                     "CUSTOM action does not support " + quote(key));
      }
      if (condition["values"].empty() && condition["notValues"].empty()) {
        report.error(condition, when_path, "condition needs values or notValues");
      }
    });
  });
  if (const auto* dry_run = resource.annotation("istio.io/dry-run");
      dry_run != nullptr && *dry_run != "true" && *dry_run != "false") {
    report.error(resource.metadata(), "metadata.annotations.istio.io/dry-run",
                 "must be true or false");
  }
}

}  // namespace getmesh::validate::schema
