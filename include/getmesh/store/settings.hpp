#pragma once

#include <getmesh/core/result.hpp>
#include <getmesh/store/config.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace getmesh::store {

// One setting of config.json, typed by the Config member it lives in. Adding a setting is a member
// in Config plus one row in settings.cpp (and one row in docs/configuration.md, which a test
// checks). Rows use designated initializers; fields a row does not need keep their defaults.
struct Setting {
  std::string_view key;
  std::variant<bool Config::*, std::string Config::*, std::int64_t Config::*> member;
  std::string_view description;  // one line, for `getmesh config list` and the docs
  // For integers: the accepted range; the default is the Config member's initial value.
  std::int64_t min = 0;
  std::int64_t max = 0;
  // For strings: what a value is, in words ("an image registry"); what is wrong with a value given
  // to `config set` (empty when nothing is; null when any non-empty text is accepted); and what to
  // give instead. Files are only type-checked, so an older config.json always loads.
  std::string_view noun = {};
  std::string (*problem)(std::string_view value) = nullptr;
  std::string_view advice = {};
  // Whether `problem` also holds for the file (settings no older getmesh wrote a looser value for).
  bool checked_in_files = false;
  // For strings whose empty default stands for a value ("6h"): that value, which `config list`
  // and `config get` show; empty when an unset string means "not set" (default_hub).
  std::string_view implied = {};
  // For unset strings: an environment variable whose non-empty value is in effect before
  // `implied` (chart_repo: GETMESH_MIRROR), as `config list` and `config get` show it.
  std::string_view fallback_variable = {};
  // For strings: values shell completion offers for `config set`, '|'-separated (true and false
  // are offered for booleans without a row saying so).
  std::string_view suggestions = {};
};

// Every setting, sorted by key.
std::span<const Setting> settings();
const Setting* find_setting(std::string_view key);

// The setting's value in `config` as JSON (true, "docker.io/istio", 300).
nlohmann::json setting_value(const Config& config, const Setting& setting);
// The value in effect: setting_value, or the row's implied value for an unset string; null for an
// unset string without one (nothing is set).
nlohmann::json effective_value(const Config& config, const Setting& setting);
// Whether the value differs from the default (unset settings are not written to config.json).
bool is_set(const Config& config, const Setting& setting);
// Parses and checks `text` ("true"/"false", an integer in range, or a string the row accepts) and
// stores it in `config`; otherwise a usage error naming `as` (default: the key) and the value.
Status set_setting(Config& config, const Setting& setting, std::string_view text,
                   std::string_view as = {});
// Back to the default.
void unset_setting(Config& config, const Setting& setting);

// Reads the setting from a parsed config.json object (absent or null: the default); `invalid`
// turns a problem into the file's error.
Status read_setting(Config& config, const Setting& setting, const nlohmann::json& document,
                    const std::function<Error(const std::string&)>& invalid);

// "true or false", "an integer from 0 to 86400", "an image registry": the type in words.
std::string describe_type(const Setting& setting);

}  // namespace getmesh::store
