#pragma once

#include "support/loopback_server.hpp"
#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace getmesh::testing {

// tests/data/github/istio-releases.json: release objects shaped like istio/istio's.
std::filesystem::path istio_releases_fixture();

struct GithubApiOptions {
  nlohmann::json releases = nullptr;  // release objects ("{base}": the server's URL); null: fixture
  std::filesystem::path assets = {};  // served as {base}/download/<tag>/<name>; empty: none
  int page_size = 100;     // the server's own cap, below GitHub's 100, to get several pages
  std::string token = {};  // accepted bearer token; empty: any token is rejected
};

// tests/servers/github_api.py: the GitHub releases API of istio/istio on 127.0.0.1 (see the
// script's docstring for what it answers and how it misbehaves on request).
class GithubApi {
 public:
  explicit GithubApi(GithubApiOptions options = {});

  [[nodiscard]] std::string url() const { return server_->url(); }
  // What getmesh needs to use this server as upstream.
  [[nodiscard]] std::map<std::string, std::string> env() const;
  // Makes the server misbehave from the next request on: {"mode": ..., "pages": [...], ...}.
  void set_script(const nlohmann::json& script) const;
  // Requests to the release listing so far (the log lines of the script).
  [[nodiscard]] std::vector<nlohmann::json> list_requests() const;

 private:
  TempDir dir_;
  std::unique_ptr<LoopbackServer> server_;
};

// The releases of <home>/cache/catalog.txt's complete catalogue and their downloads, without the
// bookkeeping (times, ETag, a reading in progress): what must not change when upstream answers
// badly.
std::string catalogue_content(const std::string& cache_text);

// What the API says of one release asset: its bytes' sha256 (empty gives "digest": null) and size.
struct ReleaseAsset {
  std::string digest;
  std::uint64_t size = 0;
};

// One release object as the API gives it, for tests that need their own assets: `archives` maps
// an asset name to what the API says of it; each gets a `.sha256` asset beside it when
// `checksum_files` is set.
nlohmann::json github_release(const std::string& tag, const std::string& published_date,
                              const std::map<std::string, ReleaseAsset>& archives,
                              bool checksum_files = true, bool prerelease = false);

}  // namespace getmesh::testing
