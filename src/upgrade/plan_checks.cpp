#include <getmesh/core/strings.hpp>
#include <getmesh/store/settings.hpp>
#include <getmesh/upgrade/plan_checks.hpp>

#include <algorithm>

namespace getmesh::upgrade {

namespace {

constexpr std::size_t kMaxLabel = 63;

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool has_control(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7f;
  });
}

// A --set value as istioctl reads it: a dotted path, '=', then the value.
bool is_set_value(std::string_view value) {
  const auto equals = value.find('=');
  if (equals == 0 || equals == std::string_view::npos || has_control(value)) return false;
  const auto path = value.substr(0, equals);
  return std::all_of(path.begin(), path.end(),
                     [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' ||
                              c == '_' || c == '-' || c == '[' || c == ']';
                     }) &&
         path.front() != '-';
}

Error bad_value(const std::string& field, std::string_view value, const std::string& rule) {
  return runtime_error("the recorded plan's " + field + " " + quote(value) + " is not " + rule,
                       "the record was changed by hand or by another tool; check it with "
                       "\"getmesh upgrade status -o json\" and restore it, or delete the "
                       "ConfigMap once the cluster is in a known state");
}

}  // namespace

bool is_revision_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxLabel && is_lower_alnum(name.front()) &&
         is_lower_alnum(name.back()) && std::all_of(name.begin(), name.end(), [](char c) {
           return is_lower_alnum(c) || c == '-';
         });
}

Status check_plan_values(const Plan& plan) {
  constexpr const char* kLabel = "a DNS-1123 label (what istioctl accepts)";
  const auto label = [&](const std::string& field, const std::string& value) -> Status {
    if (!is_revision_name(value)) return bad_value(field, value, kLabel);
    return {};
  };
  std::vector<std::pair<std::string, std::string>> labels = {
      {"istio_namespace", plan.istio_namespace},
      {"source.revision", plan.source.revision},
      {"target.revision", plan.target.revision}};
  for (const auto& tag : plan.tags) {
    labels.insert(labels.end(),
                  {{"tags[].tag", tag.tag}, {"tags[].from", tag.from}, {"tags[].to", tag.to}});
  }
  for (const auto& move : plan.namespaces) labels.emplace_back("namespaces[].name", move.name);
  for (const auto& waypoint : plan.ambient.waypoints) {  // "namespace/name"
    const auto slash = waypoint.find('/');
    labels.emplace_back("ambient.waypoints[]", waypoint.substr(0, slash));
    labels.emplace_back("ambient.waypoints[]",
                        slash == std::string::npos ? std::string() : waypoint.substr(slash + 1));
  }
  for (const auto& [field, value] : labels) {
    if (auto valid = label(field, value); !valid) return valid;
  }
  for (const auto& value : plan.install.sets) {
    if (!is_set_value(value)) return bad_value("install.set", value, "path=value");
  }
  if (!plan.install.hub.empty()) {
    const auto* hub = store::find_setting("default_hub");
    if (auto problem = hub->problem(plan.install.hub); !problem.empty()) {
      return bad_value("install.hub", plan.install.hub, "a registry (" + problem + ")");
    }
  }
  for (const auto& file : plan.install.files) {
    if (!file.starts_with("/") || has_control(file)) {
      return bad_value("install.files", file, "an absolute path");
    }
  }
  return {};
}

}  // namespace getmesh::upgrade
