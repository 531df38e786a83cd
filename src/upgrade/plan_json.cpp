#include <getmesh/upgrade/plan.hpp>
#include <getmesh/upgrade/plan_checks.hpp>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

ordered_json release_json(const Release& release) {
  return {{"revision", release.revision}, {"version", release.version.to_string()}};
}

// Reading back what to_json wrote; anything else is an error naming the field.
class Reader {
 public:
  explicit Reader(const json& document) : document_(document) {}

  std::string text(const json& object, const char* key, const std::string& where) {
    if (object.is_object() && object.contains(key) && object[key].is_string())
      return object[key].get<std::string>();
    fail(where + "." + key);
    return {};
  }
  std::vector<std::string> texts(const json& object, const char* key) {
    std::vector<std::string> values;
    if (!object.is_object() || !object.contains(key)) return values;
    if (!object[key].is_array()) {
      fail(key);
      return values;
    }
    for (const auto& value : object[key]) {
      if (value.is_string()) values.push_back(value.get<std::string>());
    }
    return values;
  }
  std::int64_t number(const json& object, const char* key, std::int64_t fallback) {
    if (!object.is_object() || !object.contains(key)) return fallback;
    if (!object[key].is_number_integer()) fail(key);
    return object[key].is_number_integer() ? object[key].get<std::int64_t>() : fallback;
  }
  Release release(const char* key) {
    const auto& object = document_.contains(key) ? document_[key] : json();
    Release release;
    release.revision = text(object, "revision", key);
    auto version = DistributionName::parse(text(object, "version", key));
    if (version) {
      release.version = *version;
    } else {
      fail(std::string(key) + ".version");
    }
    return release;
  }
  const json& array(const char* key) {
    static const json empty = json::array();
    if (!document_.contains(key)) return empty;
    if (!document_[key].is_array()) fail(key);
    return document_[key].is_array() ? document_[key] : empty;
  }
  [[nodiscard]] const std::string& failed() const { return failed_; }

 private:
  void fail(const std::string& field) {
    if (failed_.empty()) failed_ = field;
  }
  const json& document_;
  std::string failed_;
};

}  // namespace

ordered_json to_json(const Plan& plan) {
  ordered_json document;
  document["context"] = plan.context;
  document["server"] = plan.server;
  document["cluster_uid"] = plan.cluster_uid;
  document["istio_namespace"] = plan.istio_namespace;
  document["source"] = release_json(plan.source);
  document["target"] = release_json(plan.target);
  document["reason"] = plan.reason;
  document["warnings"] = plan.warnings;
  ordered_json install;
  install["installed_state"] = plan.install.installed_state;
  install["profile"] = plan.install.profile;
  install["spec"] = plan.install.spec;
  install["dropped"] = plan.install.dropped;
  install["files"] = plan.install.files;
  install["set"] = plan.install.sets;
  install["hub"] = plan.install.hub;
  document["install"] = install;
  document["tags"] = ordered_json::array();
  for (const auto& tag : plan.tags) {
    document["tags"].push_back({{"tag", tag.tag}, {"from", tag.from}, {"to", tag.to}});
  }
  document["namespaces"] = ordered_json::array();
  for (const auto& move : plan.namespaces) {
    document["namespaces"].push_back({{"name", move.name},
                                      {"label", move.label},
                                      {"moves_with", move.relabelled() ? "relabel" : "tag"},
                                      {"tag", move.tag},
                                      {"workloads", move.workloads},
                                      {"bare_pods", move.bare_pods},
                                      {"left_alone", move.left_alone}});
  }
  document["unmoved_proxies"] = plan.unmoved_proxies;
  document["batch_size"] = plan.batch_size;
  document["batches"] = plan.batches();
  document["timeout_seconds"] = plan.timeout_seconds;
  document["remove_old"] = plan.remove_old;
  document["ambient"] = {{"ztunnel_pods", plan.ambient.ztunnel_pods},
                         {"namespaces", plan.ambient.namespaces},
                         {"waypoints", plan.ambient.waypoints},
                         {"drain_nodes", plan.ambient.drain_nodes}};
  document["installer"] = plan.helm ? "helm" : "istioctl";
  document["helm"] = plan.helm ? to_json(*plan.helm) : ordered_json();
  document["steps"] = ordered_json::array();
  int number = 0;
  for (const auto& step : steps_of(plan)) {
    ordered_json entry{
        {"number", ++number}, {"id", step.key}, {"title", step.title}, {"actions", step.actions}};
    entry["gate"] = step.gate.empty() ? ordered_json() : ordered_json(step.gate);
    entry["manual"] = step.manual;
    document["steps"].push_back(std::move(entry));
  }
  return document;
}

namespace {

Result<Plan> read_plan(const json& document) {
  if (!document.is_object()) return runtime_error("the plan is not a JSON object");
  Reader read(document);
  Plan plan;
  plan.context = document.value("context", "");
  plan.server = document.value("server", "");
  plan.cluster_uid = document.value("cluster_uid", "");
  plan.istio_namespace = read.text(document, "istio_namespace", "plan");
  plan.source = read.release("source");
  plan.target = read.release("target");
  plan.reason = document.value("reason", "");
  plan.warnings = read.texts(document, "warnings");
  const auto install = document.contains("install") ? document["install"] : json::object();
  plan.install.installed_state = install.value("installed_state", "");
  plan.install.profile = install.value("profile", "");
  plan.install.spec = install.contains("spec") ? install["spec"] : json();
  plan.install.dropped = read.texts(install, "dropped");
  plan.install.files = read.texts(install, "files");
  plan.install.sets = read.texts(install, "set");
  plan.install.hub = install.value("hub", "");
  for (const auto& tag : read.array("tags")) {
    plan.tags.push_back({read.text(tag, "tag", "tags"), read.text(tag, "from", "tags"),
                         read.text(tag, "to", "tags")});
  }
  for (const auto& entry : read.array("namespaces")) {
    NamespaceMove move;
    move.name = read.text(entry, "name", "namespaces");
    move.label = read.text(entry, "label", "namespaces");
    move.tag = entry.value("tag", "");
    move.workloads = read.texts(entry, "workloads");
    move.bare_pods = read.texts(entry, "bare_pods");
    move.left_alone = read.texts(entry, "left_alone");
    plan.namespaces.push_back(std::move(move));
  }
  plan.unmoved_proxies = read.texts(document, "unmoved_proxies");
  plan.batch_size = static_cast<int>(read.number(document, "batch_size", 1));
  plan.timeout_seconds = read.number(document, "timeout_seconds", 300);
  plan.remove_old = document.value("remove_old", false);
  if (document.contains("ambient") && document["ambient"].is_object()) {
    const auto& ambient = document["ambient"];
    plan.ambient.ztunnel_pods = static_cast<int>(read.number(ambient, "ztunnel_pods", 0));
    plan.ambient.namespaces = read.texts(ambient, "namespaces");
    plan.ambient.waypoints = read.texts(ambient, "waypoints");
    plan.ambient.drain_nodes = ambient.value("drain_nodes", false);
  }
  if (!read.failed().empty()) {
    return runtime_error("the plan has no valid " + read.failed());
  }
  if (document.contains("helm") && !document["helm"].is_null()) {
    auto helm = helm_from_json(document["helm"]);
    if (!helm) return helm.error();
    plan.helm = std::move(*helm);
  }
  if (auto valid = check_plan_values(plan); !valid) return valid.error();
  return plan;
}

}  // namespace

Result<Plan> plan_from_json(const json& document) {
  try {
    return read_plan(document);
  } catch (const json::exception& error) {  // value() of a field with the wrong type
    return runtime_error(std::string("the plan has a field of the wrong type: ") + error.what());
  }
}

}  // namespace getmesh::upgrade
