#include "kube/pem.hpp"

#include <getmesh/core/base64.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/rest_config.hpp>

#include <nlohmann/json.hpp>

#include <chrono>

namespace getmesh::kube {

namespace {

// `users["admin"].user.client-key-data in /home/me/.kube/config`
std::string field_of(const char* list, const std::string& name, const char* field,
                     const std::filesystem::path& file) {
  return std::string(list) + "[" + quote(name) + "]." + field + " in " + file.string();
}

Result<std::string> decode_field(const std::string& value, const std::string& field) {
  auto decoded = base64_decode(value);
  if (!decoded || decoded->empty()) {
    return runtime_error(field + " is not valid base64",
                         "paste the base64 of the PEM file there (base64 -w0 FILE)");
  }
  return *decoded;
}

Result<std::string> read_field_file(const std::string& path, const std::string& field) {
  auto text = read_file(path);
  if (!text) {
    return runtime_error("cannot read " + path + " (" + field + "): " + text.error().message,
                         "fix the path in the kubeconfig (relative paths start at the "
                         "kubeconfig's folder)");
  }
  return *text;
}

Status apply_cluster(const Cluster& cluster, RestConfig& config) {
  const auto where = [&](const char* field) {
    return field_of("clusters", cluster.name, field, cluster.file);
  };
  config.server = cluster.server;
  while (config.server.ends_with("/")) config.server.pop_back();
  if (!config.server.starts_with("https://") && !config.server.starts_with("http://")) {
    return runtime_error(
        where("cluster.server") + " is " + quote(cluster.server) + ", not an https:// URL",
        "set the API server URL, e.g. https://203.0.113.10:6443");
  }
  const auto at = "clusters[" + quote(cluster.name) + "] in " + cluster.file.string();
  if (!cluster.certificate_authority_data.empty() && !cluster.certificate_authority.empty()) {
    return runtime_error(at + ": certificate-authority-data and certificate-authority are both "
                              "specified (kubectl refuses this too)",
                         "keep only one of them");
  }
  const bool has_ca =
      !cluster.certificate_authority_data.empty() || !cluster.certificate_authority.empty();
  if (cluster.insecure_skip_tls_verify && has_ca) {
    return runtime_error(at + " sets insecure-skip-tls-verify together with a certificate "
                              "authority: specifying a root certificates file with the insecure "
                              "flag is not allowed (kubectl refuses this too)",
                         "remove insecure-skip-tls-verify so the server is verified with the CA");
  }
  if (!cluster.proxy_url.empty()) {
    const auto scheme = to_lower(cluster.proxy_url.substr(0, cluster.proxy_url.find("://")));
    if (cluster.proxy_url.find("://") == std::string::npos ||
        (scheme != "http" && scheme != "https" && scheme != "socks5")) {
      return runtime_error(where("cluster.proxy-url") + " is " + quote(cluster.proxy_url) +
                               ": invalid 'proxy-url', the scheme must be http, https, or socks5",
                           "set proxy-url to e.g. http://proxy.example.com:3128");
    }
  }
  config.tls.insecure_skip_verify = cluster.insecure_skip_tls_verify;
  config.tls.server_name = cluster.tls_server_name;
  config.proxy = cluster.proxy_url;
  config.exec_extension = cluster.exec_extension;
  if (!cluster.certificate_authority_data.empty()) {
    auto pem = decode_field(cluster.certificate_authority_data,
                            where("cluster.certificate-authority-data"));
    if (!pem) return pem.error();
    config.tls.ca_pem = std::move(*pem);
  } else if (!cluster.certificate_authority.empty()) {
    auto pem =
        read_field_file(cluster.certificate_authority, where("cluster.certificate-authority"));
    if (!pem) return pem.error();
    config.tls.ca_pem = std::move(*pem);
  }
  return {};
}

// The credential combinations kubectl refuses (clientcmd's validateAuthInfo and transport's
// checks), with kubectl's reason in the message.
Status check_user(const User& user) {
  const auto at = "users[" + quote(user.name) + "] in " + user.file.string();
  const auto refuse = [&](const std::string& why, const std::string& hint) {
    return runtime_error(at + ": " + why + " (kubectl refuses this too)", hint);
  };
  const bool basic = !user.username.empty() || !user.password.empty();
  if (basic && (!user.token.empty() || !user.token_file.empty())) {
    return refuse(
        "more than one authentication method found: a token and basic auth "
        "(username/password), only one is allowed",
        "keep either the token or the username and password");
  }
  if (!user.client_certificate.empty() && !user.client_certificate_data.empty()) {
    return refuse("client-certificate-data and client-certificate are both specified",
                  "keep only one of them");
  }
  if (!user.client_key.empty() && !user.client_key_data.empty()) {
    return refuse("client-key-data and client-key are both specified", "keep only one of them");
  }
  if ((!user.client_certificate.empty() || !user.client_certificate_data.empty()) &&
      user.client_key.empty() && user.client_key_data.empty()) {
    return refuse("client-key-data or client-key must be specified to use the client certificate",
                  "add the client certificate's key");
  }
  if (user.impersonate.empty() &&
      (!user.impersonate_uid.empty() || !user.impersonate_groups.empty() ||
       !user.impersonate_extra.empty())) {
    return refuse("requesting uid, groups or user-extra without impersonating a user (as)",
                  "set `as` to the user to impersonate, or remove as-uid, as-groups and "
                  "as-user-extra");
  }
  if (user.exec && user.auth_provider) {
    return refuse("an auth-provider cannot be provided in combination with an exec plugin",
                  "keep only the exec plugin");
  }
  return {};
}

// Seconds since the epoch at which a JWT's `exp` claim says it expires; nullopt when `token` is
// not a JWT with one.
std::optional<std::int64_t> jwt_expiry(const std::string& token) {
  const auto parts = split(token, '.');
  if (parts.size() != 3) return std::nullopt;
  std::string payload = parts[1];
  for (auto& c : payload) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (payload.size() % 4 != 0) payload.push_back('=');
  const auto decoded = base64_decode(payload);
  if (!decoded) return std::nullopt;
  const auto claims = nlohmann::json::parse(*decoded, nullptr, false);
  if (!claims.is_object() || !claims.contains("exp") || !claims["exp"].is_number())
    return std::nullopt;
  return claims["exp"].get<std::int64_t>();
}

// auth-provider: oidc's id-token is the bearer token; gcp and azure were removed from kubectl.
Status apply_auth_provider(const User& user, RestConfig& config) {
  const auto& provider = *user.auth_provider;
  const auto at = "users[" + quote(user.name) + "].user.auth-provider in " + user.file.string();
  if (provider.name == "gcp") {
    return runtime_error(
        at + ": the gcp auth plugin has been removed (as in kubectl)",
        "use the \"gke-gcloud-auth-plugin\" kubectl/client-go credential plugin "
        "instead, see https://cloud.google.com/blog/products/containers-kubernetes/"
        "kubectl-auth-changes-in-gke");
  }
  if (provider.name == "azure") {
    return runtime_error(at + ": the azure auth plugin has been removed (as in kubectl)",
                         "use the https://github.com/Azure/kubelogin kubectl/client-go credential "
                         "plugin instead");
  }
  if (provider.name != "oidc") {
    return runtime_error(at + ": no Auth Provider found for name " + quote(provider.name),
                         "use an exec credential plugin (users[].user.exec) instead");
  }
  for (const char* key : {"idp-issuer-url", "client-id"}) {
    if (provider.value(key).empty()) {
      return runtime_error(at + ": the oidc provider must provide " + std::string(key),
                           "set config." + std::string(key) + " of the auth-provider");
    }
  }
  const auto token = provider.value("id-token");
  const auto expiry = token.empty() ? std::nullopt : jwt_expiry(token);
  // Like kubectl, a token counts as expired 10 s early.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  if (!expiry || *expiry <= now + 10) {
    return runtime_error(at + ": the oidc id-token is " +
                             (token.empty() ? std::string("missing")
                              : expiry      ? "expired"
                                            : "not a JWT with an expiry") +
                             "; getmesh does not refresh oidc tokens",
                         "log in again (for example with kubelogin or by running a kubectl "
                         "command, which refreshes it with the refresh-token)");
  }
  config.token = token;
  return {};
}

Status apply_user(const User& user, RestConfig& config) {
  const auto where = [&](const char* field) {
    return field_of("users", user.name, field, user.file);
  };
  config.user_file = user.file;
  if (auto valid = check_user(user); !valid) return valid;
  if (!user.client_certificate_data.empty() || !user.client_certificate.empty()) {
    const bool inline_data = !user.client_certificate_data.empty();
    const auto field =
        inline_data ? where("user.client-certificate-data")
                    : where("user.client-certificate") + " (" + user.client_certificate + ")";
    auto pem = inline_data ? decode_field(user.client_certificate_data, field)
                           : read_field_file(user.client_certificate, field);
    if (!pem) return pem.error();
    if (auto valid = check_certificate(
            *pem, "the client certificate of user " + quote(user.name) + " (" + field + ")");
        !valid) {
      return valid;
    }
    config.tls.client_cert_pem = std::move(*pem);
  }
  if (!user.client_key_data.empty()) {
    auto pem = decode_field(user.client_key_data, where("user.client-key-data"));
    if (!pem) return pem.error();
    config.tls.client_key_pem = std::move(*pem);
  } else if (!user.client_key.empty()) {
    auto pem = read_field_file(user.client_key, where("user.client-key"));
    if (!pem) return pem.error();
    config.tls.client_key_pem = std::move(*pem);
  }
  if (config.tls.client_cert_pem.empty() != config.tls.client_key_pem.empty()) {
    return runtime_error("user " + quote(user.name) + " in " + user.file.string() +
                             " has a client certificate or a client key, but not both",
                         "set both client-certificate(-data) and client-key(-data)");
  }
  config.token = user.token;
  config.token_file = user.token_file;
  config.username = user.username;
  config.password = user.password;
  config.exec = user.exec;
  config.impersonate = user.impersonate;
  config.impersonate_uid = user.impersonate_uid;
  config.impersonate_groups = user.impersonate_groups;
  config.impersonate_extra = user.impersonate_extra;
  if (user.auth_provider) return apply_auth_provider(user, config);
  return {};
}

}  // namespace

std::string RestConfig::describe() const {
  return "context " + quote(context) + " (" + net::redact_url(server) + ")";
}

Result<RestConfig> make_rest_config(const Selection& selection) {
  RestConfig config;
  config.context = selection.context->name;
  config.cluster = selection.cluster->name;
  config.namespace_name =
      selection.context->namespace_name.empty() ? "default" : selection.context->namespace_name;
  if (auto applied = apply_cluster(*selection.cluster, config); !applied) return applied.error();
  if (selection.user != nullptr) {
    config.user = selection.user->name;
    if (auto applied = apply_user(*selection.user, config); !applied) return applied.error();
  }
  return config;
}

Result<RestConfig> rest_config_for(const std::string& kubeconfig_flag, const std::string& context,
                                   const Environment& environment) {
  auto config = load_kubeconfig(locate_kubeconfig(kubeconfig_flag, environment));
  if (!config) return config.error();
  auto selection = select_context(*config, context);
  if (!selection) return selection.error();
  return make_rest_config(*selection);
}

}  // namespace getmesh::kube
