#include "support/temp_dir.hpp"

#include <getmesh/store/installed.hpp>
#include <getmesh/store/pin.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>

namespace getmesh::store {
namespace {

void install_fake(const Home& home, const std::string& name, bool executable = true) {
  const auto bin = home.istio_dir() / name / "bin";
  std::filesystem::create_directories(bin);
  std::ofstream(bin / "istioctl") << "#!/bin/sh\n";
  ::chmod((bin / "istioctl").c_str(), executable ? 0755 : 0644);
}

TEST(Installed, ListsOnlyCompleteInstallsNewestFirst) {
  testing::TempDir dir;
  const Home home(dir.path());
  install_fake(home, "1.16.2-tetrate-v0");
  install_fake(home, "20.1.1-tetrate-v0");
  install_fake(home, "1.7.3-tetrate-v0");
  install_fake(home, "1.8.0-istio-v0", /*executable=*/false);
  std::filesystem::create_directories(home.istio_dir() / "1.9.0-istio-v0" / "bin");  // half-written
  std::filesystem::create_directories(home.istio_dir() / "not-a-name");
  dir.write("istio/1.10.0-istio-v0", "a file, not a directory");

  const auto installed = list_installed(home);
  ASSERT_TRUE(installed.ok());
  std::vector<std::string> names;
  for (const auto& distribution : *installed) names.push_back(distribution.name.to_string());
  EXPECT_EQ(names, (std::vector<std::string>{"20.1.1-tetrate-v0", "1.16.2-tetrate-v0",
                                             "1.7.3-tetrate-v0"}));
  EXPECT_FALSE((*installed)[0].record.has_value());
  EXPECT_FALSE(is_installed(home, *DistributionName::parse("1.9.0-istio-v0")));
}

TEST(Installed, CommitReplacesAnIncompleteDirectoryAndRecordsTheSource) {
  testing::TempDir dir;
  const Home home(dir.path());
  const auto name = *DistributionName::parse("1.31.1-istio-v0");
  std::filesystem::create_directories(home.distribution_dir(name) / "bin");  // left by the original
  const auto prepared = home.tmp_dir() / "prepared";
  std::filesystem::create_directories(prepared / "bin");
  std::ofstream(prepared / "bin" / "istioctl") << "x";
  ::chmod((prepared / "bin" / "istioctl").c_str(), 0755);
  std::ofstream(prepared / kInstallRecordFile) << serialize_install_record(
      {"https://example/x.tar.gz", "ab", true, {"upstream-digest", "https://example/x.sha256"}});

  ASSERT_TRUE(commit_install(home, prepared, name).ok());
  EXPECT_TRUE(is_installed(home, name));
  const auto record = read_install_record(home.distribution_dir(name));
  ASSERT_TRUE(record.has_value());
  EXPECT_TRUE(record->verified);
  EXPECT_EQ(record->source_url, "https://example/x.tar.gz");
  EXPECT_EQ(record->checksum_sources,
            (std::vector<std::string>{"upstream-digest", "https://example/x.sha256"}));

  ASSERT_TRUE(remove_installed(home, name).ok());
  EXPECT_FALSE(std::filesystem::exists(home.distribution_dir(name)));
}

// Records written before several checksum sources existed name one source.
TEST(Installed, ReadsTheOneSourceOfOlderRecords) {
  testing::TempDir dir;
  dir.write(
      "istio/1.29.8-istio-v0/" + std::string(kInstallRecordFile),
      R"({"source_url": "u", "sha256": "ab", "verified": true, "checksum_source": "manifest"})");
  const auto record = read_install_record(dir.path() / "istio" / "1.29.8-istio-v0");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->checksum_sources, std::vector<std::string>{"manifest"});
}

TEST(Pin, FoundInTheDirectoryOrAParent) {
  testing::TempDir dir;
  dir.write("project/.getmesh-version", "1.30.5-istio-v0\n");
  std::filesystem::create_directories(dir.path() / "project" / "a" / "b");
  const auto pin = find_pin(dir.path() / "project" / "a" / "b");
  ASSERT_TRUE(pin.ok());
  ASSERT_TRUE(pin->has_value());
  EXPECT_EQ((*pin)->name.to_string(), "1.30.5-istio-v0");
  EXPECT_EQ((*pin)->file, dir.path() / "project" / ".getmesh-version");
  const auto none = find_pin(dir.path());
  ASSERT_TRUE(none.ok());
}

TEST(Pin, AnUnreadableNameIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  dir.write(".getmesh-version", "latest please");
  const auto pin = find_pin(dir.path());
  ASSERT_FALSE(pin.ok());
  EXPECT_NE(pin.error().message.find((dir.path() / ".getmesh-version").string()),
            std::string::npos);
}

}  // namespace
}  // namespace getmesh::store
