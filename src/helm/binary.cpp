#include <getmesh/core/strings.hpp>
#include <getmesh/helm/binary.hpp>

#include <cctype>
#include <filesystem>
#include <unistd.h>

namespace getmesh::helm {

namespace {

constexpr const char* kInstallHint =
    "install Helm 3 (https://helm.sh/docs/intro/install/), or point getmesh at it with --helm "
    "PATH or \"getmesh config set helm_path PATH\"";

bool is_executable_file(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

Result<std::string> locate(const std::string& flag, const std::string& setting,
                           const std::string& path_variable) {
  const std::string& given = !flag.empty() ? flag : setting;
  const std::string origin = !flag.empty() ? "--helm" : "the helm_path setting";
  if (!given.empty()) {
    auto found = exec::find_program(given, path_variable);
    if (!found || !is_executable_file(*found)) {
      return runtime_error(origin + " names " + quote(given) + ", which is no executable file",
                           kInstallHint);
    }
    return *found;
  }
  auto found = exec::find_program("helm", path_variable);
  if (!found) {
    return runtime_error("this control plane is installed with Helm, and no helm is on PATH",
                         kInstallHint);
  }
  return *found;
}

std::optional<Version> parse_version(std::string_view text) {
  const auto start = text.find_first_of("0123456789");
  if (start == std::string_view::npos) return std::nullopt;
  auto end = start;
  while (end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[end])) != 0 || text[end] == '.')) {
    ++end;
  }
  auto version = Version::parse(text.substr(start, end - start));
  if (!version) return std::nullopt;
  return *version;
}

Result<Binary> check(const std::string& path, const exec::EnvironmentOverrides& environment,
                     std::chrono::milliseconds timeout) {
  auto ran =
      exec::run_captured({path, "version", "--template", "{{.Version}}"}, environment, timeout);
  if (!ran) return ran.error().with_context(path + " version");
  const auto version = parse_version(trim(ran->out));
  if (ran->exit_code != 0 || !version) {
    return runtime_error(path + " version did not say which Helm it is (exit code " +
                             std::to_string(ran->exit_code) + ": " +
                             quote(trim(ran->out + ran->err).substr(0, 200)) + ")",
                         kInstallHint);
  }
  if (version->major != kRequiredMajor) {
    return runtime_error(path + " is Helm " + version->to_string() + "; getmesh drives Helm " +
                             std::to_string(kRequiredMajor) + ".x only",
                         kInstallHint);
  }
  return Binary{path, *version};
}

}  // namespace getmesh::helm
