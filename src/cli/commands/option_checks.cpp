#include "cli/commands/commands.hpp"
#include "cli/parse_errors.hpp"

namespace getmesh::cli {

void add_flavor_version_option(CLI::App& command, std::int64_t& value, const std::string& help) {
  command.add_option("--flavor-version", value, help)
      ->default_str("-1")
      ->check(integer_in_range(-1, 1'000'000));
}

CLI::Option* add_output_option(CLI::App& command, std::string& value, const std::string& formats) {
  return command.add_option("-o,--output", value, "Output format (default: table)")
      ->type_name(formats);
}

CLI::Validator non_empty_value() {
  return CLI::Validator(
      [](const std::string& value) {
        return value.empty() ? std::string("must not be empty") : "";
      },
      "", "NON_EMPTY");
}

}  // namespace getmesh::cli
