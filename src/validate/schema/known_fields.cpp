#include "validate/schema/known_fields.hpp"

#include "validate/schema/known_fields_data.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/validate/kinds.hpp>

#include <algorithm>
#include <re2/re2.h>

namespace getmesh::validate::schema {

namespace {

std::optional<double> parse_bound(std::string_view text) {
  if (text.empty()) return std::nullopt;
  return std::stod(std::string(text));
}

FieldTable parse_table(std::string_view text) {
  FieldTable table;
  KindSchema* current = nullptr;
  for (const auto& line : split(text, '\n')) {
    if (line.empty()) continue;
    if (line.front() == '@') {
      current = &table[line.substr(1)];
      continue;
    }
    const auto pattern_at = line.find(" =");
    const auto parts = split(line.substr(0, pattern_at), ' ');
    if (current == nullptr || parts.size() < 2) continue;
    FieldSchema field;
    field.type = parts[1].front();
    if (pattern_at != std::string::npos) {
      field.pattern = std::make_shared<const RE2>(line.substr(pattern_at + 2));
    }
    field.required = parts[1].ends_with('!');
    for (std::size_t i = 2; i < parts.size(); ++i) {
      if (parts[i].starts_with('~')) {
        const auto dots = parts[i].find("..");
        field.low = parse_bound(std::string_view(parts[i]).substr(1, dots - 1));
        field.high = parse_bound(std::string_view(parts[i]).substr(dots + 2));
      } else {
        field.enum_values = split(parts[i], '|');
      }
    }
    const auto& path = parts[0];
    if (field.required) {
      const auto dot = path.rfind('.');
      (*current)[path.substr(0, dot)].required_children.push_back(path.substr(dot + 1));
    }
    auto& slot = (*current)[path];
    field.required_children = std::move(slot.required_children);
    slot = std::move(field);
  }
  return table;
}

}  // namespace

const FieldTable& known_fields() {
  static const auto kTable = parse_table(kKnownFields);
  return kTable;
}

const FieldTable& gateway_api_fields() {
  static const auto kTable = parse_table(kGatewayApiFields);
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

std::string number_text(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.ends_with('.')) text.pop_back();
  return text;
}

// The quantity a field's bounds limit: a number's value, a list's or a string's length (in
// characters, as the API server counts them); nullopt for other types.
std::optional<double> measure(const Node& node, char type) {
  switch (type) {
    case 'i':
    case 'n':
      return node.as_number();
    case 'a':
      return static_cast<double>(node.size());
    case 's':
      return static_cast<double>(std::count_if(node.str().begin(), node.str().end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
      }));
    default:
      return std::nullopt;
  }
}

// What is wrong with `node` against the bounds of `field`, or nullopt.
std::optional<std::string> bounds_problem(const Node& node, const FieldSchema& field) {
  if (!field.low && !field.high) return std::nullopt;
  const auto value = measure(node, field.type);
  if (!value || ((!field.low || *value >= *field.low) && (!field.high || *value <= *field.high)))
    return std::nullopt;
  const char* what = field.type == 'a' ? "entries" : field.type == 's' ? "characters" : "";
  std::string range;
  if (field.low && field.high) {
    range = "between " + number_text(*field.low) + " and " + number_text(*field.high);
  } else if (field.low) {
    range = "at least " + number_text(*field.low);
  } else {
    range = "at most " + number_text(*field.high);
  }
  if (field.type == 'i' || field.type == 'n') return "must be " + range;
  return "must have " + range + " " + what + " (has " + number_text(*value) + ")";
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
    if (auto problem = bounds_problem(node, field)) report_.error(node, path, *problem);
    if (field.pattern && !RE2::PartialMatch(node.str(), *field.pattern)) {
      report_.error(
          node, path,
          "invalid value " + quote(node.str()) + " (must match " + field.pattern->pattern() + ")");
    }
    if (field.type == 'o') {
      for (const auto& name : field.required_children) {
        if (!node.has(name)) report_.error(node, path + "." + name, "required field is missing");
      }
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
  const auto& table = is_gateway_api(resource.kind) ? gateway_api_fields() : known_fields();
  const auto found = table.find(std::string(kind_name(resource.kind)));
  if (found == table.end()) return;
  Walker(report, found->second).walk(resource.spec(), "spec", "spec");
}

}  // namespace getmesh::validate::schema
