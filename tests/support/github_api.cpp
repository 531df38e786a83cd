#include "support/github_api.hpp"

#include <getmesh/core/strings.hpp>

#include <fstream>
#include <sstream>

namespace getmesh::testing {

std::filesystem::path istio_releases_fixture() {
  return std::filesystem::path(GETMESH_SOURCE_DIR) / "tests/data/github/istio-releases.json";
}

GithubApi::GithubApi(GithubApiOptions options) {
  const auto releases = options.releases.is_null()
                            ? istio_releases_fixture()
                            : dir_.write("releases.json", options.releases.dump());
  std::vector<std::string> argv{"/usr/bin/python3",
                                "-B",
                                GETMESH_TEST_SERVERS_DIR "/github_api.py",
                                "--releases",
                                releases.string(),
                                "--page-size",
                                std::to_string(options.page_size),
                                "--log",
                                (dir_.path() / "requests.log").string(),
                                "--script",
                                (dir_.path() / "script.json").string()};
  if (!options.assets.empty()) argv.insert(argv.end(), {"--assets", options.assets.string()});
  if (!options.token.empty()) argv.insert(argv.end(), {"--token", options.token});
  server_ = std::make_unique<LoopbackServer>(argv, dir_.path() / "output.log");
}

std::map<std::string, std::string> GithubApi::env() const {
  return {{"GETMESH_OFFLINE", "0"}, {"GETMESH_GITHUB_API", url()}};
}

void GithubApi::set_script(const nlohmann::json& script) const {
  dir_.write("script.json", script.dump());
}

std::vector<nlohmann::json> GithubApi::list_requests() const {
  std::vector<nlohmann::json> requests;
  std::ifstream log(dir_.path() / "requests.log");
  for (std::string line; std::getline(log, line);) {
    auto entry = nlohmann::json::parse(line);
    if (!entry["path"].get<std::string>().starts_with("/download/")) requests.push_back(entry);
  }
  return requests;
}

std::string catalogue_content(const std::string& cache_text) {
  std::string content;
  std::istringstream lines(cache_text);
  bool complete = false;  // of the last release line
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("download\t") && complete) content += line + "\n";
    if (!line.starts_with("release\t")) continue;
    // release <tag> <published> complete|pending <flags> <notes>: the complete ones
    const auto fields = split(line, '\t');
    complete = fields.size() > 3 && fields[3] == "complete";
    if (complete) content += line + "\n";
  }
  return content;
}

nlohmann::json github_release(const std::string& tag, const std::string& published_date,
                              const std::map<std::string, ReleaseAsset>& archives,
                              bool checksum_files, bool prerelease) {
  auto assets = nlohmann::json::array();
  int id = 1;
  const auto asset = [&](const std::string& name, const std::string& digest, std::uint64_t size) {
    assets.push_back(
        {{"url", "{base}/repos/istio/istio/releases/assets/" + std::to_string(id)},
         {"id", id++},
         {"name", name},
         {"label", ""},
         {"content_type", "application/gzip"},
         {"state", "uploaded"},
         {"size", size},
         {"digest", digest.empty() ? nlohmann::json() : nlohmann::json("sha256:" + digest)},
         {"download_count", 0},
         {"created_at", published_date + "T10:00:00Z"},
         {"updated_at", published_date + "T10:00:00Z"},
         {"browser_download_url", "{base}/download/" + tag + "/" + name}});
  };
  for (const auto& [name, facts] : archives) {
    asset(name, facts.digest, facts.size);
    if (checksum_files) asset(name + ".sha256", "", 64 + 2 + name.size() + 1);
  }
  return {{"url", "{base}/repos/istio/istio/releases/" + tag},
          {"html_url", "https://github.com/istio/istio/releases/tag/" + tag},
          {"id", 1000 + id},
          {"tag_name", tag},
          {"target_commitish", "master"},
          {"name", "Istio " + tag},
          {"draft", false},
          {"prerelease", prerelease},
          {"created_at", published_date + "T10:00:00Z"},
          {"published_at", published_date + "T10:00:00Z"},
          {"assets", assets},
          {"body",
           "[Artifacts for " + tag + "](https://github.com/istio/istio/releases/tag/" + tag + ")"}};
}

}  // namespace getmesh::testing
