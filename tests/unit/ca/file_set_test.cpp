#include "support/temp_dir.hpp"

#include <getmesh/ca/file_set.hpp>
#include <getmesh/core/fs.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace getmesh::ca {
namespace {

namespace fs = std::filesystem;

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

std::size_t entries(const fs::path& directory) {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator(directory), fs::directory_iterator()));
}

TEST(NewFiles, AreWrittenWithTheirExactModesIntoNewDirectories) {
  testing::TempDir temp;
  const auto directory = temp.path() / "out" / "cluster-1";
  ASSERT_TRUE(write_new_files({{directory / "ca-key.pem", "secret\n", fs::perms(0600)},
                               {directory / "ca-cert.pem", "public\n", fs::perms(0644)}})
                  .ok());
  EXPECT_EQ(mode_of(directory / "ca-key.pem"), 0600u);
  EXPECT_EQ(mode_of(directory / "ca-cert.pem"), 0644u);
  EXPECT_EQ(mode_of(directory), 0700u);
  EXPECT_EQ(*read_file(directory / "ca-key.pem"), "secret\n");
  EXPECT_EQ(entries(directory), 2u);  // no staging files left behind
}

TEST(NewFiles, AFailureRemovesEverythingWrittenBefore) {
  testing::TempDir temp;
  const auto existing = temp.write("taken.pem", "old");
  const auto directory = temp.path() / "new-dir";
  const auto written = write_new_files(
      {{directory / "first.pem", "1", fs::perms(0644)}, {existing, "2", fs::perms(0644)}});
  ASSERT_FALSE(written.ok());
  EXPECT_NE(written.error().message.find("taken.pem"), std::string::npos)
      << written.error().message;
  EXPECT_FALSE(fs::exists(directory));
  EXPECT_EQ(*read_file(existing), "old");
  EXPECT_EQ(entries(temp.path()), 1u);
}

TEST(NewFiles, CheckRefusesExistingFilesAndMissingDirectories) {
  testing::TempDir temp;
  const auto existing = temp.write("cacerts.yaml", "x");
  auto checked = check_new_file(existing, false);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().message, existing.string() + " already exists");
  checked = check_new_file(temp.path() / "missing" / "cacerts.yaml", false);
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("does not exist"), std::string::npos);
  EXPECT_TRUE(check_new_file(temp.path() / "missing" / "deeper" / "ca.pem", true).ok());
  EXPECT_TRUE(check_new_file(temp.path() / "new.yaml", false).ok());
}

TEST(NewFiles, CheckRefusesDirectoriesWithoutWritePermission) {
  if (::geteuid() == 0) GTEST_SKIP() << "root may write anywhere";
  testing::TempDir temp;
  const auto locked = temp.path() / "locked";
  fs::create_directory(locked);
  fs::permissions(locked, fs::perms(0500));
  const auto checked = check_new_file(locked / "cacerts.yaml", false);
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("cannot write in"), std::string::npos);
}

}  // namespace
}  // namespace getmesh::ca
