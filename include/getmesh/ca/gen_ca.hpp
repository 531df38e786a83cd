#pragma once

#include <getmesh/ca/provider.hpp>
#include <getmesh/ca/settings.hpp>
#include <getmesh/core/environment.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/net/http.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace getmesh::ca {

// What gen-ca needs from the outside world.
struct GenCaServices {
  const Environment* environment = nullptr;
  const net::Client* http = nullptr;
  std::filesystem::path home_secret_dir;  // <home>/secret, for --disable-secret-creation
  Notify notify;                          // progress notes for the user
};

struct GenCaOutcome {
  std::string namespace_name;
  std::vector<std::filesystem::path> files;  // everything written, in order
  std::filesystem::path secret_yaml_file;    // when the Secret manifest was written to a file
  std::string dry_run_yaml;                  // --dry-run: the manifest with the key redacted
  bool root_key_discarded = false;           // --generate-root without --output-dir
};

// Runs gen-ca: checks every destination first, issues the CA with the chosen provider, checks
// the bundle (chain, CA flags, path length, key), then writes it to the chosen destinations, all
// or nothing. Nothing is written on any error, nor with --dry-run.
Result<GenCaOutcome> generate_ca(const Settings& settings, const GenCaServices& services);

}  // namespace getmesh::ca
