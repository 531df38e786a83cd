#pragma once

// Helpers for the gen-ca tests: the openssl command line, file modes and test roots.

#include "support/run_getmesh.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace getmesh::testing {

// The API path of the cacerts Secret the gen-ca tests write.
inline const std::string kCacerts = "/api/v1/namespaces/istio-system/secrets/cacerts";

// Runs `openssl <args>` in `directory`.
RunResult openssl(const std::vector<std::string>& args, const std::filesystem::path& directory);

// `openssl x509 -text` of a certificate file.
std::string x509_text(const std::filesystem::path& certificate);

unsigned file_mode(const std::filesystem::path& path);

// Every regular file below `directory`, relative, sorted; empty when it does not exist.
std::vector<std::string> files_below(const std::filesystem::path& directory);

struct TestRoot {
  std::filesystem::path cert;
  std::filesystem::path key;
};

// A root made with the openssl command line in `directory`: `extensions` are -addext values
// (e.g. "basicConstraints=critical,CA:TRUE"), `extra` further `openssl req` arguments.
TestRoot make_root(const std::filesystem::path& directory, const std::string& name, int days,
                   const std::vector<std::string>& extensions,
                   const std::vector<std::string>& extra = {});

// The JSON lines of a test endpoint's request log, in order; empty when it does not exist.
std::vector<nlohmann::json> read_request_log(const std::filesystem::path& log);

// Expects that a failed run in `temp` wrote nothing: no <temp>/out, no file in <temp>/home.
void expect_nothing_written(const TempDir& temp);

// Runs getmesh with GETMESH_HOME=<temp>/home and HOME=<temp>/user, in `temp`.
RunResult gen_ca(const TempDir& temp, std::vector<std::string> args,
                 std::map<std::string, std::string> env = {});

}  // namespace getmesh::testing
