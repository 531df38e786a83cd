#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/kube/kubeconfig.hpp>
#include <getmesh/net/http.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace getmesh::kube {

// Everything needed to talk to one cluster: the selected context resolved into a server URL, TLS
// settings and credentials. Certificate and key data are decoded; files are checked to exist.
struct RestConfig {
  std::string context;
  std::string cluster;
  std::string user;
  std::string namespace_name;  // the context's namespace, "default" when unset
  std::string server;          // without a trailing slash
  std::string proxy;           // the cluster's proxy-url; else HTTPS_PROXY/NO_PROXY (proxy.hpp)
  std::string exec_extension;  // the cluster's client.authentication.k8s.io/exec extension (JSON)
  net::TlsOptions tls;
  std::string token;
  std::string token_file;
  std::string username;
  std::string password;
  std::optional<ExecPlugin> exec;  // run only when the user has no other credentials, as kubectl
  // Impersonation: every request carries Impersonate-User/-Uid/-Group/-Extra-* headers.
  std::string impersonate;
  std::string impersonate_uid;
  std::vector<std::string> impersonate_groups;
  std::vector<std::pair<std::string, std::vector<std::string>>> impersonate_extra;
  std::filesystem::path user_file;  // the file that defined the user, for messages

  // `context "name" (https://server)`, for messages.
  [[nodiscard]] std::string describe() const;
};

// Resolves `selection` into a RestConfig. Bad base64, unreadable files and expired client
// certificates are errors naming the file and the field. What kubectl refuses is refused with its
// reason: a CA together with insecure-skip-tls-verify, a field given both as data and as a file,
// token and basic auth together, impersonation details without `as`, the removed gcp and azure
// auth-providers. An `oidc` auth-provider's id-token becomes the bearer token.
Result<RestConfig> make_rest_config(const Selection& selection);

// Loads the kubeconfig (flag, KUBECONFIG, ~/.kube/config), selects `context` (empty: the current
// one) and resolves it.
Result<RestConfig> rest_config_for(const std::string& kubeconfig_flag, const std::string& context,
                                   const Environment& environment);

// A bearer token or client certificate from an exec credential plugin.
struct ExecCredential {
  std::string token;
  std::string client_certificate_pem;
  std::string client_key_pem;
  // status.expirationTimestamp (strict RFC 3339), in seconds since the epoch; unset: no expiry.
  std::optional<std::int64_t> expires;
};

// How long a credential plugin may run before it is stopped.
inline constexpr std::chrono::seconds kExecPluginTimeout{30};

// Runs the plugin with its args and env (argv, never a shell) and parses the ExecCredential it
// prints, within kExecPluginTimeout. `environment` supplies PATH. Plugins get no terminal, so
// interactiveMode Always is refused. With provideClusterInfo the plugin gets the cluster (server,
// tls-server-name, insecure-skip-tls-verify, certificate-authority-data, proxy-url and the exec
// extension as `config`) in KUBERNETES_EXEC_INFO. Messages never show the plugin's arguments.
Result<ExecCredential> run_exec_plugin(const ExecPlugin& plugin, const RestConfig& config,
                                       const Environment& environment);

}  // namespace getmesh::kube
