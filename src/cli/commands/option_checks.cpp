#include "cli/commands/commands.hpp"
#include "cli/parse_errors.hpp"

#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <cctype>

namespace getmesh::cli {

void add_flavor_version_option(CLI::App& command, std::int64_t& value, const std::string& help) {
  command.add_option("--flavor-version", value, help)->check(integer_in_range(-1, 1'000'000));
}

CLI::Option* add_output_option(CLI::App& command, std::string& value, const std::string& formats) {
  return command.add_option("-o,--output", value, "Output format (default: table)")
      ->type_name(formats);
}

CLI::Validator without_v_prefix() {
  return CLI::Validator(
      [](std::string& value) {
        if (value.size() > 1 && (value[0] == 'v' || value[0] == 'V') &&
            std::isdigit(static_cast<unsigned char>(value[1])) != 0) {
          value.erase(0, 1);
        }
        return std::string();
      },
      "", "WITHOUT_V_PREFIX");
}

CLI::Validator non_empty_value() {
  return CLI::Validator(
      [](const std::string& value) {
        return value.empty() ? std::string("must not be empty") : "";
      },
      "", "NON_EMPTY");
}

Status check_selection(const manifest::Selection& selection) {
  if (!selection.flavor.empty() && !is_known_flavor(selection.flavor)) {
    return usage_error("unknown flavor " + quote(selection.flavor),
                       "use --flavor istio, tetrate or tetratefips");
  }
  if (!selection.version.empty() && !MinorVersion::parse(selection.version, true)) {
    return usage_error("--version " + quote(selection.version) +
                       " is not of the form X.Y or X.Y.Z");
  }
  const auto& keys = manifest::kPlatformKeys;
  if (!selection.platform.empty() &&
      std::find(keys.begin(), keys.end(), selection.platform) == keys.end()) {
    std::vector<std::string> names(keys.begin(), keys.end());
    return usage_error("unknown platform " + quote(selection.platform),
                       "use --platform " + join(names, ", "));
  }
  return {};
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
