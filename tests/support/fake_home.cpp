#include "support/fake_home.hpp"

#include <getmesh/core/distribution.hpp>
#include <getmesh/store/installed.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace getmesh::testing {

FakeHome::FakeHome() { std::filesystem::create_directories(home()); }

void FakeHome::install(const std::string& name, bool verified, const std::string& script) const {
  const auto dir = home() / "istio" / name;
  std::filesystem::create_directories(dir / "bin");
  const auto binary = dir / "bin" / "istioctl";
  std::ofstream(binary) << (script.empty() ? "#!/bin/sh\necho \"istioctl " + name +
                                                 " $*\"\necho \"KUBECONFIG=$KUBECONFIG\"\n"
                                                 "exit ${FAKE_ISTIOCTL_EXIT:-0}\n"
                                           : script);
  ::chmod(binary.c_str(), 0755);
  if (verified) {
    std::ofstream(dir / store::kInstallRecordFile)
        << store::serialize_install_record({"file:///mirror/istio-" + name + "-linux-amd64.tar.gz",
                                            std::string(64, 'a'),
                                            true,
                                            {"manifest"}});
  }
}

void FakeHome::set_active(const std::string& name) const {
  const auto parsed = *DistributionName::parse(name);
  nlohmann::json record = {{"version", parsed.version.to_string()}, {"flavor", parsed.flavor}};
  if (parsed.flavor_version != 0) record["flavor_version"] = parsed.flavor_version;
  write_config(nlohmann::json{{"istio_distribution", record}}.dump());
}

void FakeHome::write_config(const std::string& json) const {
  std::ofstream(home() / "config.json") << json;
}

std::string FakeHome::read_config() const {
  std::ifstream file(home() / "config.json");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

RunOptions FakeHome::options(std::map<std::string, std::string> extra) const {
  RunOptions options;
  options.env = std::move(extra);
  options.env["GETMESH_HOME"] = home().string();
  options.env["HOME"] = (dir_.path() / "user").string();
  options.cwd = dir_.path();
  return options;
}

std::vector<std::string> take_lines(const std::filesystem::path& log) {
  std::ifstream file(log);
  std::vector<std::string> lines;
  for (std::string line; std::getline(file, line);) lines.push_back(line);
  std::filesystem::remove(log);
  return lines;
}

std::string make_manifest(const std::vector<std::string>& names,
                          const std::map<std::string, std::string>& community_end_of_life,
                          const std::string& default_flavor) {
  nlohmann::json distributions = nlohmann::json::array();
  for (const auto& text : names) {
    const auto name = *DistributionName::parse(text);
    distributions.push_back(
        {{"version", name.version.to_string()},
         {"flavor", name.flavor},
         {"flavor_version", name.flavor_version},
         {"k8s_versions", {"1.30", "1.31"}},
         {"release_notes", {"https://istio.io/notes/" + name.version.to_string()}}});
  }
  nlohmann::json lifecycle = nlohmann::json::object();
  for (const auto& [minor, date] : community_end_of_life) {
    lifecycle[minor] = {{"community_end_of_life", date}};
  }
  return nlohmann::json{{"default_flavor", default_flavor},
                        {"lifecycle", lifecycle},
                        {"istio_distributions", distributions}}
      .dump(2);
}

}  // namespace getmesh::testing
