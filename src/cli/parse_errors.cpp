#include "cli/parse_errors.hpp"

#include "cli/help_format.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace getmesh::cli {

namespace {

// 'value', with control characters escaped like quote() does.
std::string quote_single(const std::string& value) {
  auto text = quote(value);
  text.front() = '\'';
  text.back() = '\'';
  return text;
}

// "getmesh help fetch" for "getmesh fetch".
std::string help_command_of(const CLI::App& app) {
  const auto path = command_path(app);
  const auto space = path.find(' ');
  if (space == std::string::npos) return path + " help";
  return path.substr(0, space) + " help" + path.substr(space);
}

// "'abc' is not an integer" for a value that is not a whole number, "" for one that is.
std::string integer_problem(const std::string& value) {
  std::int64_t parsed = 0;
  const auto* end = value.data() + value.size();
  const auto [stop, error] = std::from_chars(value.data(), end, parsed);
  if (value.empty() || stop != end) return quote_single(value) + " is not an integer";
  if (error == std::errc::result_out_of_range) return quote_single(value) + " is out of range";
  return "";
}

const CLI::Option* option_named(const CLI::App& selected, const std::string& name) {
  for (const auto* app = &selected; app != nullptr; app = app->get_parent()) {
    if (const auto* option = app->get_option_no_throw(name)) return option;
  }
  return nullptr;
}

// CLI11 says "Could not convert: --flag = value".
std::string conversion_message(const std::string& what, const CLI::App& selected) {
  const std::string prefix = "Could not convert: ";
  const auto equals = what.find(" = ");
  if (!what.starts_with(prefix) || equals == std::string::npos) return what;
  const auto name = what.substr(prefix.size(), equals - prefix.size());
  const auto value = what.substr(equals + 3);
  const auto* option = option_named(selected, name);
  if (option != nullptr && option->get_items_expected_max() == 0) {
    return name + ": " + quote_single(value) + " is not true or false";
  }
  const auto problem = integer_problem(value);
  return name + ": " + (problem.empty() ? quote_single(value) + " is not a valid value" : problem);
}

// The commands of `selected` and the long flags of it and the commands above it: what a mistyped
// word may have meant.
std::vector<std::string> command_names(const CLI::App& selected) {
  std::vector<std::string> names;
  for (const auto* sub : selected.get_subcommands({})) {
    if (!sub->get_group().empty()) names.push_back(sub->get_name());
  }
  return names;
}

std::vector<std::string> flag_names(const CLI::App& selected) {
  std::vector<std::string> names;
  for (const auto* app = &selected; app != nullptr; app = app->get_parent()) {
    for (const auto* option : app->get_options()) {
      for (const auto& name : option->get_lnames()) names.push_back("--" + name);
    }
  }
  return names;
}

// `did you mean "switch"? ` for a word that is a typo of a command or flag, else "".
std::string suggestion(const CLI::App& root, const CLI::App& selected) {
  const auto extras = root.remaining(true);
  if (extras.empty()) return "";
  const auto& word = extras.front();
  std::optional<std::string> match;
  if (word.starts_with("--")) {
    match = closest_match(word.substr(0, word.find('=')), flag_names(selected));
  } else if (!word.starts_with("-")) {
    match = closest_match(word, command_names(selected));
  }
  return match ? "did you mean " + quote(*match) + "? " : "";
}

std::string extras_message(const CLI::App& root, const CLI::App& selected) {
  const auto extras = root.remaining(true);
  if (extras.empty()) return "unexpected arguments";
  const auto& word = extras.front();
  if (word.starts_with("-") && word.size() > 1)
    return "unknown flag: " + word.substr(0, word.find('='));
  if (&selected == &root) return "unknown command " + quote(word);
  return "unexpected argument " + quote(word);
}

// "get, list, set or unset": the subcommands of `app`, sorted.
std::string subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  std::sort(names.begin(), names.end());
  if (names.size() < 2) return join(names, "");
  const auto last = names.back();
  names.pop_back();
  return join(names, ", ") + " or " + last;
}

}  // namespace

Error describe_parse_error(const CLI::ParseError& error, const CLI::App& root) {
  const auto& selected = selected_command(root);
  const std::string what = error.what();
  std::string message = what;
  std::string advice;
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    message = extras_message(root, selected);
    advice = suggestion(root, selected);
  } else if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    message = conversion_message(what, selected);
  } else if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr &&
             what.find(" required ") != std::string::npos) {
    message = what.substr(0, what.find(':')) + " needs a value";
  } else if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr &&
             what.starts_with("A subcommand")) {
    message = "a command is needed: " + subcommand_names(selected);
  }
  return usage_error(message + " (in " + quote(command_path(selected)) + ")",
                     advice + "see " + quote(help_command_of(selected)));
}

CLI::Validator integer_in_range(std::int64_t min, std::int64_t max) {
  return CLI::Validator(
      [min, max](const std::string& value) -> std::string {
        if (auto problem = integer_problem(value); !problem.empty()) return problem;
        const auto parsed = std::stoll(value);
        if (parsed < min || parsed > max) {
          return quote_single(value) + " is out of range (" + std::to_string(min) + " to " +
                 std::to_string(max) + ")";
        }
        return "";
      },
      "", "INTEGER_IN_RANGE");
}

}  // namespace getmesh::cli
