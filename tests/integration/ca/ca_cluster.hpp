#pragma once

// Helpers for the gen-ca tests that write to a cluster: the test Kubernetes API server, a
// kubeconfig for it, and reading back what getmesh left there.

#include "support/kube_api_server.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/kube/client.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::testing {

// Writes `<temp>/kubeconfig` with the contexts ctx0, ctx1, … (ctx0 current), one per server URL,
// each with the bearer token the test server accepts; returns its path.
std::string write_kubeconfig(const TempDir& temp, const std::vector<std::string>& servers);

// A client for `server`, to read back the objects getmesh wrote.
kube::Client client_of(const TempDir& temp, const KubeApiServer& server);

// The object at `path` of the server, or nothing when it does not exist.
std::optional<nlohmann::json> read_object(const kube::Client& client, const std::string& path);
// The names of the objects of a list path (e.g. every Certificate of every namespace).
std::vector<std::string> object_names(const kube::Client& client, const std::string& path);

// The requests that could change something (POST, PUT, DELETE), as "METHOD path".
std::vector<std::string> writes(const KubeApiServer& server);

// A `cacerts` Secret of `type` holding one made-up document, labelled team=mesh.
nlohmann::json existing_cacerts(const std::string& namespace_name,
                                const std::string& type = "Opaque");

// Decodes the four documents of a cacerts Secret into `directory`.
void write_secret_documents(const nlohmann::json& secret, const std::filesystem::path& directory);

// openssl verify -CAfile root-cert.pem -untrusted cert-chain.pem ca-cert.pem in `directory`, and
// ca-key.pem is the key of ca-cert.pem.
void expect_bundle_verifies(const std::filesystem::path& directory);

}  // namespace getmesh::testing
