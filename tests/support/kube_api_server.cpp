#include "support/kube_api_server.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/exec/process.hpp>

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <fstream>
#include <netinet/in.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace getmesh::testing {

namespace {

namespace fs = std::filesystem;

void openssl(const std::vector<std::string>& args, const fs::path& dir) {
  std::vector<std::string> argv{"/usr/bin/openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto ran = exec::run_captured(argv, {}, std::chrono::seconds(60), {}, dir.string());
  if (!ran || ran->exit_code != 0) {
    throw std::runtime_error("openssl " + args.front() +
                             " failed: " + (ran ? ran->err : ran.error().message));
  }
}

void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

// An EC key and a certificate signed by `ca` (or self-signed when `ca` is empty).
void make_certificate(const fs::path& dir, const std::string& name, const std::string& subject,
                      const std::string& extensions, const std::string& ca) {
  openssl({"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key"}, dir);
  openssl({"req", "-new", "-key", name + ".key", "-subj", subject, "-out", name + ".csr"}, dir);
  write(dir / (name + ".ext"), extensions);
  openssl({"x509", "-req", "-in", name + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
           "-CAcreateserial", "-days", "3650", "-extfile", name + ".ext", "-out", name + ".crt"},
          dir);
}

void make_ca(const fs::path& dir, const std::string& name) {
  openssl({"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + ".key"}, dir);
  openssl({"req", "-x509", "-new", "-key", name + ".key", "-subj", "/CN=" + name, "-days", "3650",
           "-out", name + ".crt"},
          dir);
}

// A client certificate that expired in 2020, signed with `openssl ca` (x509 -req cannot backdate).
void make_expired_certificate(const fs::path& dir) {
  openssl({"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "expired.key"}, dir);
  openssl({"req", "-new", "-key", "expired.key", "-subj", "/CN=admin", "-out", "expired.csr"}, dir);
  fs::create_directories(dir / "ca-db");
  write(dir / "ca-db" / "index.txt", "");
  write(dir / "ca-db" / "serial", "1000\n");
  write(dir / "ca.cnf",
        "[ca]\ndefault_ca = test\n[test]\ndir = ca-db\ndatabase = ca-db/index.txt\n"
        "serial = ca-db/serial\nnew_certs_dir = ca-db\ndefault_md = sha256\npolicy = any\n"
        "unique_subject = no\n[any]\ncommonName = supplied\n");
  openssl({"ca", "-batch", "-config", "ca.cnf", "-cert", "ca.crt", "-keyfile", "ca.key", "-in",
           "expired.csr", "-out", "expired.crt", "-notext", "-startdate", "20200101000000Z",
           "-enddate", "20200201000000Z"},
          dir);
}

}  // namespace

const TestCertificates& TestCertificates::get() {
  static const TestCertificates certificates = [] {
    static TempDir dir;  // lives as long as the test process
    const auto& root = dir.path();
    make_ca(root, "ca");
    make_certificate(root, "server", "/CN=kube-apiserver",
                     "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.test\n"
                     "extendedKeyUsage=serverAuth\n",
                     "ca");
    make_certificate(root, "client", "/O=system:masters/CN=admin", "extendedKeyUsage=clientAuth\n",
                     "ca");
    make_expired_certificate(root);
    make_ca(root, "other-ca");
    make_certificate(root, "foreign", "/CN=admin", "extendedKeyUsage=clientAuth\n", "other-ca");
    TestCertificates made;
    made.dir = root;
    made.ca_cert = root / "ca.crt";
    made.client_cert = root / "client.crt";
    made.client_key = root / "client.key";
    made.expired_cert = root / "expired.crt";
    made.expired_key = root / "expired.key";
    made.foreign_cert = root / "foreign.crt";
    made.foreign_key = root / "foreign.key";
    return made;
  }();
  return certificates;
}

KubeApiServer::KubeApiServer(KubeApiServerOptions options) {
  const auto& certificates = TestCertificates::get();
  const auto state = dir_.write("state.json", options.objects.dump());
  const auto ready = dir_.path() / "ready.json";
  std::vector<std::string> argv{"/usr/bin/env",
                                "python3",
                                std::string(GETMESH_TEST_SERVERS_DIR) + "/kube_api_server.py",
                                "--certs",
                                certificates.dir.string(),
                                "--state",
                                state.string(),
                                "--ready-file",
                                ready.string(),
                                "--fault",
                                options.fault,
                                "--delay-ms",
                                std::to_string(options.delay_ms),
                                "--listen-count",
                                std::to_string(options.listen_count),
                                "--kube-version",
                                options.kube_version,
                                "--log",
                                (dir_.path() / "requests.jsonl").string()};
  for (const auto& token : options.tokens) argv.insert(argv.end(), {"--token", token});
  for (const auto& resource : options.forbid) argv.insert(argv.end(), {"--forbid", resource});
  if (!options.forbid_message.empty()) {
    argv.insert(argv.end(), {"--forbid-message", options.forbid_message});
  }
  if (!options.basic.empty()) argv.insert(argv.end(), {"--basic", options.basic});
  if (options.controller) argv.emplace_back("--controller");
  if (!options.cluster_uid.empty()) argv.insert(argv.end(), {"--cluster-uid", options.cluster_uid});
  for (const auto& [path, url] : options.redirects)
    argv.insert(argv.end(), {"--redirect", path + "=" + url});

  std::vector<char*> pointers;
  for (auto& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  if (::posix_spawn(&pid_, argv[0].c_str(), nullptr, nullptr, pointers.data(), environ) != 0) {
    throw std::runtime_error("cannot start the test Kubernetes API server");
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!fs::exists(ready)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("the test Kubernetes API server exited at start");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the test Kubernetes API server did not start within 20 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto document = nlohmann::json::parse(std::ifstream(ready));
  ports_ = document["ports"].get<std::vector<int>>();
}

KubeApiServer::~KubeApiServer() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::string KubeApiServer::url(std::size_t index) const {
  return "https://127.0.0.1:" + std::to_string(port(index));
}

std::vector<nlohmann::json> KubeApiServer::requests() const {
  std::vector<nlohmann::json> lines;
  std::ifstream log(dir_.path() / "requests.jsonl");
  for (std::string line; std::getline(log, line);) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string client_certificate_user(const TestCertificates& certificates) {
  return "client-certificate: " + certificates.client_cert.string() +
         "\n    client-key: " + certificates.client_key.string();
}

std::string token_user(const std::string& token) { return "token: " + token; }

std::string make_kubeconfig(const std::vector<KubeconfigContext>& contexts,
                            const fs::path& ca_cert) {
  std::ostringstream yaml;
  yaml << "apiVersion: v1\nkind: Config\nclusters:\n";
  for (const auto& context : contexts) {
    yaml << "- name: " << context.name << "-cluster\n  cluster:\n    server: " << context.server
         << "\n    certificate-authority: " << ca_cert.string() << "\n"
         << context.cluster_extra;
  }
  yaml << "users:\n";
  for (const auto& context : contexts) {
    yaml << "- name: " << context.name << "-user\n  user:\n    " << context.user_body << "\n";
  }
  yaml << "contexts:\n";
  for (const auto& context : contexts) {
    yaml << "- name: " << context.name << "\n  context:\n    cluster: " << context.name
         << "-cluster\n    user: " << context.name << "-user\n";
  }
  if (!contexts.empty()) yaml << "current-context: " << contexts.front().name << "\n";
  return yaml.str();
}

nlohmann::json namespace_object(const std::string& name) {
  return {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
}

nlohmann::json pod_object(const std::string& namespace_name, const std::string& name,
                          const nlohmann::json& labels, const std::string& container,
                          const std::string& image, bool init_container) {
  nlohmann::json spec = {{"containers", nlohmann::json::array()}};
  if (init_container) {
    spec["initContainers"] = {{{"name", container}, {"image", image}, {"restartPolicy", "Always"}}};
    spec["containers"].push_back({{"name", "app"}, {"image", "docker.io/library/nginx:1.27"}});
  } else {
    spec["containers"].push_back({{"name", container}, {"image", image}});
  }
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}, {"namespace", namespace_name}, {"labels", labels}}},
          {"spec", spec},
          {"status", {{"phase", "Running"}}}};
}

nlohmann::json istiod_pod(const std::string& name, const std::string& image,
                          const std::string& revision, const std::string& namespace_name) {
  return pod_object(namespace_name, name,
                    {{"app", "istiod"}, {"istio", "pilot"}, {"istio.io/rev", revision}},
                    "discovery", image);
}

nlohmann::json istiod_deployment(const std::string& name, const std::string& image,
                                 const std::string& revision, const std::string& namespace_name) {
  const nlohmann::json labels = {{"app", "istiod"}, {"istio", "pilot"}, {"istio.io/rev", revision}};
  nlohmann::json container = {{"name", "discovery"}, {"image", image}};
  nlohmann::json pod_spec = {{"containers", nlohmann::json::array({container})}};
  nlohmann::json template_spec = {{"metadata", {{"labels", labels}}}, {"spec", pod_spec}};
  nlohmann::json deployment = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}};
  deployment["metadata"] = {{"name", name}, {"namespace", namespace_name}, {"labels", labels}};
  deployment["spec"] = {{"replicas", 1}, {"template", template_spec}};
  deployment["status"] = {{"readyReplicas", 1}, {"replicas", 1}};
  return deployment;
}

nlohmann::json sidecar_pod(const std::string& namespace_name, const std::string& name,
                           const std::string& proxy_image, const std::string& revision) {
  nlohmann::json labels = {{"app", name}, {"security.istio.io/tlsMode", "istio"}};
  if (!revision.empty()) labels["istio.io/rev"] = revision;
  auto pod = pod_object(namespace_name, name, labels, "app", "docker.io/library/nginx:1.27");
  pod["spec"]["containers"].push_back({{"name", "istio-proxy"}, {"image", proxy_image}});
  return pod;
}

}  // namespace getmesh::testing
