#include "integration/ca/ca_cluster.hpp"

#include "ca/encoding.hpp"
#include "integration/ca/ca_cli.hpp"

#include <getmesh/core/base64.hpp>

#include <gtest/gtest.h>

#include <fstream>

namespace getmesh::testing {

namespace {

Environment test_environment() {
  Environment environment;
  environment.set("PATH", "/usr/bin:/bin");
  return environment;
}

}  // namespace

std::string write_kubeconfig(const TempDir& temp, const std::vector<std::string>& servers) {
  std::vector<KubeconfigContext> contexts;
  for (std::size_t i = 0; i < servers.size(); ++i) {
    contexts.push_back({"ctx" + std::to_string(i), servers[i], token_user("test-token"), ""});
  }
  return temp.write("kubeconfig", make_kubeconfig(contexts, TestCertificates::get().ca_cert))
      .string();
}

kube::Client client_of(const TempDir& temp, const KubeApiServer& server) {
  const auto file = temp.write(
      "reader-kubeconfig", make_kubeconfig({{"reader", server.url(), token_user("test-token"), ""}},
                                           TestCertificates::get().ca_cert));
  auto config = kube::rest_config_for(file.string(), "", test_environment());
  if (!config) throw std::runtime_error(config.error().message);
  auto client = kube::Client::connect(*config, net::Client(net::Settings{}), test_environment());
  if (!client) throw std::runtime_error(client.error().message);
  return std::move(*client);
}

std::optional<nlohmann::json> read_object(const kube::Client& client, const std::string& path) {
  auto found = client.get_if_exists(path);
  if (!found) throw std::runtime_error(found.error().message);
  return *found;
}

std::vector<std::string> object_names(const kube::Client& client, const std::string& path) {
  auto items = client.list(path);
  if (!items) throw std::runtime_error(items.error().message);
  std::vector<std::string> names;
  for (const auto& item : *items) names.push_back(item["metadata"]["name"].get<std::string>());
  return names;
}

std::vector<std::string> writes(const KubeApiServer& server) {
  std::vector<std::string> seen;
  for (const auto& request : server.requests()) {
    const auto method = request["method"].get<std::string>();
    if (method != "GET") seen.push_back(method + " " + request["path"].get<std::string>());
  }
  return seen;
}

nlohmann::json existing_cacerts(const std::string& namespace_name, const std::string& type) {
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata",
           {{"name", "cacerts"}, {"namespace", namespace_name}, {"labels", {{"team", "mesh"}}}}},
          {"type", type},
          {"data", {{"ca-cert.pem", base64_encode("old")}}}};
}

void write_secret_documents(const nlohmann::json& secret, const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  for (const char* name : {"ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"}) {
    ASSERT_TRUE(secret["data"].contains(name)) << name;
    const auto decoded = base64_decode(secret["data"][name].get<std::string>());
    ASSERT_TRUE(decoded.has_value()) << name;
    std::ofstream(directory / name, std::ios::binary) << *decoded;
  }
}

void expect_bundle_verifies(const std::filesystem::path& directory) {
  const auto verified =
      openssl({"verify", "-CAfile", "root-cert.pem", "-untrusted", "cert-chain.pem", "ca-cert.pem"},
              directory);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_EQ(verified.out, "ca-cert.pem: OK\n");
  const auto from_key = openssl({"pkey", "-in", "ca-key.pem", "-pubout"}, directory);
  const auto from_cert = openssl({"x509", "-in", "ca-cert.pem", "-noout", "-pubkey"}, directory);
  EXPECT_EQ(from_key.exit_code, 0) << from_key.err;
  EXPECT_EQ(from_key.out, from_cert.out);
}

}  // namespace getmesh::testing
