#include "validate/schema/kinds.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace getmesh::validate::schema {

std::string canonical(const Node& node, std::string_view skip_key) {
  switch (node.type()) {
    case Node::Type::kNull:
      return "null";
    case Node::Type::kScalar:
      return "\"" + node.str() + "\"";
    case Node::Type::kSequence: {
      std::string text = "[";
      node.for_each_item([&](const Node& value) { text += canonical(value) + ","; });
      return text + "]";
    }
    case Node::Type::kMap: {
      std::map<std::string, std::string> sorted;
      for (const auto& entry : node.entries()) {
        if (entry.key != skip_key && !entry.value.is_null())
          sorted[entry.key] = canonical(entry.value);
      }
      std::string text = "{";
      for (const auto& [key, value] : sorted) text += key + ":" + value + ",";
      return text + "}";
    }
  }
  return {};
}

namespace {

std::string rule_name(const Node& rule, std::size_t index) {
  if (const auto& name = rule["name"]; !name.empty()) return "\"" + name.str() + "\"";
  return "#" + std::to_string(index);
}

std::string match_name(const Node& match, std::size_t index) {
  if (const auto& name = match["name"]; !name.empty()) return "\"" + name.str() + "\"";
  return "#" + std::to_string(index);
}

// An earlier match `earlier` covers `later` when it only adds a shorter uri prefix to conditions
// that `later` repeats (so every request `later` matches was already taken).
bool prefix_covers(const Node& earlier, const Node& later) {
  const auto& first = earlier["uri"];
  const auto& second = later["uri"];
  if (first.size() != 1 || second.size() != 1 || !first.has("prefix") || !second.has("prefix")) {
    return false;
  }
  if (!second["prefix"].str().starts_with(first["prefix"].str())) return false;
  return std::all_of(earlier.entries().begin(), earlier.entries().end(),
                     [&](const Node::Entry& entry) {
                       if (entry.key == "uri" || entry.key == "name") return true;
                       const auto* other = later.find(entry.key);
                       return other != nullptr && canonical(*other) == canonical(entry.value);
                     });
}

void check_rules(Report& report, const Node& rules, bool http) {
  std::unordered_map<std::string, std::size_t> seen;  // canonical match → rule index
  std::vector<std::pair<const Node*, std::size_t>> prefix_matches;
  bool matchless_seen = false;
  for (std::size_t index = 0; index < rules.size(); ++index) {
    const auto& rule = rules.at(index);
    const auto& matches = rule["match"];
    const auto name = rule_name(rule, index);
    if (matchless_seen) {
      report.unreachable(rule, "VirtualService rule " + name +
                                   " not used (only the last rule can have no matches).");
      continue;
    }
    if (matches.empty()) {
      matchless_seen = true;
      continue;
    }
    std::size_t duplicates = 0;
    for (std::size_t m = 0; m < matches.size(); ++m) {
      const auto& match = matches.at(m);
      const auto key = canonical(match, "name");
      if (const auto found = seen.find(key); found != seen.end()) {
        ++duplicates;
        report.ineffective(match, "VirtualService rule " + name + " match " + match_name(match, m) +
                                      " is not used (duplicate/overlapping match in rule " +
                                      rule_name(rules.at(found->second), found->second) + ").");
        continue;
      }
      seen.emplace(key, index);
      if (!http) continue;
      for (const auto& [earlier, earlier_rule] : prefix_matches) {
        if (prefix_covers(*earlier, match)) {
          report.ineffective(match, "VirtualService rule " + name + " match " +
                                        match_name(match, m) +
                                        " is not used (duplicate/overlapping match in rule " +
                                        rule_name(rules.at(earlier_rule), earlier_rule) + ").");
          break;
        }
      }
      if (match["uri"].has("prefix")) prefix_matches.emplace_back(&match, index);
    }
    if (duplicates == matches.size()) {
      report.unreachable(
          rule, "VirtualService rule " + name + " not used (all matches used by prior rules).");
    }
  }
}

}  // namespace

void check_unreachable_rules(Report& report, const Resource& resource) {
  const auto& spec = resource.spec();
  check_rules(report, spec["http"], true);
  check_rules(report, spec["tcp"], false);
  check_rules(report, spec["tls"], false);
}

}  // namespace getmesh::validate::schema
