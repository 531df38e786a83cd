#include "upgrade/json_texts.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/upgrade/helm.hpp>

#include <cctype>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// "istiod-1.30.8" → {"istiod", "1.30.8"}: the version starts at the first "-<digit>".
std::pair<std::string, std::string> split_chart(const std::string& chart) {
  for (std::size_t i = 0; i + 1 < chart.size(); ++i) {
    if (chart[i] == '-' && std::isdigit(static_cast<unsigned char>(chart[i + 1])) != 0) {
      return {chart.substr(0, i), chart.substr(i + 1)};
    }
  }
  return {chart, ""};
}

int revision_of(const json& value) {
  if (value.is_number_integer()) return value.get<int>();
  if (value.is_string()) {
    if (auto number = parse_non_negative(value.get<std::string>()))
      return static_cast<int>(*number);
  }
  return 0;
}

ordered_json release_json(const HelmRelease& release) {
  return {{"name", release.name},         {"namespace", release.namespace_name},
          {"chart", release.chart},       {"chart_version", release.chart_version},
          {"revision", release.revision}, {"values", release.values}};
}

Result<HelmRelease> release_from_json(const json& object, const std::string& where) {
  if (!object.is_object() || !object.contains("name") || !object["name"].is_string() ||
      !object.contains("namespace") || !object["namespace"].is_string()) {
    return runtime_error("the plan has no valid " + where);
  }
  HelmRelease release;
  release.name = object["name"].get<std::string>();
  release.namespace_name = object["namespace"].get<std::string>();
  release.chart = object.value("chart", "");
  release.chart_version = object.value("chart_version", "");
  release.revision = revision_of(object.value("revision", json()));
  release.values =
      object.contains("values") && object["values"].is_object() ? object["values"] : json::object();
  return release;
}

}  // namespace

Result<std::vector<HelmRelease>> parse_helm_list(std::string_view text, const std::string& where) {
  const auto document = json::parse(text, nullptr, false);
  if (!document.is_array()) {
    return runtime_error(where + " did not print a JSON list of releases",
                         "run it yourself to see what is wrong");
  }
  std::vector<HelmRelease> releases;
  for (const auto& item : document) {
    if (!item.is_object() || !item.contains("name") || !item["name"].is_string()) continue;
    HelmRelease release;
    release.name = item["name"].get<std::string>();
    release.namespace_name = item.value("namespace", "");
    auto [chart, version] = split_chart(item.value("chart", ""));
    release.chart = std::move(chart);
    release.chart_version = std::move(version);
    release.revision = revision_of(item.value("revision", json()));
    releases.push_back(std::move(release));
  }
  return releases;
}

Result<json> parse_helm_values(std::string_view text, const std::string& where) {
  const auto document = json::parse(text, nullptr, false);
  if (document.is_null() && trim(text) == "null") return json::object();
  if (!document.is_object()) {
    return runtime_error(where + " did not print the release's values as a JSON object",
                         "run it yourself to see what is wrong");
  }
  return document;
}

std::string served_revision(const HelmRelease& release) {
  if (release.values.contains("revision") && release.values["revision"].is_string() &&
      !release.values["revision"].get<std::string>().empty()) {
    return release.values["revision"].get<std::string>();
  }
  return "default";
}

ordered_json to_json(const HelmUpgrade& helm) {
  ordered_json document;
  document["chart_repo"] = helm.chart_repo;
  document["base"] = helm.base ? release_json(*helm.base) : ordered_json();
  document["control_plane"] = release_json(helm.control_plane);
  document["new_release"] = helm.new_release;
  document["new_values"] = helm.new_values;
  document["dropped"] = helm.dropped;
  document["gateways"] = ordered_json::array();
  for (const auto& gateway : helm.gateways) document["gateways"].push_back(release_json(gateway));
  document["gateway_moves"] = helm.gateway_moves;
  document["cni"] = helm.cni ? release_json(*helm.cni) : ordered_json();
  document["ztunnel"] = helm.ztunnel ? release_json(*helm.ztunnel) : ordered_json();
  return document;
}

Result<HelmUpgrade> helm_from_json(const json& document) {
  if (!document.is_object()) return runtime_error("the plan has no valid helm");
  HelmUpgrade helm;
  helm.chart_repo = document.value("chart_repo", "");
  if (document.contains("base") && !document["base"].is_null()) {
    auto base = release_from_json(document["base"], "helm.base");
    if (!base) return base.error();
    helm.base = *base;
  }
  auto control_plane =
      release_from_json(document.value("control_plane", json()), "helm.control_plane");
  if (!control_plane) return control_plane.error();
  helm.control_plane = *control_plane;
  helm.new_release = document.value("new_release", "");
  if (helm.new_release.empty() || helm.chart_repo.empty()) {
    return runtime_error("the plan has no valid helm.new_release or helm.chart_repo");
  }
  helm.new_values = document.contains("new_values") && document["new_values"].is_object()
                        ? document["new_values"]
                        : json::object();
  helm.dropped = texts_at(document, "dropped");
  if (document.contains("gateways") && document["gateways"].is_array()) {
    for (const auto& entry : document["gateways"]) {
      auto gateway = release_from_json(entry, "helm.gateways");
      if (!gateway) return gateway.error();
      helm.gateways.push_back(*gateway);
    }
  }
  helm.gateway_moves = texts_at(document, "gateway_moves");
  for (auto [key, release] : {std::pair{"cni", &helm.cni}, std::pair{"ztunnel", &helm.ztunnel}}) {
    if (!document.contains(key) || document[key].is_null()) continue;
    auto read = release_from_json(document[key], std::string("helm.") + key);
    if (!read) return read.error();
    *release = std::move(*read);
  }
  return helm;
}

}  // namespace getmesh::upgrade
