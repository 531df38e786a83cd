// The reader against real binaries from Debian's Go toolchain, cross-checked with `go version -m`.
#include "support/go_binaries.hpp"

#include <getmesh/binary/go_build_info.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace getmesh::binary {
namespace {

// `go version -m` in our terms: what Go itself reads from the file.
GoBuildInfo as_go_reads_it(const std::filesystem::path& file) {
  const auto text = testing::go_version_m(file);
  GoBuildInfo info;
  const auto first_line = text.substr(0, text.find('\n'));
  info.go_version = first_line.substr(first_line.find(": ") + 2);
  std::string module_text;
  std::istringstream lines(text.substr(text.find('\n') + 1));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() == '\t') module_text += line.substr(1) + "\n";
  }
  parse_module_info(module_text, info);
  return info;
}

void expect_same_as_go(const std::filesystem::path& file, const GoBuildInfo& ours) {
  const auto go = as_go_reads_it(file);
  EXPECT_EQ(ours.go_version, go.go_version);
  EXPECT_EQ(ours.path, go.path);
  EXPECT_EQ(ours.module_path, go.module_path);
  EXPECT_EQ(ours.module_version, go.module_version);
  ASSERT_EQ(ours.settings.size(), go.settings.size());
  for (std::size_t i = 0; i < ours.settings.size(); ++i) {
    EXPECT_EQ(ours.settings[i].key, go.settings[i].key);
    EXPECT_EQ(ours.settings[i].value, go.settings[i].value);
  }
}

TEST(GoBinaries, PlainBuildHasNoFipsModule) {
  const auto& binaries = testing::go_binaries();
  const auto info = read_go_build_info(binaries.plain);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->go_version, binaries.go_version);
  EXPECT_EQ(info->path, "istio.io/istio/istioctl/cmd/istioctl");
  EXPECT_EQ(info->module_path, "istio.io/istio");
  EXPECT_EQ(info->module_version, "(devel)");
  EXPECT_EQ(info->setting("CGO_ENABLED"), "0");
  EXPECT_EQ(info->setting("-ldflags"), "-s -w -X main.version=1.22.3");
  EXPECT_EQ(info->setting("GOOS"), "linux");
  EXPECT_EQ(info->setting("GOEXPERIMENT"), std::nullopt);
  EXPECT_FALSE(fips_module(*info).present());
  expect_same_as_go(binaries.plain, *info);
}

TEST(GoBinaries, BoringCryptoBuildCarriesTheFipsModule) {
  const auto& binaries = testing::go_binaries();
  const auto info = read_go_build_info(binaries.boring);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->go_version, binaries.go_version + " X:boringcrypto");
  EXPECT_EQ(info->setting("CGO_ENABLED"), "1");
  EXPECT_EQ(info->setting("GOEXPERIMENT"), "boringcrypto");
  EXPECT_EQ(info->setting("-tags"), "netgo,osusergo");
  const auto fips = fips_module(*info);
  EXPECT_EQ(fips.module, FipsModule::kBoringCrypto);
  EXPECT_EQ(fips.evidence, "GOEXPERIMENT=boringcrypto");
  expect_same_as_go(binaries.boring, *info);
}

TEST(GoBinaries, MachOBuildForMacOs) {
  const auto& binaries = testing::go_binaries();
  const auto info = read_go_build_info(binaries.darwin);
  ASSERT_TRUE(info.ok()) << info.error().message;
  EXPECT_EQ(info->setting("GOOS"), "darwin");
  EXPECT_EQ(info->setting("GOARCH"), "arm64");
  EXPECT_EQ(info->module_path, "istio.io/istio");
  expect_same_as_go(binaries.darwin, *info);
}

}  // namespace
}  // namespace getmesh::binary
