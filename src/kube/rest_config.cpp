#include "kube/pem.hpp"

#include <getmesh/core/base64.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/rest_config.hpp>

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
  config.tls.insecure_skip_verify = cluster.insecure_skip_tls_verify;
  config.tls.server_name = cluster.tls_server_name;
  config.proxy = cluster.proxy_url;
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

Status apply_user(const User& user, RestConfig& config) {
  const auto where = [&](const char* field) {
    return field_of("users", user.name, field, user.file);
  };
  config.user_file = user.file;
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
