#include "validate/schema/known_fields.hpp"

#include "validate/schema/known_fields_data.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>

namespace getmesh::validate::schema {

const std::unordered_map<std::string, KindSchema>& known_fields() {
  static const auto kTable = [] {
    std::unordered_map<std::string, KindSchema> table;
    KindSchema* current = nullptr;
    for (const auto& line : split(kKnownFields, '\n')) {
      if (line.empty()) continue;
      if (line.front() == '@') {
        current = &table[line.substr(1)];
        continue;
      }
      const auto parts = split(line, ' ');
      if (current == nullptr || parts.size() < 2) continue;
      FieldSchema field{parts[1].front(), {}};
      if (parts.size() > 2) field.enum_values = split(parts[2], '|');
      (*current)[parts[0]] = std::move(field);
    }
    return table;
  }();
  return kTable;
}

namespace {

const char* type_name(char type) {
  switch (type) {
    case 'o':
    case 'm':
      return "an object";
    case 'a':
      return "a list";
    case 's':
      return "a string";
    case 'i':
      return "an integer";
    case 'n':
      return "a number";
    case 'b':
      return "a boolean (true or false)";
    default:
      return "a value";
  }
}

bool has_type(const Node& node, char type) {
  switch (type) {
    case 'o':
    case 'm':
      return node.is_map();
    case 'a':
      return node.is_sequence();
    case 's':
      // Unquoted numbers and booleans are not strings to the API server.
      return node.is_scalar() && (!node.plain() || (!node.as_number() && !node.as_bool()));
    case 'i':
      return node.as_int().has_value();
    case 'n':
      return node.as_number().has_value();
    case 'b':
      return node.as_bool().has_value();
    default:
      return true;
  }
}

class Walker {
 public:
  Walker(Report& report, const KindSchema& schema) : report_(report), schema_(schema) {}

  // `schema_path` has [] and {} where `path` has indexes and keys.
  void walk(const Node& node, const std::string& schema_path, const std::string& path) {
    if (node.is_null()) return;
    const auto found = schema_.find(schema_path);
    if (found == schema_.end()) return;
    const auto& field = found->second;
    if (!has_type(node, field.type)) {
      const char* hint = field.type == 's' && node.is_scalar() ? " (quote the value)" : "";
      report_.error(node, path, std::string("must be ") + type_name(field.type) + hint);
      return;
    }
    if (!field.enum_values.empty() && std::find(field.enum_values.begin(), field.enum_values.end(),
                                                node.str()) == field.enum_values.end()) {
      report_.error(node, path,
                    "unsupported value " + quote(node.str()) +
                        " (supported: " + join(field.enum_values, ", ") + ")");
      return;
    }
    if (field.type == 'o') {
      for (const auto& entry : node.entries()) {
        const auto child = schema_path + "." + entry.key;
        if (!schema_.contains(child)) {
          report_.warning(entry.value, path + "." + entry.key,
                          "unknown field; the API server drops it (check the spelling)");
          continue;
        }
        walk(entry.value, child, path + "." + entry.key);
      }
    } else if (field.type == 'm') {
      for (const auto& entry : node.entries())
        walk(entry.value, schema_path + "{}", path + "." + entry.key);
    } else if (field.type == 'a') {
      std::size_t index = 0;
      node.for_each_item(
          [&](const Node& value) { walk(value, schema_path + "[]", item(path, index++)); });
    }
  }

 private:
  Report& report_;
  const KindSchema& schema_;
};

}  // namespace

void check_known_fields(Report& report, const Resource& resource) {
  const auto& table = known_fields();
  const auto found = table.find(std::string(kind_name(resource.kind)));
  if (found == table.end()) return;
  Walker(report, found->second).walk(resource.spec(), "spec", "spec");
}

}  // namespace getmesh::validate::schema
