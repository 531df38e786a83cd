#include "cli/commands/commands.hpp"

#include <getmesh/core/strings.hpp>

namespace getmesh::cli {

void add_flavor_version_option(CLI::App& command, std::int64_t& value, const std::string& help) {
  command.add_option("--flavor-version", value, help)
      ->default_str("-1")
      ->check(CLI::Range(std::int64_t{-1}, std::int64_t{1'000'000}));
}

CLI::Validator non_empty_value() {
  return CLI::Validator(
      [](const std::string& value) {
        return value.empty() ? std::string("must not be empty") : "";
      },
      "", "NON_EMPTY");
}

Result<std::int64_t> parse_duration_seconds(const std::string& text, const std::string& flag) {
  if (!text.empty()) {
    const char unit = text.back();
    const std::int64_t scale = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : 0;
    const auto number = parse_non_negative(scale > 0 ? text.substr(0, text.size() - 1) : text);
    if (number && *number <= 24 * 3600) return *number * (scale > 0 ? scale : 1);
  }
  return usage_error(flag + " " + quote(text) + " is not a duration",
                     "give seconds or a number with s, m or h, e.g. " + flag + " 5m");
}

}  // namespace getmesh::cli
