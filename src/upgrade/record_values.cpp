#include "upgrade/record_values.hpp"

#include <getmesh/core/base64.hpp>
#include <getmesh/kube/object.hpp>

namespace getmesh::upgrade::record_values {

namespace {

using nlohmann::json;

constexpr const char* kHelmPointer = "/plan/helm";
constexpr const char* kSecretKey = "values.json";

bool is_values_key(const std::string& key) {
  return key == "values" || (key.size() > 7 && key.ends_with("_values"));
}

// A JSON pointer's reference token for `key` (RFC 6901: ~ as ~0, / as ~1).
std::string token(const std::string& key) {
  std::string escaped;
  for (const char c : key) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

void take_below(nlohmann::ordered_json& node, const std::string& pointer, json& taken) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      take_below(node[i], pointer + "/" + std::to_string(i), taken);
    }
    return;
  }
  if (!node.is_object()) return;
  for (auto item = node.begin(); item != node.end();) {
    const auto here = pointer + "/" + token(item.key());
    if (is_values_key(item.key())) {
      taken[here] = json(item.value());
      item = node.erase(item);
      continue;
    }
    take_below(item.value(), here, taken);
    ++item;
  }
}

}  // namespace

std::string secret_name(const std::string& id) { return "getmesh-upgrade-values-" + id; }

json take_values(nlohmann::ordered_json& record) {
  json taken = json::object();
  const nlohmann::ordered_json::json_pointer helm(kHelmPointer);
  if (record.contains(helm)) take_below(record[helm], kHelmPointer, taken);
  return taken;
}

Status put_values(json& record, const json& values) {
  if (!values.is_object()) return runtime_error("the stored Helm values are not a JSON object");
  for (const auto& [pointer, value] : values.items()) {
    const auto refused = runtime_error("the stored Helm values name " + pointer +
                                       ", which is no place for values in this record");
    if (!pointer.starts_with(std::string(kHelmPointer) + "/") || !value.is_object()) return refused;
    try {
      const json::json_pointer place(pointer);
      const auto parent = place.parent_pointer();
      if (!is_values_key(place.back()) || !record.contains(parent) || !record[parent].is_object()) {
        return refused;
      }
      record[place] = value;
    } catch (const json::exception&) {  // not a JSON pointer
      return refused;
    }
  }
  return {};
}

json secret(const std::string& istio_namespace, const std::string& id, const json& values) {
  const json stored{{"id", id}, {"values", values}};
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"type", "Opaque"},
          {"metadata",
           {{"name", secret_name(id)},
            {"namespace", istio_namespace},
            {"labels", {{"app.kubernetes.io/managed-by", "getmesh"}}}}},
          {"data", {{kSecretKey, base64_encode(stored.dump())}}}};
}

Result<json> values_of_secret(const json& object, const std::string& id) {
  const auto decoded = base64_decode(kube::text_at(object, {"data", kSecretKey}));
  const auto stored = decoded ? json::parse(*decoded, nullptr, false) : json();
  if (!stored.is_object() || !stored.contains("values") || !stored["values"].is_object()) {
    return runtime_error("Secret " + secret_name(id) + " holds no upgrade values (" + kSecretKey +
                         " is not the JSON getmesh writes)");
  }
  if (!stored.contains("id") || stored["id"] != id) {
    return runtime_error("Secret " + secret_name(id) + " holds the values of another record");
  }
  return stored["values"];
}

}  // namespace getmesh::upgrade::record_values
