#include "upgrade/json_texts.hpp"

namespace getmesh::upgrade {

std::vector<std::string> texts_at(const nlohmann::json& object, const char* key) {
  std::vector<std::string> values;
  if (!object.contains(key) || !object[key].is_array()) return values;
  for (const auto& value : object[key]) {
    if (value.is_string()) values.push_back(value.get<std::string>());
  }
  return values;
}

}  // namespace getmesh::upgrade
