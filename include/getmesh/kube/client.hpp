#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/kube/rest_config.hpp>
#include <getmesh/net/http.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::kube {

struct ClientOptions {
  long connect_timeout_ms = 2000;  // an unreachable cluster fails fast
  long request_timeout_ms = 20000;
};

// How a PATCH body is merged into the object (the Content-Type of the request).
enum class PatchType {
  kMerge,           // JSON merge patch (RFC 7386): maps merge, null deletes, lists are replaced
  kStrategicMerge,  // Kubernetes strategic merge patch: like merge, lists of known kinds merge by
                    // key
};

struct ListOptions {
  std::string label_selector;  // e.g. "app=istiod"
  std::string field_selector;
  long page_size = 500;  // `limit`; following pages are fetched with `continue`
  // Ask for the items' metadata only (PartialObjectMetadataList), e.g. Secrets without their data.
  bool metadata_only = false;
  // The limits of one list, all pages together (docs/kubernetes.md#limits): a server whose
  // `continue` tokens never end gets an error naming the list long before memory runs out (the
  // parsed items take a few times their bytes). Kubernetes supports at most 150,000 pods per
  // cluster; 256 MiB hold the full objects of about 40,000 pods.
  std::size_t max_items = 150'000;
  std::size_t max_pages = 2'000;
  std::size_t max_bytes = std::size_t{256} << 20;  // of all pages' bodies together
  std::chrono::milliseconds deadline{std::chrono::minutes(5)};
};

// The API server's /version.
struct ServerVersion {
  std::string git_version;  // "v1.32.4-eks-1234"
  long major = 0;
  long minor = 0;  // digits of "32+" and the like
  // "1.32"
  [[nodiscard]] std::string minor_string() const;
};

// `/api/v1/namespaces/<ns>/<resource>[/<name>]` or `/apis/<group>/<version>/…`; an empty
// `group_version` means the core group "v1"; an empty namespace means cluster scope.
std::string resource_path(const std::string& group_version, const std::string& resource,
                          const std::string& namespace_name = {}, const std::string& name = {});

struct ExecSession;

// A Kubernetes REST client for one context. Failures become errors that name the context and say
// what to do: 401 (log in again), 403 (permissions), 404, timeouts, TLS problems, unreachable.
class Client {
 public:
  // Obtains the credentials (token file, exec plugin) once; nothing is sent yet. As in kubectl, an
  // exec plugin runs only when the user has no token, basic auth or client certificate of its
  // own; its credential is renewed when it expires, and once after a 401 (for the requests that
  // follow, as in kubectl; the rejected one fails). Every request carries the user's Impersonate-*
  // headers and goes through the proxy kubectl would use (proxy.hpp).
  static Result<Client> connect(RestConfig config, net::Client http, const Environment& environment,
                                ClientOptions options = {});

  Result<nlohmann::json> get(const std::string& path) const;
  // Like get, but a 404 is an empty value.
  Result<std::optional<nlohmann::json>> get_if_exists(const std::string& path) const;
  // Every item of a list, following `continue` tokens page by page, within the limits of
  // `options`; a token that comes back a second time ends the list with an error.
  Result<std::vector<nlohmann::json>> list(const std::string& path,
                                           const ListOptions& options = {}) const;
  // POST (create) and PUT (replace) of an object; the server's copy is returned.
  Result<nlohmann::json> create(const std::string& path, const nlohmann::json& object) const;
  Result<nlohmann::json> replace(const std::string& path, const nlohmann::json& object) const;
  // PATCH of an object (e.g. labels or a pod-template annotation); the server's copy is returned.
  Result<nlohmann::json> patch(const std::string& path, const nlohmann::json& patch,
                               PatchType type) const;
  // DELETE of an object; one that is already gone is no error.
  Status remove(const std::string& path) const;
  // GET /version with its own time limit, the cheap way to tell whether the cluster answers.
  Result<ServerVersion> server_version(long timeout_ms) const;

  [[nodiscard]] const RestConfig& config() const { return config_; }

 private:
  Client(RestConfig config, net::Client http, ClientOptions options, std::string proxy,
         std::shared_ptr<ExecSession> exec)
      : config_(std::move(config)),
        http_(std::move(http)),
        options_(options),
        proxy_(std::move(proxy)),
        exec_(std::move(exec)) {}
  Result<net::Request> make_request(const std::string& method, const std::string& path,
                                    const std::string& body, long timeout_ms,
                                    const std::string& accept, const std::string& content_type,
                                    int& generation) const;
  Result<net::Response> send(const std::string& method, const std::string& path,
                             const std::string& body, long timeout_ms,
                             const std::string& accept = kJson,
                             const std::string& content_type = kJson) const;
  Result<nlohmann::json> call(const std::string& method, const std::string& path,
                              const std::string& body, const std::string& accept = kJson,
                              const std::string& content_type = kJson) const;

  static constexpr const char* kJson = "application/json";

  RestConfig config_;
  net::Client http_;
  ClientOptions options_;
  std::string proxy_;                  // empty: direct
  std::shared_ptr<ExecSession> exec_;  // null unless the credentials come from an exec plugin
};

}  // namespace getmesh::kube
