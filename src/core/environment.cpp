#include <getmesh/core/environment.hpp>
#include <getmesh/core/strings.hpp>

#include <unistd.h>

namespace getmesh {

Environment Environment::from_process() {
  std::map<std::string, std::string, std::less<>> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    variables.emplace(text.substr(0, equals), text.substr(equals + 1));
  }
  return Environment(std::move(variables));
}

std::optional<std::string> Environment::get(std::string_view name) const {
  const auto found = variables_.find(name);
  if (found == variables_.end() || found->second.empty()) return std::nullopt;
  return found->second;
}

Result<std::int64_t> positive_number(const Environment& environment, std::string_view name,
                                     std::int64_t fallback) {
  const auto text = environment.get(name);
  if (!text) return fallback;
  const auto value = parse_non_negative(*text);
  if (!value || *value == 0) {
    return usage_error(std::string(name) + "=" + quote(*text) + " is not a positive whole number",
                       "set " + std::string(name) + " to a number such as " +
                           std::to_string(fallback) + ", or unset it");
  }
  return *value;
}

}  // namespace getmesh
