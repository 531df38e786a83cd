#include "kube/api_error.hpp"

#include <getmesh/core/strings.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::kube {

namespace {

bool contains(const std::string& text, std::string_view word) {
  return to_lower(text).find(word) != std::string::npos;
}

// What a request was for, in words: "list pods in istio-system".
std::string action_of(const std::string& method, const std::string& path) {
  const auto query = path.find('?');
  const auto parts = split(path.substr(0, query), '/');
  std::string namespace_name, resource, name;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == "namespaces" && i + 1 < parts.size()) {
      namespace_name = parts[i + 1];
      ++i;
      if (i + 1 < parts.size()) {
        resource = parts[i + 1];
        if (i + 2 < parts.size()) name = parts[i + 2];
      }
      break;
    }
  }
  if (resource.empty()) {
    const auto start = path.starts_with("/api/") ? 3u : path.starts_with("/apis/") ? 4u : 1u;
    if (parts.size() > start) resource = parts[start];
    if (parts.size() > start + 1) name = parts[start + 1];
  }
  std::string verb = method == "POST"     ? "create"
                     : method == "PUT"    ? "replace"
                     : method == "DELETE" ? "delete"
                     : method == "PATCH"  ? "patch"
                     : name.empty()       ? "list"
                                          : "get";
  std::string text = verb + " " + (resource.empty() ? path : resource);
  if (!name.empty()) text += " " + quote(name);
  if (!namespace_name.empty()) text += " in namespace " + namespace_name;
  return text;
}

// With TLS 1.3 a server that refuses the client certificate may just close the connection once
// the handshake is done, which libcurl reports as a reset or a failed getpeername().
bool closed_after_handshake(const std::string& detail, const RestConfig& config) {
  return !config.tls.client_cert_pem.empty() &&
         (contains(detail, "getpeername") || contains(detail, "connection reset") ||
          contains(detail, "recv failure") || contains(detail, "empty reply"));
}

}  // namespace

Error transport_error(const Error& cause, const RestConfig& config) {
  // net's message is "cannot get <url>: <what libcurl said>".
  std::string detail = cause.message;
  if (const auto colon = detail.find(": ", detail.find("://")); colon != std::string::npos) {
    detail = detail.substr(colon + 2);
  }
  const std::string where = "the Kubernetes API server of " + config.describe();
  Error error = runtime_error("", "");
  error.transient = cause.transient;
  if (contains(detail, "timed out") || contains(detail, "timeout")) {
    error.message = where + " did not answer in time (" + detail + ")";
    error.hint =
        "check that the cluster is running and reachable from here (VPN, firewall, "
        "proxy-url), or choose another context with --context";
  } else if (contains(detail, "certificate") || contains(detail, "ssl") ||
             contains(detail, "tls") || contains(detail, "alert") ||
             closed_after_handshake(detail, config)) {
    error.message = "the TLS connection to " + where + " failed: " + detail;
    if (closed_after_handshake(detail, config)) {
      error.message +=
          " (the server closed the connection after the handshake: it probably "
          "refused the client certificate)";
    }
    error.hint = "check certificate-authority(-data) and tls-server-name of cluster " +
                 quote(config.cluster) + ", and the client certificate of user " +
                 quote(config.user) + " (expired or issued by another CA?)";
  } else if (contains(detail, "proxy")) {
    error.message = "cannot reach " + where + " through the proxy: " + detail;
    error.hint = "check proxy-url in the kubeconfig and the HTTPS_PROXY/NO_PROXY variables";
  } else {
    error.message = "cannot reach " + where + ": " + detail;
    error.hint =
        "check that the cluster is running and the server URL is right, or choose "
        "another context with --context";
  }
  return error;
}

namespace {

// The message and hint for a non-2xx answer.
Error describe_status_error(const net::Response& response, const std::string& method,
                            const std::string& path, const RestConfig& config) {
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  std::string message;
  if (body.is_object() && body.value("kind", "") == "Status" && body.contains("message") &&
      body["message"].is_string()) {
    message = body["message"].get<std::string>();
  }
  const auto status = net::describe_status(response.status);
  const auto suffix = message.empty() ? std::string() : ": " + message;
  const auto action = action_of(method, path);
  const std::string user = config.user.empty() ? std::string("(anonymous)") : quote(config.user);
  switch (response.status) {
    case 401:
      return runtime_error(
          "the API server of " + config.describe() + " rejected the credentials of user " + user +
              " (" + status + ")" + suffix,
          "log in again or refresh the token / certificate of user " + user +
              (config.user_file.empty() ? "" : " in " + config.user_file.string()));
    case 403:
      return runtime_error("user " + user + " may not " + action + " on " + config.describe() +
                               " (" + status + ")" + suffix,
                           "ask the cluster's administrator for permission to " + action +
                               " (RBAC), or use another context");
    case 404:
      return runtime_error(
          "cannot " + action + " on " + config.describe() + ": not found (" + status + ")" + suffix,
          "check the name and namespace, and that the resource type exists on "
          "this cluster");
    case 409:
      return runtime_error("cannot " + action + " on " + config.describe() +
                               ": it already exists or "
                               "was changed meanwhile (" +
                               status + ")" + suffix,
                           "read the object again and retry");
    default:
      break;
  }
  Error error =
      runtime_error("cannot " + action + " on " + config.describe() + ": " + status + suffix,
                    response.status >= 500 ? "the API server has a problem; retry later" : "");
  error.transient = net::is_retryable_status(response.status);
  return error;
}

}  // namespace

Error status_error(const net::Response& response, const std::string& method,
                   const std::string& path, const RestConfig& config) {
  auto error = describe_status_error(response, method, path, config);
  error.http_status = response.status;
  return error;
}

}  // namespace getmesh::kube
