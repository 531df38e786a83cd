#include "validate/schema/kinds.hpp"
#include "validate/schema/rules.hpp"

#include <getmesh/core/strings.hpp>

#include <set>

namespace getmesh::validate::schema {

namespace {

void check_tls(Report& report, const Node& tls, const std::string& path,
               std::string_view own_namespace) {
  if (!tls.is_map()) return;
  const auto& mode = tls["mode"].str();
  const bool has_credential = !tls["credentialName"].empty();
  if (mode == "MUTUAL" && !has_credential &&
      (tls["clientCertificate"].empty() || tls["privateKey"].empty())) {
    report.error(
        tls, path,
        "client certificate and private key are required for MUTUAL mode (or set credentialName)");
  }
  if (has_credential &&
      (tls.has("clientCertificate") || tls.has("privateKey") || tls.has("caCertificates"))) {
    report.error(
        tls, path,
        "credentialName cannot be combined with clientCertificate, privateKey or caCertificates");
  }
  if (tls["insecureSkipVerify"].as_bool().value_or(false) &&
      (!tls["caCertificates"].empty() || !tls["subjectAltNames"].empty())) {
    report.error(tls, path,
                 "insecureSkipVerify cannot be combined with caCertificates or subjectAltNames");
  }
  const auto& credential = tls["credentialName"].str();
  if (credential.starts_with("configmap://")) {
    const auto rest = std::string_view(credential).substr(12);
    if (rest.find('/') != std::string_view::npos &&
        !rest.starts_with(std::string(own_namespace) + "/")) {
      report.error(tls["credentialName"], path + ".credentialName",
                   "a configmap:// credential must be in the DestinationRule's namespace");
    }
  }
}

void check_outlier_detection(Report& report, const Node& outlier, const std::string& path) {
  if (!outlier.is_map()) return;
  check_duration(report, outlier["interval"], path + ".interval");
  check_duration(report, outlier["baseEjectionTime"], path + ".baseEjectionTime");
  check_percent(report, outlier["maxEjectionPercent"], path + ".maxEjectionPercent");
  check_percent(report, outlier["minHealthPercent"], path + ".minHealthPercent");
  if (outlier.has("consecutiveErrors"))
    report.warning(
        outlier["consecutiveErrors"], path + ".consecutiveErrors",
        "consecutiveErrors is deprecated; use consecutive5xxErrors or consecutiveGatewayErrors");
  if (outlier.has("consecutiveLocalOriginFailures") &&
      !outlier["splitExternalLocalOriginErrors"].as_bool().value_or(false)) {
    report.error(outlier, path,
                 "consecutiveLocalOriginFailures requires splitExternalLocalOriginErrors: true");
  }
}

void check_connection_pool(Report& report, const Node& pool, const std::string& path) {
  if (!pool.is_map()) return;
  if (!pool.has("http") && !pool.has("tcp"))
    report.error(pool, path, "connectionPool must set http or tcp settings");
  check_duration(report, pool["tcp"]["connectTimeout"], path + ".tcp.connectTimeout");
  check_duration(report, pool["tcp"]["idleTimeout"], path + ".tcp.idleTimeout");
  check_duration(report, pool["tcp"]["maxConnectionDuration"], path + ".tcp.maxConnectionDuration");
  check_duration(report, pool["http"]["idleTimeout"], path + ".http.idleTimeout");
  check_duration(report, pool["tcp"]["tcpKeepalive"]["time"], path + ".tcp.tcpKeepalive.time");
  check_duration(report, pool["tcp"]["tcpKeepalive"]["interval"],
                 path + ".tcp.tcpKeepalive.interval");
  if (pool["http"]["h2UpgradePolicy"].str() == "UPGRADE" &&
      pool["http"]["useClientProtocol"].as_bool().value_or(false)) {
    report.error(pool["http"], path + ".http",
                 "useClientProtocol cannot be combined with h2UpgradePolicy UPGRADE");
  }
}

void check_load_balancer(Report& report, const Node& balancer, const std::string& path) {
  if (!balancer.is_map()) return;
  const auto& locality = balancer["localityLbSetting"];
  if (locality.has("distribute") && locality.has("failover")) {
    report.error(locality, path + ".localityLbSetting",
                 "only one of distribute or failover may be set");
  }
  std::size_t index = 0;
  locality["distribute"].for_each_item([&](const Node& rule) {
    const auto rule_path = item(path + ".localityLbSetting.distribute", index++);
    std::int64_t total = 0;
    for (const auto& entry : rule["to"].entries()) total += entry.value.as_int().value_or(0);
    if (total != 100)
      report.error(rule, rule_path + ".to",
                   "the weights of a locality distribution must sum to 100 (they sum to " +
                       std::to_string(total) + ")");
  });
  index = 0;
  locality["failover"].for_each_item([&](const Node& rule) {
    const auto rule_path = item(path + ".localityLbSetting.failover", index++);
    if (rule["from"].str() == rule["to"].str() && !rule["from"].empty())
      report.error(rule, rule_path, "failover 'from' and 'to' must be different regions");
  });
  const auto& hash = balancer["consistentHash"];
  if (hash.is_map()) {
    if (hash["httpCookie"].is_map() && hash["httpCookie"]["name"].empty())
      report.error(hash["httpCookie"], path + ".consistentHash.httpCookie.name",
                   "cookie name is required");
    if (hash.has("minimumRingSize"))
      report.warning(hash["minimumRingSize"], path + ".consistentHash.minimumRingSize",
                     "minimumRingSize is deprecated; use ringHash.minimumRingSize");
  }
  check_duration(report, balancer["warmupDurationSecs"], path + ".warmupDurationSecs");
}

void check_policy(Report& report, const Node& policy, const std::string& path,
                  std::string_view own_namespace) {
  if (!policy.is_map()) return;
  if (policy.empty()) report.error(policy, path, "trafficPolicy must set at least one field");
  if (policy.has("tunnel") && policy.has("proxyProtocol"))
    report.error(policy, path, "tunnel and proxyProtocol cannot both be set");
  check_outlier_detection(report, policy["outlierDetection"], path + ".outlierDetection");
  check_connection_pool(report, policy["connectionPool"], path + ".connectionPool");
  check_load_balancer(report, policy["loadBalancer"], path + ".loadBalancer");
  check_tls(report, policy["tls"], path + ".tls", own_namespace);
  std::size_t index = 0;
  policy["portLevelSettings"].for_each_item([&](const Node& setting) {
    const auto setting_path = item(path + ".portLevelSettings", index++);
    if (setting["port"]["number"].is_null())
      report.error(setting, setting_path + ".port", "port is required in portLevelSettings");
    check_port_number(report, setting["port"]["number"], setting_path + ".port.number");
    if (setting.size() <= 1)
      report.error(setting, setting_path,
                   "portLevelSettings entries must set at least one policy field");
    check_outlier_detection(report, setting["outlierDetection"],
                            setting_path + ".outlierDetection");
    check_connection_pool(report, setting["connectionPool"], setting_path + ".connectionPool");
    check_load_balancer(report, setting["loadBalancer"], setting_path + ".loadBalancer");
    check_tls(report, setting["tls"], setting_path + ".tls", own_namespace);
  });
}

}  // namespace

void check_destination_rule(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  const auto& host = spec["host"];
  if (host.empty()) {
    report.error(spec, "spec.host", "host is required");
  } else if (auto problem = wildcard_domain_problem(host.str())) {
    report.error(host, "spec.host", *problem);
  }
  check_policy(report, spec["trafficPolicy"], "spec.trafficPolicy", resource.namespace_);
  std::set<std::string> names;
  std::size_t index = 0;
  spec["subsets"].for_each_item([&](const Node& subset) {
    const auto path = item("spec.subsets", index++);
    const auto& name = subset["name"];
    if (name.empty()) {
      report.error(subset, path + ".name", "subset name is required");
    } else if (auto problem = dns1123_label_problem(name.str())) {
      report.error(name, path + ".name", *problem);
    } else if (!names.insert(name.str()).second) {
      report.error(name, path + ".name", "duplicate subset name " + quote(name.str()));
    }
    check_labels(report, subset["labels"], path + ".labels");
    check_policy(report, subset["trafficPolicy"], path + ".trafficPolicy", resource.namespace_);
  });
  check_export_to(report, spec["exportTo"], "spec.exportTo", false);
  if (spec["workloadSelector"].is_map()) {
    check_selector(report, spec["workloadSelector"]["matchLabels"],
                   "spec.workloadSelector.matchLabels");
    const auto export_to = spec["exportTo"].strings();
    if (!export_to.empty() && export_to != std::vector<std::string>{"."} &&
        export_to != std::vector<std::string>{resource.namespace_}) {
      report.error(
          spec["exportTo"], "spec.exportTo",
          "a DestinationRule with a workloadSelector can only be exported to its own namespace");
    }
  }
}

}  // namespace getmesh::validate::schema
