#include <getmesh/helm/rendered.hpp>

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <regex>

namespace getmesh::helm {

namespace {

using nlohmann::json;

// A plain scalar as YAML 1.2's core schema reads it.
json plain_scalar(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  static const std::regex integer("[-+]?[0-9]+");
  static const std::regex floating(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(text, integer)) {
    std::int64_t value = 0;
    const auto* begin = text.data() + (text.front() == '+' ? 1 : 0);
    if (std::from_chars(begin, text.data() + text.size(), value).ec == std::errc()) return value;
  }
  if (std::regex_match(text, floating)) return std::stod(text);
  return text;
}

json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& entry : node) object[entry.first.as<std::string>()] = to_json(entry.second);
      return object;
    }
    case YAML::NodeType::Sequence: {
      json array = json::array();
      for (const auto& item : node) array.push_back(to_json(item));
      return array;
    }
    case YAML::NodeType::Scalar:
      return node.Tag() == "!" ? json(node.Scalar()) : plain_scalar(node.Scalar());
    default:
      return nullptr;
  }
}

}  // namespace

Result<std::vector<json>> parse_rendered(std::string_view text) {
  try {
    std::vector<json> objects;
    for (const auto& document : YAML::LoadAll(std::string(text))) {
      auto object = to_json(document);
      if (object.is_object() && !object.empty()) objects.push_back(std::move(object));
    }
    return objects;
  } catch (const YAML::Exception& error) {
    return runtime_error(std::string("helm template printed no valid YAML: ") + error.what());
  }
}

}  // namespace getmesh::helm
