#include "cli/commands/commands.hpp"

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

}  // namespace getmesh::cli
