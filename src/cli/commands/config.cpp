#include "cli/commands/commands.hpp"
#include "cli/structured.hpp"
#include "cli/table.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>
#include <getmesh/store/settings.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::cli {

namespace {

struct ConfigOptions {
  std::string key;
  std::string value;
  std::string output;
};

std::vector<std::string> setting_keys() {
  std::vector<std::string> keys;
  for (const auto& setting : store::settings()) keys.emplace_back(setting.key);
  return keys;
}

Result<const store::Setting*> lookup(const std::string& key) {
  if (const auto* setting = store::find_setting(key)) return setting;
  if (key == "istio_distribution") {
    return usage_error("istio_distribution is not a setting: it records the active istioctl",
                       "change it with \"getmesh switch\" or \"getmesh fetch\"");
  }
  if (auto typo = closest_match(key, setting_keys())) {
    return usage_error("unknown setting " + quote(key), "did you mean " + quote(*typo) + "?");
  }
  return usage_error(
      "unknown setting " + quote(key),
      "the settings are " + join(setting_keys(), ", ") + " (see \"getmesh config list\")");
}

// A value as `config get` prints it: strings bare, booleans and numbers as JSON writes them.
std::string display(const nlohmann::json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// The value in effect for this run and where it comes from: "" when set, else "default" or the
// environment variable the setting falls back to.
std::pair<nlohmann::json, std::string> in_effect(const Context& context,
                                                 const store::Config& config,
                                                 const store::Setting& setting) {
  if (store::is_set(config, setting)) return {store::effective_value(config, setting), ""};
  if (!setting.fallback_variable.empty()) {
    const auto variable = std::string(setting.fallback_variable);
    if (auto value = context.environment().get(variable); value && !value->empty())
      return {nlohmann::json(*value), variable};
  }
  return {store::effective_value(config, setting), "default"};
}

Result<int> run_config_list(Context& context, const ConfigOptions& options) {
  auto format = parse_format(options.output);
  if (!format) return format.error();
  auto config = context.config();
  if (!config) return config.error();
  if (*format != Format::kTable) {
    auto document = nlohmann::ordered_json::object();
    for (const auto& setting : store::settings()) {
      auto value = in_effect(context, *config, setting).first;
      document[std::string(setting.key)] = value.is_null() ? nlohmann::json("") : value;
    }
    context.output().out() << render_structured(document, *format);
    return 0;
  }
  Table table({"KEY", "VALUE", "MEANING"});
  for (const auto& setting : store::settings()) {
    const auto [effective, source] = in_effect(context, *config, setting);
    auto value = effective.is_null() ? std::string("-") : display(effective);
    if (!source.empty()) value += " (" + source + ")";
    table.add_row({std::string(setting.key), value, std::string(setting.description)});
  }
  context.output().out() << table.render();
  return 0;
}

Result<int> run_config_get(Context& context, const ConfigOptions& options) {
  auto setting = lookup(options.key);
  if (!setting) return setting.error();
  auto config = context.config();
  if (!config) return config.error();
  const auto value = in_effect(context, *config, **setting).first;
  if (value.is_null()) {
    // As `git config` does: an unset key is no empty value, and says so.
    return runtime_error(options.key + " is not set and has no default",
                         "set it with \"getmesh config set " + options.key + " VALUE\", VALUE " +
                             "being " + store::describe_type(**setting));
  }
  context.output().out() << display(value) << "\n";
  return 0;
}

Result<int> run_config_set(Context& context, const ConfigOptions& options) {
  auto setting = lookup(options.key);
  if (!setting) return setting.error();
  store::Config checked;
  if (auto valid = store::set_setting(checked, **setting, options.value); !valid) {
    return valid.error();
  }
  auto updated = context.update_config(
      [&](store::Config& config) { (void)store::set_setting(config, **setting, options.value); });
  if (!updated) return updated.error();
  context.output().out() << options.key << " is now "
                         << display(store::setting_value(checked, **setting)) << "\n";
  return 0;
}

Result<int> run_config_unset(Context& context, const ConfigOptions& options) {
  auto setting = lookup(options.key);
  if (!setting) return setting.error();
  auto updated = context.update_config(
      [&](store::Config& config) { store::unset_setting(config, **setting); });
  if (!updated) return updated.error();
  const auto effective = store::effective_value(store::Config{}, **setting);
  const auto value = effective.is_null() ? std::string() : display(effective);
  context.output().out() << options.key << " is back to its default"
                         << (value.empty() ? "" : " (" + value + ")") << "\n";
  return 0;
}

CLI::Option* add_key(CLI::App& command, std::string& key) {
  return command.add_option("key", key, "The setting")
      ->required()
      ->type_name(join(setting_keys(), "|"));
}

}  // namespace

Command add_config_command(CLI::App& parent, Context& context) {
  auto options = std::make_shared<ConfigOptions>();
  auto* command = parent.add_subcommand(
      "config", "Show and change the settings in config.json (docs/configuration.md)");
  command->require_subcommand(1);

  auto* list = command->add_subcommand("list", "Show every setting, its value and meaning");
  add_output_option(*list, options->output);
  auto* get = command->add_subcommand("get", "Print the value of one setting");
  add_key(*get, options->key);
  auto* set = command->add_subcommand("set", "Change one setting (checked before it is saved)");
  add_key(*set, options->key);
  set->add_option("value", options->value, "The new value")->required()->type_name("SETTING_VALUE");
  auto* unset = command->add_subcommand("unset", "Put one setting back to its default");
  add_key(*unset, options->key);

  return {command, [&context, options, list, get, set]() -> Result<int> {
            if (list->parsed()) return run_config_list(context, *options);
            if (get->parsed()) return run_config_get(context, *options);
            if (set->parsed()) return run_config_set(context, *options);
            return run_config_unset(context, *options);
          }};
}

}  // namespace getmesh::cli
