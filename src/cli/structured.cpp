#include "cli/structured.hpp"

#include <getmesh/core/strings.hpp>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace getmesh::cli {

namespace {

void emit_yaml(YAML::Emitter& emitter, const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::ordered_json::value_t::object:
      emitter << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        emitter << YAML::Key << key << YAML::Value;
        emit_yaml(emitter, item);
      }
      emitter << YAML::EndMap;
      break;
    case nlohmann::ordered_json::value_t::array:
      emitter << YAML::BeginSeq;
      for (const auto& item : value) emit_yaml(emitter, item);
      emitter << YAML::EndSeq;
      break;
    case nlohmann::ordered_json::value_t::string:
      emitter << YAML::DoubleQuoted << value.get<std::string>();
      break;
    case nlohmann::ordered_json::value_t::null:
      emitter << YAML::Null;
      break;
    case nlohmann::ordered_json::value_t::boolean:
      emitter << value.get<bool>();
      break;
    default:
      emitter << value.dump();
      break;
  }
}

}  // namespace

Result<Format> parse_format(const std::string& text) {
  if (text.empty() || text == "table") return Format::kTable;
  if (text == "json") return Format::kJson;
  if (text == "yaml") return Format::kYaml;
  return usage_error("unknown output format " + quote(text), "use -o table, -o json or -o yaml");
}

std::string render_structured(const nlohmann::ordered_json& document, Format format) {
  if (format == Format::kYaml) {
    YAML::Emitter emitter;
    emit_yaml(emitter, document);
    return std::string(emitter.c_str()) + "\n";
  }
  return document.dump(2) + "\n";
}

}  // namespace getmesh::cli
