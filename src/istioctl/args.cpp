#include <getmesh/istioctl/args.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>

namespace getmesh::istioctl {

namespace {

// istioctl's global flags that take a value as the next argument.
constexpr std::array<std::string_view, 8> kGlobalFlagsWithValue = {
    "-c", "--kubeconfig", "--context", "-i", "--istioNamespace", "-n", "--namespace", "--vklog"};

bool is_hub_key(const std::string& key) { return key == "hub" || key == "values.global.hub"; }

bool set_assigns_hub(const std::string& assignment) {
  return is_hub_key(assignment.substr(0, assignment.find('=')));
}

bool file_sets_hub(const std::string& text) {
  try {
    for (const auto& document : YAML::LoadAll(text)) {
      if (!document.IsMap() || !document["spec"] || !document["spec"].IsMap()) continue;
      const auto spec = document["spec"];
      if (spec["hub"]) return true;
      const auto values = spec["values"];
      if (values && values.IsMap() && values["global"] && values["global"].IsMap() &&
          values["global"]["hub"]) {
        return true;
      }
    }
  } catch (const YAML::Exception&) {
    return false;  // istioctl reports broken files itself
  }
  return false;
}

std::vector<std::string> values_of(const std::vector<std::string>& args,
                                   const std::vector<std::string>& spellings) {
  std::vector<std::string> values;
  for (std::size_t i = 0; i < args.size(); ++i) {
    for (const auto& spelling : spellings) {
      if (args[i] == spelling && i + 1 < args.size()) {
        values.push_back(args[i + 1]);
      } else if (args[i].starts_with(spelling + "=")) {
        values.push_back(args[i].substr(spelling.size() + 1));
      }
    }
  }
  return values;
}

}  // namespace

std::optional<std::size_t> subcommand_index(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--") return i + 1 < args.size() ? std::optional(i + 1) : std::nullopt;
    if (!arg.starts_with("-")) return i;
    if (std::find(kGlobalFlagsWithValue.begin(), kGlobalFlagsWithValue.end(), arg) !=
        kGlobalFlagsWithValue.end()) {
      ++i;  // skip the flag's value
    }
  }
  return std::nullopt;
}

bool is_install(const std::vector<std::string>& args) {
  const auto index = subcommand_index(args);
  return index && args[*index] == "install";
}

bool sets_hub(const std::vector<std::string>& args, const FileReader& read_file) {
  for (const auto& assignment : values_of(args, {"--set", "-s"})) {
    if (set_assigns_hub(assignment)) return true;
  }
  for (const auto& path : values_of(args, {"-f", "--filename"})) {
    if (const auto text = read_file(path); text && file_sets_hub(*text)) return true;
  }
  return false;
}

std::optional<std::string> flag_value(const std::vector<std::string>& args,
                                      const std::vector<std::string>& spellings) {
  const auto values = values_of(args, spellings);
  if (values.empty()) return std::nullopt;
  return values.back();
}

std::vector<std::string> flag_values(const std::vector<std::string>& args,
                                     const std::vector<std::string>& spellings) {
  return values_of(args, spellings);
}

bool has_flag(const std::vector<std::string>& args, const std::vector<std::string>& spellings) {
  return std::any_of(args.begin(), args.end(), [&](const std::string& arg) {
    return std::any_of(spellings.begin(), spellings.end(), [&](const std::string& spelling) {
      return arg == spelling || arg.starts_with(spelling + "=");
    });
  });
}

}  // namespace getmesh::istioctl
