#include "support/temp_dir.hpp"

#include <getmesh/store/installed.hpp>
#include <getmesh/store/pin.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

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
  const auto search = find_pin(dir.path() / "project" / "a" / "b");
  ASSERT_TRUE(search.ok());
  ASSERT_TRUE(search->pin.has_value());
  EXPECT_EQ(search->pin->name.to_string(), "1.30.5-istio-v0");
  EXPECT_EQ(search->pin->file, dir.path() / "project" / ".getmesh-version");
  EXPECT_TRUE(search->ignored.empty());
  const auto none = find_pin(dir.path());
  ASSERT_TRUE(none.ok());
}

TEST(Pin, TheWalkStopsAtTheFirstPinWhateverItIs) {
  testing::TempDir dir;
  dir.write(".getmesh-version", "1.30.5-istio-v0\n");
  std::filesystem::create_directories(dir.path() / "a" / ".getmesh-version");  // not a file
  const auto search = find_pin(dir.path() / "a");
  ASSERT_FALSE(search.ok());
  EXPECT_NE(search.error().message.find((dir.path() / "a" / ".getmesh-version").string() +
                                        ": it is not a regular file"),
            std::string::npos)
      << search.error().message;
}

TEST(Pin, AFifoOrAnEndlessFileIsRefusedWithoutBlocking) {
  testing::TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / ".getmesh-version").c_str(), 0644), 0);
  const auto fifo = find_pin(dir.path());
  ASSERT_FALSE(fifo.ok());
  EXPECT_NE(fifo.error().message.find("not a regular file"), std::string::npos);

  testing::TempDir other;
  dir.write("big", std::string(100000, '1'));
  std::filesystem::create_symlink(dir.path() / "big", other.path() / ".getmesh-version");
  const auto big = find_pin(other.path());
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.error().message.find("is larger than 1 KiB"), std::string::npos)
      << big.error().message;
}

// In a world-writable directory that is not the user's (sticky /tmp), a pin of another user is
// passed over with a note, and the walk goes on to the parents. The test is `user` + 1: it owns
// the files it makes, so "another user" is simulated by asking on behalf of someone else.
TEST(Pin, APinOfAnotherUserInAWorldWritableDirectoryIsIgnored) {
  testing::TempDir dir;
  dir.write(".getmesh-version", "1.29.8-istio-v0\n");
  const auto shared = dir.path() / "shared";
  std::filesystem::create_directories(shared / "project");
  ASSERT_EQ(::chmod(shared.c_str(), 01777), 0);
  dir.write("shared/.getmesh-version", "1.30.5-istio-v0\n");
  const auto someone_else = ::geteuid() + 1;
  const auto search = find_pin(shared / "project", someone_else);
  ASSERT_TRUE(search.ok()) << search.error().message;
  ASSERT_EQ(search->ignored.size(), 1U);
  EXPECT_NE(search->ignored[0].find((shared / ".getmesh-version").string()), std::string::npos);
  EXPECT_NE(search->ignored[0].find("world-writable"), std::string::npos);
  ASSERT_TRUE(search->pin.has_value());
  EXPECT_EQ(search->pin->name.to_string(), "1.29.8-istio-v0");  // the parent's, not ignored

  // The owner of the files (the user running the test) trusts their own pin there.
  const auto own = find_pin(shared / "project");
  ASSERT_TRUE(own.ok());
  ASSERT_TRUE(own->pin.has_value());
  EXPECT_EQ(own->pin->name.to_string(), "1.30.5-istio-v0");
}

TEST(Pin, AnUnreadableNameIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  dir.write(".getmesh-version", "latest please");
  const auto pin = find_pin(dir.path());
  ASSERT_FALSE(pin.ok());
  EXPECT_FALSE(pin.error().hint.empty());
  EXPECT_NE(pin.error().message.find((dir.path() / ".getmesh-version").string()),
            std::string::npos);
}

}  // namespace
}  // namespace getmesh::store
