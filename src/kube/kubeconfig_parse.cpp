#include <getmesh/core/strings.hpp>
#include <getmesh/kube/kubeconfig.hpp>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace getmesh::kube {

namespace {

namespace fs = std::filesystem;

// Reads typed fields of one YAML map and remembers the first problem, with its field path.
class FieldReader {
 public:
  FieldReader(const fs::path& file, std::string& problem) : file_(file), problem_(problem) {}

  std::string text(const YAML::Node& map, const char* key, const std::string& where) {
    const auto node = map[key];
    if (!node || node.IsNull()) return {};
    if (!node.IsScalar()) {
      fail(where + "." + key + " must be a string");
      return {};
    }
    return node.Scalar();
  }

  bool flag(const YAML::Node& map, const char* key, const std::string& where) {
    const auto node = map[key];
    if (!node || node.IsNull()) return false;
    const auto value = node.IsScalar() ? to_lower(node.Scalar()) : std::string();
    if (value == "true") return true;
    if (value != "false") fail(where + "." + key + " must be true or false");
    return false;
  }

  // A path field: relative paths are taken from the kubeconfig file's folder, like kubectl.
  std::string path(const YAML::Node& map, const char* key, const std::string& where) {
    auto value = text(map, key, where);
    if (value.empty()) return value;
    return resolve(value);
  }

  std::string resolve(const std::string& value) const {
    if (fs::path(value).is_absolute()) return value;
    std::error_code error;
    auto folder = fs::absolute(file_, error).parent_path();
    return (folder / value).lexically_normal().string();
  }

  void fail(const std::string& problem) {
    if (problem_.empty()) problem_ = problem;
  }

 private:
  const fs::path& file_;
  std::string& problem_;
};

// The `name` / `<kind>` pairs of one of the top-level lists.
template <typename Entry, typename Fill>
void read_named_list(const YAML::Node& root, const char* list_key, const char* item_key,
                     FieldReader& reader, std::vector<Entry>& out, Fill fill) {
  const auto list = root[list_key];
  if (!list || list.IsNull()) return;
  if (!list.IsSequence()) {
    reader.fail(std::string(list_key) + " must be a list");
    return;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = std::string(list_key) + "[" + std::to_string(i) + "]";
    const auto item = list[i];
    if (!item.IsMap()) {
      reader.fail(where + " must be a map with name and " + item_key);
      return;
    }
    Entry entry;
    entry.name = reader.text(item, "name", where);
    if (entry.name.empty()) {
      reader.fail(where + ".name is missing");
      return;
    }
    const auto body = item[item_key];
    if (body && !body.IsNull() && !body.IsMap()) {
      reader.fail(where + "." + item_key + " must be a map");
      return;
    }
    if (body && body.IsMap()) fill(body, where + "." + item_key, entry);
    // kubectl refuses a file that names two entries alike ("duplicate name in list"): taking
    // either would let one entry's credentials go to the other's server.
    const auto same =
        std::find_if(out.begin(), out.end(), [&](const Entry& e) { return e.name == entry.name; });
    if (same != out.end()) {
      reader.fail("duplicate name " + quote(entry.name) + " in " + list_key + " (" + list_key +
                  "[" + std::to_string(same - out.begin()) + "] and " + where +
                  "); kubectl refuses such a file too");
      return;
    }
    out.push_back(std::move(entry));
  }
}

// A YAML value as JSON: plain scalars that look like booleans, null or numbers become those.
nlohmann::json to_json(const YAML::Node& node) {
  if (!node || node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    auto list = nlohmann::json::array();
    for (const auto& item : node) list.push_back(to_json(item));
    return list;
  }
  if (node.IsMap()) {
    auto map = nlohmann::json::object();
    for (const auto& item : node) map[item.first.Scalar()] = to_json(item.second);
    return map;
  }
  const auto& text = node.Scalar();
  if (node.Tag() != "?") return text;  // quoted
  if (text == "true" || text == "false") return text == "true";
  if (text == "null" || text == "~") return nullptr;
  auto number = nlohmann::json::parse(text, nullptr, false);
  return number.is_number() ? number : nlohmann::json(text);
}

// The `client.authentication.k8s.io/exec` extension of a cluster, as JSON text.
std::string read_exec_extension(const YAML::Node& cluster, const std::string& where,
                                FieldReader& reader) {
  const auto list = cluster["extensions"];
  if (!list || list.IsNull()) return {};
  if (!list.IsSequence()) {
    reader.fail(where + ".extensions must be a list of {name, extension}");
    return {};
  }
  for (const auto& item : list) {
    if (!item.IsMap() || !item["name"].IsScalar()) {
      reader.fail(where + ".extensions must be a list of {name, extension}");
      return {};
    }
    if (item["name"].Scalar() == "client.authentication.k8s.io/exec")
      return to_json(item["extension"]).dump();
  }
  return {};
}

std::vector<std::string> string_list(const YAML::Node& map, const char* key,
                                     const std::string& where, FieldReader& reader) {
  std::vector<std::string> values;
  const auto node = map[key];
  if (!node || node.IsNull()) return values;
  if (!node.IsSequence()) {
    reader.fail(where + "." + key + " must be a list of strings");
    return values;
  }
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      reader.fail(where + "." + key + " must be a list of strings");
      return {};
    }
    values.push_back(item.Scalar());
  }
  return values;
}

void read_impersonation(const YAML::Node& user, const std::string& where, FieldReader& reader,
                        User& out) {
  out.impersonate = reader.text(user, "as", where);
  out.impersonate_uid = reader.text(user, "as-uid", where);
  out.impersonate_groups = string_list(user, "as-groups", where, reader);
  const auto extra = user["as-user-extra"];
  if (!extra || extra.IsNull()) return;
  if (!extra.IsMap()) {
    reader.fail(where + ".as-user-extra must be a map of lists of strings");
    return;
  }
  for (const auto& item : extra) {
    const auto key = item.first.Scalar();
    out.impersonate_extra.emplace_back(
        key, string_list(extra, key.c_str(), where + ".as-user-extra", reader));
  }
}

std::optional<AuthProvider> read_auth_provider(const YAML::Node& user, const std::string& where,
                                               FieldReader& reader) {
  const auto node = user["auth-provider"];
  if (!node || node.IsNull()) return std::nullopt;
  const std::string at = where + ".auth-provider";
  if (!node.IsMap()) {
    reader.fail(at + " must be a map with name and config");
    return std::nullopt;
  }
  AuthProvider provider;
  provider.name = reader.text(node, "name", at);
  const auto config = node["config"];
  if (config && !config.IsNull()) {
    if (!config.IsMap()) {
      reader.fail(at + ".config must be a map of strings");
      return std::nullopt;
    }
    for (const auto& item : config) {
      const auto key = item.first.Scalar();
      provider.config.emplace_back(key, reader.text(config, key.c_str(), at + ".config"));
    }
  }
  return provider;
}

std::optional<ExecPlugin> read_exec(const YAML::Node& user, const std::string& where,
                                    FieldReader& reader) {
  const auto node = user["exec"];
  if (!node || node.IsNull()) return std::nullopt;
  const std::string at = where + ".exec";
  if (!node.IsMap()) {
    reader.fail(at + " must be a map");
    return std::nullopt;
  }
  ExecPlugin plugin;
  plugin.api_version = reader.text(node, "apiVersion", at);
  plugin.command = reader.text(node, "command", at);
  if (plugin.command.find('/') != std::string::npos)
    plugin.command = reader.resolve(plugin.command);
  plugin.interactive_mode = reader.text(node, "interactiveMode", at);
  plugin.provide_cluster_info = reader.flag(node, "provideClusterInfo", at);
  plugin.install_hint = reader.text(node, "installHint", at);
  if (const auto args = node["args"]; args && !args.IsNull()) {
    if (!args.IsSequence()) {
      reader.fail(at + ".args must be a list of strings");
    } else {
      for (const auto& arg : args) {
        if (!arg.IsScalar()) {
          reader.fail(at + ".args must be a list of strings");
          break;
        }
        plugin.args.push_back(arg.Scalar());
      }
    }
  }
  if (const auto env = node["env"]; env && !env.IsNull()) {
    if (!env.IsSequence()) {
      reader.fail(at + ".env must be a list of {name, value}");
    } else {
      for (std::size_t i = 0; i < env.size(); ++i) {
        const std::string item = at + ".env[" + std::to_string(i) + "]";
        if (!env[i].IsMap()) {
          reader.fail(item + " must be a map with name and value");
          break;
        }
        auto name = reader.text(env[i], "name", item);
        if (name.empty()) reader.fail(item + ".name is missing");
        plugin.env.emplace_back(std::move(name), reader.text(env[i], "value", item));
      }
    }
  }
  return plugin;
}

}  // namespace

Result<Kubeconfig> parse_kubeconfig(std::string_view text, const fs::path& file) {
  const auto invalid = [&](const std::string& problem) {
    return runtime_error("kubeconfig " + file.string() + " is invalid: " + problem,
                         "fix the file, or choose another one with --kubeconfig or KUBECONFIG");
  };
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& error) {
    return invalid("it is not YAML (line " + std::to_string(error.mark.line + 1) + ": " +
                   error.msg + ")");
  }
  Kubeconfig config;
  config.files.push_back(file);
  if (!root || root.IsNull()) return config;  // an empty file is an empty configuration
  if (!root.IsMap()) return invalid("it is not a map of clusters, users and contexts");

  std::string problem;
  FieldReader reader(file, problem);
  config.current_context = reader.text(root, "current-context", "current-context");
  read_named_list(
      root, "clusters", "cluster", reader, config.clusters,
      [&](const YAML::Node& body, const std::string& at, Cluster& cluster) {
        cluster.server = reader.text(body, "server", at);
        cluster.certificate_authority = reader.path(body, "certificate-authority", at);
        cluster.certificate_authority_data = reader.text(body, "certificate-authority-data", at);
        cluster.insecure_skip_tls_verify = reader.flag(body, "insecure-skip-tls-verify", at);
        cluster.tls_server_name = reader.text(body, "tls-server-name", at);
        cluster.proxy_url = reader.text(body, "proxy-url", at);
        cluster.exec_extension = read_exec_extension(body, at, reader);
        cluster.file = file;
      });
  read_named_list(root, "users", "user", reader, config.users,
                  [&](const YAML::Node& body, const std::string& at, User& user) {
                    user.client_certificate = reader.path(body, "client-certificate", at);
                    user.client_certificate_data = reader.text(body, "client-certificate-data", at);
                    user.client_key = reader.path(body, "client-key", at);
                    user.client_key_data = reader.text(body, "client-key-data", at);
                    user.token = reader.text(body, "token", at);
                    user.token_file = reader.path(body, "tokenFile", at);
                    user.username = reader.text(body, "username", at);
                    user.password = reader.text(body, "password", at);
                    user.exec = read_exec(body, at, reader);
                    user.auth_provider = read_auth_provider(body, at, reader);
                    read_impersonation(body, at, reader, user);
                    user.file = file;
                  });
  read_named_list(root, "contexts", "context", reader, config.contexts,
                  [&](const YAML::Node& body, const std::string& at, ContextEntry& context) {
                    context.cluster = reader.text(body, "cluster", at);
                    context.user = reader.text(body, "user", at);
                    context.namespace_name = reader.text(body, "namespace", at);
                    context.file = file;
                  });
  if (!problem.empty()) return invalid(problem);
  return config;
}

}  // namespace getmesh::kube
