#include "validate/label_selector.hpp"

#include <algorithm>

namespace getmesh::validate {

namespace {

const std::string* value_of(const Labels& labels, const std::string& key) {
  for (const auto& [name, value] : labels) {
    if (name == key) return &value;
  }
  return nullptr;
}

bool expression_matches(const Node& expression, const Labels& labels) {
  const auto& key = expression["key"].str();
  const auto& op = expression["operator"].str();
  const auto values = expression["values"].strings();
  const auto* value = value_of(labels, key);
  const bool listed =
      value != nullptr && std::find(values.begin(), values.end(), *value) != values.end();
  if (op == "In") return listed;
  if (op == "NotIn") return !listed;
  if (op == "Exists") return value != nullptr;
  if (op == "DoesNotExist") return value == nullptr;
  return false;
}

}  // namespace

bool label_selector_matches(const Node& selector, const Labels& labels) {
  if (selector.is_null()) return true;
  if (!selector.is_map()) return false;
  for (const auto& [key, wanted] : selector["matchLabels"].string_map()) {
    const auto* value = value_of(labels, key);
    if (value == nullptr || *value != wanted) return false;
  }
  bool matches = true;
  selector["matchExpressions"].for_each_item(
      [&](const Node& expression) { matches = matches && expression_matches(expression, labels); });
  return matches;
}

}  // namespace getmesh::validate
