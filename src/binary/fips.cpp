#include <getmesh/binary/go_build_info.hpp>
#include <getmesh/core/strings.hpp>

namespace getmesh::binary {

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// "go1.16.15b7": a release of Go's dev.boringcrypto branch.
bool is_boring_branch_release(std::string_view version) {
  if (!version.starts_with("go1.")) return false;
  const auto b = version.rfind('b');
  if (b == std::string_view::npos || !all_digits(version.substr(b + 1))) return false;
  const auto numbers = split(version.substr(4, b - 4), '.');
  if (numbers.size() > 2) return false;
  for (const auto& number : numbers) {
    if (!all_digits(number)) return false;
  }
  return true;
}

bool lists_boringcrypto(std::string_view experiments) {
  for (const auto& experiment : split(experiments, ',')) {
    if (trim(experiment) == "boringcrypto") return true;
  }
  return false;
}

}  // namespace

std::string to_string(FipsModule module) {
  switch (module) {
    case FipsModule::kBoringCrypto:
      return "boringcrypto";
    case FipsModule::kGoFips140:
      return "go-fips140";
    case FipsModule::kNone:
      break;
  }
  return "none";
}

Fips fips_module(const GoBuildInfo& info) {
  if (auto module = info.setting("GOFIPS140"); module && !module->empty() && *module != "off") {
    return {FipsModule::kGoFips140, "GOFIPS140=" + *module};
  }
  if (auto experiments = info.setting("GOEXPERIMENT");
      experiments && lists_boringcrypto(*experiments)) {
    return {FipsModule::kBoringCrypto, "GOEXPERIMENT=" + *experiments};
  }
  // runtime.Version() of a Go+BoringCrypto build: "go1.19.13 X:boringcrypto" (Go 1.19 and later)
  // or the dev.boringcrypto branch's "go1.16.15b7".
  const auto& version = info.go_version;
  if (const auto experiments = version.find(" X:");
      experiments != std::string::npos && lists_boringcrypto(version.substr(experiments + 3))) {
    return {FipsModule::kBoringCrypto, "X:boringcrypto in " + version};
  }
  if (is_boring_branch_release(version)) {
    return {FipsModule::kBoringCrypto, "Go+BoringCrypto release " + version};
  }
  return {};
}

}  // namespace getmesh::binary
