#include "validate/json_node.hpp"

#include <getmesh/validate/load.hpp>

namespace getmesh::validate {

namespace {

Node convert(const nlohmann::json& value, int depth) {
  if (depth > kMaxNesting) return Node::null_at(0);
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      auto node = Node::map(0);
      for (const auto& [key, item] : value.items()) node.insert(key, convert(item, depth + 1));
      return node;
    }
    case nlohmann::json::value_t::array: {
      auto node = Node::sequence(0);
      for (const auto& item : value) node.append(convert(item, depth + 1));
      return node;
    }
    case nlohmann::json::value_t::string:
      return Node::scalar(value.get<std::string>(), false, 0);
    case nlohmann::json::value_t::boolean:
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return Node::scalar(value.dump(), true, 0);
    default:
      return Node::null_at(0);
  }
}

}  // namespace

Node node_from_json(const nlohmann::json& value) { return convert(value, 0); }

}  // namespace getmesh::validate
