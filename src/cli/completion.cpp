#include "cli/completion.hpp"

#include "cli/help_format.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/kube/kubeconfig.hpp>
#include <getmesh/store/installed.hpp>
#include <getmesh/store/settings.hpp>

#include <algorithm>
#include <set>
#include <variant>

namespace getmesh::cli {

namespace {

bool is_hidden(const CLI::App& app) { return app.get_group().empty(); }

bool takes_value(const CLI::Option& option) { return option.get_items_expected_max() > 0; }

struct ValueCompletion {
  ValueKind kind = ValueKind::kNone;
  std::vector<std::string> words;
};

ValueCompletion value_completion_of(const CLI::Option& option) {
  const auto type = option.get_type_name();
  if (type.find('|') != std::string::npos) return {ValueKind::kWords, split(type, '|')};
  if (type == "FILE" || type == "PATH" || type == "FILE_OR_URL") return {ValueKind::kFiles, {}};
  if (type == "DIR") return {ValueKind::kDirectories, {}};
  if (type == "CONTEXT") return {ValueKind::kContexts, {}};
  if (type == "MANIFEST_NAME") return {ValueKind::kManifestNames, {}};
  if (type == "FETCHED_NAME") return {ValueKind::kFetchedNames, {}};
  if (type == "VERSION") return {ValueKind::kVersions, {}};
  if (type == "COMMAND") return {ValueKind::kCommands, {}};
  if (type == "SETTING_VALUE") return {ValueKind::kSettingValues, {}};
  return {};
}

// The option `name` ("-c", "--kubeconfig") of `node` or, as options fall through, of its parents.
const CLI::Option* find_option(const CLI::App& node, const std::string& name) {
  for (const auto* app = &node; app != nullptr; app = app->get_parent()) {
    if (const auto* option = app->get_option_no_throw(name)) {
      if (option->nonpositional()) return option;
    }
  }
  return nullptr;
}

const CLI::App* find_subcommand(const CLI::App& node, const std::string& name) {
  for (const auto* sub : node.get_subcommands({})) {
    if (!is_hidden(*sub) && sub->get_name() == name) return sub;
  }
  return nullptr;
}

// The positional that the `index`th positional word of `node` fills, if any.
const CLI::Option* positional_at(const CLI::App& node, std::size_t index) {
  for (const auto* option :
       node.get_options([](const CLI::Option* o) { return o->get_positional(); })) {
    const auto count = static_cast<std::size_t>(std::max(option->get_items_expected_max(), 1));
    if (index < count) return option;
    index -= count;
  }
  return nullptr;
}

// What `config set KEY` takes, from the settings table: true/false, or the row's suggestions.
std::vector<std::string> setting_values(const std::map<std::string, std::string>& seen) {
  const auto key = seen.find("key");
  const auto* setting = key == seen.end() ? nullptr : store::find_setting(key->second);
  if (setting == nullptr) return {};
  if (std::holds_alternative<bool store::Config::*>(setting->member)) return {"true", "false"};
  if (setting->suggestions.empty()) return {};
  return split(setting->suggestions, '|');
}

std::vector<std::string> command_names(const CLI::App& node) {
  std::vector<std::string> names;
  for (const auto* sub : node.get_subcommands({})) {
    if (!is_hidden(*sub)) names.push_back(sub->get_name());
  }
  return names;
}

class Completer {
 public:
  Completer(const CLI::App& root, const DynamicValues& dynamic) : root_(root), dynamic_(dynamic) {}

  Candidates run(const std::vector<std::string>& words) {
    const std::string current = words.empty() ? "" : words.back();
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
      if (node_->get_name() == "istioctl") break;
      read(words[i]);
    }
    // Everything after `getmesh istioctl` belongs to istioctl.
    if (node_->get_name() == "istioctl") return {{}, ValueKind::kFiles};
    if (pending_ != nullptr) return values(*pending_, current, "");
    if (current.starts_with("-")) {
      const auto equals = current.find('=');
      if (equals != std::string::npos) {
        const auto* option = find_option(*node_, current.substr(0, equals));
        if (option == nullptr || !takes_value(*option)) return {};
        return values(*option, current.substr(equals + 1), current.substr(0, equals + 1));
      }
      return flags(current);
    }
    Candidates candidates;
    if (positional_index_ == 0) {
      for (const auto* sub : node_->get_subcommands({})) {
        if (!is_hidden(*sub)) add(candidates, sub->get_name(), sub->get_description(), current);
      }
    }
    if (const auto* positional = positional_at(*node_, positional_index_)) {
      auto more = values(*positional, current, "");
      if (more.shell != ValueKind::kNone && candidates.lines.empty()) return more;
      candidates.lines.insert(candidates.lines.end(), more.lines.begin(), more.lines.end());
    }
    return candidates;
  }

 private:
  void read(const std::string& word) {
    if (pending_ != nullptr) {
      remember(*pending_, word);
      pending_ = nullptr;
      return;
    }
    if (word.size() > 1 && word.starts_with("-")) {
      const auto equals = word.find('=');
      const auto* option = find_option(*node_, word.substr(0, equals));
      if (option == nullptr || !takes_value(*option)) return;
      if (equals == std::string::npos) {
        pending_ = option;
      } else {
        remember(*option, word.substr(equals + 1));
      }
      return;
    }
    if (positional_index_ == 0) {
      if (const auto* sub = find_subcommand(*node_, word)) {
        node_ = sub;
        return;
      }
    }
    if (const auto* positional = positional_at(*node_, positional_index_)) {
      seen_[positional->get_name()] = word;
    }
    ++positional_index_;
  }

  void remember(const CLI::Option& option, const std::string& value) {
    for (const auto& name : option.get_lnames()) seen_[name] = value;
  }

  static void add(Candidates& candidates, const std::string& word, const std::string& description,
                  const std::string& prefix) {
    if (!word.starts_with(prefix)) return;
    candidates.lines.push_back(description.empty() ? word : word + "\t" + description);
  }

  Candidates flags(const std::string& current) const {
    Candidates candidates;
    for (const auto* app = node_; app != nullptr; app = app->get_parent()) {
      for (const auto* option : app->get_options()) {
        if (!option->nonpositional()) continue;
        // The root's --help and --version only apply to the root itself.
        if (app != node_ && (option->check_lname("help") || option->check_lname("version"))) {
          continue;
        }
        if (app != node_ && !global_option_applies(*option, *node_)) continue;
        for (const auto& name : option->get_lnames())
          add(candidates, "--" + name, option->get_description(), current);
        for (const auto& name : option->get_snames())
          add(candidates, "-" + name, option->get_description(), current);
      }
    }
    return candidates;
  }

  // The values of `option` that complete `current`, each written after `prefix`. For a list
  // option (`--contexts a,b,<TAB>`) only the item after the last comma is completed, and the
  // items already given are not offered again.
  Candidates values(const CLI::Option& option, std::string current, std::string prefix) const {
    std::set<std::string> given;
    if (option.get_delimiter() != '\0') {
      if (const auto last = current.rfind(option.get_delimiter()); last != std::string::npos) {
        for (auto& item : split(current.substr(0, last), option.get_delimiter()))
          given.insert(std::move(item));
        prefix += current.substr(0, last + 1);
        current.erase(0, last + 1);
      }
    }
    const auto completion = value_completion_of(option);
    std::vector<std::string> words;
    switch (completion.kind) {
      case ValueKind::kNone:
        return {};
      case ValueKind::kFiles:
      case ValueKind::kDirectories:
        return {{}, completion.kind};
      case ValueKind::kWords:
        words = completion.words;
        break;
      case ValueKind::kCommands:
        words = command_names(root_);
        break;
      case ValueKind::kSettingValues:
        words = setting_values(seen_);
        break;
      default:
        words = dynamic_(completion.kind, seen_);
        break;
    }
    Candidates candidates;
    for (const auto& word : words) {
      if (!given.contains(word)) add(candidates, prefix + word, "", prefix + current);
    }
    return candidates;
  }

  const CLI::App& root_;
  const DynamicValues& dynamic_;
  const CLI::App* node_ = &root_;
  std::size_t positional_index_ = 0;
  const CLI::Option* pending_ = nullptr;
  std::map<std::string, std::string> seen_;
};

std::vector<std::string> dynamic_values(Context& context, ValueKind kind,
                                        const std::map<std::string, std::string>& seen) {
  const auto value_of = [&](const std::string& name) {
    const auto found = seen.find(name);
    return found == seen.end() ? std::string() : found->second;
  };
  std::vector<std::string> words;
  if (kind == ValueKind::kContexts) {
    auto config = kube::load_kubeconfig(
        kube::locate_kubeconfig(value_of("kubeconfig"), context.environment()));
    if (config) {
      for (const auto& entry : config->contexts) words.push_back(entry.name);
    }
  } else if (kind == ValueKind::kManifestNames) {
    context.options().manifest = value_of("manifest");
    context.options().offline = true;  // a TAB never waits for upstream: the cached catalogue
    if (auto manifest = context.manifest()) {
      for (const auto& distribution : (*manifest)->distributions)
        words.push_back(distribution.name.to_string());
    }
  } else if (kind == ValueKind::kVersions) {
    // Newest first: each minor X.Y, then its patches.
    context.options().manifest = value_of("manifest");
    context.options().offline = true;  // a TAB never waits for upstream: the cached catalogue
    if (auto manifest = context.manifest()) {
      std::set<std::string> seen_words;
      for (const auto& distribution : (*manifest)->distributions) {
        for (auto word :
             {distribution.name.version.minor_string(), distribution.name.version.to_string()}) {
          if (seen_words.insert(word).second) words.push_back(std::move(word));
        }
      }
    }
  } else if (kind == ValueKind::kFetchedNames) {
    if (auto home = context.home()) {
      if (auto names = store::installed_names(**home)) {
        for (const auto& name : *names) words.push_back(name.to_string());
      }
    }
  }
  return words;
}

}  // namespace

Candidates complete(const CLI::App& root, const std::vector<std::string>& words,
                    const DynamicValues& dynamic) {
  return Completer(root, dynamic).run(words.empty() ? std::vector<std::string>{""} : words);
}

Result<int> run_complete(Context& context, const CLI::App& root, std::vector<std::string> words) {
  const DynamicValues dynamic = [&context](ValueKind kind,
                                           const std::map<std::string, std::string>& seen) {
    return dynamic_values(context, kind, seen);
  };
  const auto candidates = complete(root, words, dynamic);
  auto& out = context.output().out();
  if (candidates.shell == ValueKind::kFiles) {
    out << ":files\n";
  } else if (candidates.shell == ValueKind::kDirectories) {
    out << ":dirs\n";
  } else {
    for (const auto& line : candidates.lines) out << line << "\n";
  }
  return 0;
}

}  // namespace getmesh::cli
