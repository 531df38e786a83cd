#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace getmesh::kube {

// A `client.authentication.k8s.io` credential plugin (users[].user.exec), as EKS, GKE and AKS use.
struct ExecPlugin {
  std::string api_version;
  std::string command;  // a name looked up in PATH, or an absolute path
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string interactive_mode;  // Never, IfAvailable or Always; empty when not given
  bool provide_cluster_info = false;
  std::string install_hint;
};

// Paths in these records are absolute: relative ones were resolved against their file's folder.
struct Cluster {
  std::string name;
  std::string server;
  std::string certificate_authority;
  std::string certificate_authority_data;  // base64, as written in the file
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string proxy_url;
  // The `client.authentication.k8s.io/exec` entry of `extensions`, as JSON text (empty when
  // absent): handed to credential plugins as `spec.cluster.config`.
  std::string exec_extension;
  std::filesystem::path file;  // where it was defined
};

// users[].user.auth-provider: only `oidc` is still supported by kubectl (gcp and azure were
// removed in Kubernetes 1.26).
struct AuthProvider {
  std::string name;
  std::vector<std::pair<std::string, std::string>> config;

  [[nodiscard]] std::string value(std::string_view key) const;
};

struct User {
  std::string name;
  std::string client_certificate;
  std::string client_certificate_data;  // base64
  std::string client_key;
  std::string client_key_data;  // base64
  std::string token;
  std::string token_file;
  std::string username;
  std::string password;
  std::optional<ExecPlugin> exec;
  std::optional<AuthProvider> auth_provider;
  // Impersonation (`as`, `as-uid`, `as-groups`, `as-user-extra`): sent as Impersonate-* headers.
  std::string impersonate;
  std::string impersonate_uid;
  std::vector<std::string> impersonate_groups;
  std::vector<std::pair<std::string, std::vector<std::string>>> impersonate_extra;
  std::filesystem::path file;
};

struct ContextEntry {
  std::string name;
  std::string cluster;
  std::string user;
  std::string namespace_name;
  std::filesystem::path file;
};

// One kubeconfig file, or several merged the way kubectl merges them.
struct Kubeconfig {
  std::vector<Cluster> clusters;
  std::vector<User> users;
  std::vector<ContextEntry> contexts;
  std::string current_context;
  std::vector<std::filesystem::path> files;    // the files read, in order
  std::vector<std::filesystem::path> missing;  // files looked for that do not exist

  [[nodiscard]] const Cluster* cluster(std::string_view name) const;
  [[nodiscard]] const User* user(std::string_view name) const;
  [[nodiscard]] const ContextEntry* context(std::string_view name) const;
  // "a.yaml" or "a.yaml:b.yaml", for messages.
  [[nodiscard]] std::string describe_files() const;
};

// Parses one kubeconfig file's text. Relative paths are resolved against `file`'s folder; errors
// name the file and the field (`users[1].user.exec.command`). Two clusters, users or contexts with
// the same name in one file are refused, as kubectl refuses them.
Result<Kubeconfig> parse_kubeconfig(std::string_view text, const std::filesystem::path& file);

// Merges files in kubectl's order: the first file that sets a value wins, and a cluster, user or
// context is taken whole from the first file that defines its name.
Kubeconfig merge_kubeconfigs(const std::vector<Kubeconfig>& files);

// Which files to read, as kubectl chooses: the -c/--kubeconfig flag, else the KUBECONFIG list
// (colon-separated), else ~/.kube/config.
struct Location {
  std::vector<std::filesystem::path> files;
  enum class Origin { kFlag, kEnvironment, kDefault } origin = Origin::kDefault;
};
Location locate_kubeconfig(const std::string& flag, const Environment& environment);

// Reads and merges the files of `location`. A file named by the flag must exist; missing files of
// KUBECONFIG or the default file are skipped like kubectl does (the result may be empty).
Result<Kubeconfig> load_kubeconfig(const Location& location);

// The context to use (`name`, else current-context) with its cluster and user. The user may be
// absent (anonymous access).
struct Selection {
  const ContextEntry* context = nullptr;
  const Cluster* cluster = nullptr;
  const User* user = nullptr;
};
Result<Selection> select_context(const Kubeconfig& config, const std::string& name);

}  // namespace getmesh::kube
