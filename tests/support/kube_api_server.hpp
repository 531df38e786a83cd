#pragma once

#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace getmesh::testing {

// Certificates made with the openssl CLI once per test process: a CA, the server's certificate
// (127.0.0.1, localhost, kubernetes.test), a client certificate for "admin", an expired client
// certificate, and a client certificate from another CA.
struct TestCertificates {
  std::filesystem::path dir;  // holds ca.crt, server.crt, server.key (what the server reads)
  std::filesystem::path ca_cert;
  std::filesystem::path client_cert, client_key;
  std::filesystem::path expired_cert, expired_key;
  std::filesystem::path foreign_cert, foreign_key;

  static const TestCertificates& get();
};

struct KubeApiServerOptions {
  nlohmann::json objects = nlohmann::json::array();  // the state: Kubernetes objects
  std::vector<std::string> tokens{"test-token"};     // accepted bearer tokens
  std::string basic;                                 // "user:password" accepted as basic auth
  // none, unauthorized, hang, repeat-continue, endless-continue (see the server's docstring)
  std::string fault = "none";
  std::vector<std::string> forbid;  // resources answered with 403
  std::string forbid_message;       // their Status message, when not the default
  int delay_ms = 0;                 // every answer waits this long
  int listen_count = 1;             // ports serving the same state
  std::string kube_version = "v1.32.4";
  std::vector<std::pair<std::string, std::string>> redirects;  // path -> URL, answered with 302
  bool controller = false;  // run the workload controller (pods follow Deployment templates)
  // The UID of kube-system (the cluster's identity); empty: one chosen at start, kept while it
  // runs.
  std::string cluster_uid;
};

// tests/servers/kube_api_server.py on 127.0.0.1, started in the constructor (which waits until it
// accepts connections) and stopped in the destructor.
class KubeApiServer {
 public:
  explicit KubeApiServer(KubeApiServerOptions options = {});
  KubeApiServer(const KubeApiServer&) = delete;
  KubeApiServer& operator=(const KubeApiServer&) = delete;
  ~KubeApiServer();

  [[nodiscard]] int port(std::size_t index = 0) const { return ports_.at(index); }
  [[nodiscard]] std::string url(std::size_t index = 0) const;
  // The requests received so far: {method, path, query: {name: [values]}, user, auth, accept,
  // host, port, authorization (the whole header), impersonate: {lower-case name: [values]}}.
  [[nodiscard]] std::vector<nlohmann::json> requests() const;

 private:
  TempDir dir_;
  pid_t pid_ = -1;
  std::vector<int> ports_;
};

// A loopback port nothing listens on.
int closed_port();

// `user:` bodies for kubeconfigs (YAML, indented for a users[] entry).
std::string client_certificate_user(const TestCertificates& certificates);
std::string token_user(const std::string& token);

// A kubeconfig with one cluster, user and context per entry; the first context is current.
struct KubeconfigContext {
  std::string name;
  std::string server;
  std::string user_body;      // from the helpers above, or any YAML map body
  std::string cluster_extra;  // more lines for the cluster (already indented), may be empty
};
std::string make_kubeconfig(const std::vector<KubeconfigContext>& contexts,
                            const std::filesystem::path& ca_cert);

// Istio-looking objects for the test server.
nlohmann::json namespace_object(const std::string& name);
nlohmann::json pod_object(const std::string& namespace_name, const std::string& name,
                          const nlohmann::json& labels, const std::string& container,
                          const std::string& image, bool init_container = false);
nlohmann::json istiod_pod(const std::string& name, const std::string& image,
                          const std::string& revision = "default",
                          const std::string& namespace_name = "istio-system");
nlohmann::json istiod_deployment(const std::string& name, const std::string& image,
                                 const std::string& revision = "default",
                                 const std::string& namespace_name = "istio-system");
nlohmann::json sidecar_pod(const std::string& namespace_name, const std::string& name,
                           const std::string& proxy_image, const std::string& revision = "");

}  // namespace getmesh::testing
