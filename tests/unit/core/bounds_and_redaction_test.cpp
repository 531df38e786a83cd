// The core helpers behind issue 13: text from servers and plugins made safe to print, sizes and
// durations for messages, limit settings, bounded reads and the umask.
#include "support/temp_dir.hpp"

#include <getmesh/core/environment.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/regular_file.hpp>
#include <getmesh/core/strings.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace getmesh {
namespace {

TEST(Redaction, HidesWhatLooksLikeASecretAndKeepsTheRest) {
  const std::pair<const char*, const char*> cases[] = {
      {"error: token expired, run login", "error: token expired, run login"},
      {"Authorization: Bearer abc.def", "Authorization: Bearer [redacted]"},
      {"access_token=ya29.short password: \"hunter2\"",
       "access_token=[redacted] password: \"[redacted]\""},
      {"got eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl from the cache",
       "got [redacted] from the cache"},
      {"file /home/me/.kube/config not found", "file /home/me/.kube/config not found"},
      {"AKIAIOSFODNN7EXAMPLE1234 is not allowed", "[redacted] is not allowed"},
  };
  for (const auto& [text, expected] : cases) EXPECT_EQ(redact_secrets(text), expected) << text;
}

TEST(EscapeControl, LeavesNewlinesAndTabsAndEscapesTheRest) {
  EXPECT_EQ(escape_control("a\tb\nc"), "a\tb\nc");
  EXPECT_EQ(escape_control("\x1b[31mred\x7f"), "\\x1b[31mred\\x7f");
  EXPECT_EQ(escape_control("csi \xc2\x9b"
                           "2J and \xc3\xa9"),
            "csi \\u009b2J and \xc3\xa9");
}

TEST(Describe, DurationsAndSizes) {
  EXPECT_EQ(describe_duration(std::chrono::milliseconds(400)), "400 ms");
  EXPECT_EQ(describe_duration(std::chrono::seconds(30)), "30 s");
  EXPECT_EQ(describe_duration(std::chrono::minutes(5)), "5 min");
  EXPECT_EQ(describe_bytes(512), "512 B");
  EXPECT_EQ(describe_bytes(10106), "9.9 KiB");
  EXPECT_EQ(describe_bytes(std::uint64_t{3} << 30), "3.0 GiB");
}

TEST(PositiveNumber, FallsBackWhenUnsetAndRefusesAnythingButAPositiveWholeNumber) {
  Environment environment;
  EXPECT_EQ(*positive_number(environment, "GETMESH_X", 30), 30);
  environment.set("GETMESH_X", "7");
  EXPECT_EQ(*positive_number(environment, "GETMESH_X", 30), 7);
  for (const char* bad : {"0", "-1", "1.5", "soon", "99999999999999999999"}) {
    environment.set("GETMESH_X", bad);
    const auto value = positive_number(environment, "GETMESH_X", 30);
    ASSERT_FALSE(value.ok()) << bad;
    EXPECT_EQ(value.error().kind, ErrorKind::kUsage);
    EXPECT_NE(value.error().message.find("GETMESH_X="), std::string::npos);
  }
}

TEST(ReadFile, StopsOneByteBeyondItsLimit) {
  testing::TempDir dir;
  const auto file = dir.write("f", std::string(100, 'x'));
  EXPECT_EQ(read_file(file, 1000)->size(), 100U);
  EXPECT_EQ(read_file(file, 10)->size(), 11U);
  EXPECT_EQ(read_file("/dev/zero", 4096)->size(), 4097U);
}

// Issue 20: a mirror's manifest.json or .sha256 that is a FIFO hung mirror verify; one linked to
// /dev/zero read until memory ran out. Neither is opened for reading now.
TEST(ReadRegularFile, RefusesFifosDevicesAndDirectoriesWithoutBlocking) {
  testing::TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "fifo").c_str(), 0644), 0);  // no writer: a read would block
  std::filesystem::create_symlink("/dev/zero", dir.path() / "zero");
  std::filesystem::create_directory(dir.path() / "folder");
  const std::pair<const char*, const char*> cases[] = {
      {"fifo", "(a FIFO)"}, {"zero", "(a character device)"}, {"folder", "(a directory)"}};
  for (const auto& [name, kind] : cases) {
    const auto path = dir.path() / name;
    const auto text = read_regular_file(path, 1 << 20);
    ASSERT_FALSE(text.ok()) << name;
    EXPECT_EQ(text.error().message,
              "cannot read " + path.string() + ": it is not a regular file " + kind);
    EXPECT_FALSE(text.error().hint.empty());
    const auto streamed = stream_regular_file(path, 1 << 20, [](std::string_view) {});
    ASSERT_FALSE(streamed.ok()) << name;
    EXPECT_EQ(streamed.error().message, text.error().message);
  }
}

TEST(ReadRegularFile, ReadsWithinItsLimitAndNamesTheLimitBeyond) {
  testing::TempDir dir;
  const auto file = dir.write("f", std::string(3000, 'x'));
  std::filesystem::create_symlink(file, dir.path() / "link");
  EXPECT_EQ(*read_regular_file(file, 3000), std::string(3000, 'x'));
  EXPECT_EQ(read_regular_file(dir.path() / "link", 3000)->size(), 3000U) << "links are followed";
  const auto large = read_regular_file(file, 2048);
  ASSERT_FALSE(large.ok());
  EXPECT_EQ(large.error().message,
            "cannot read " + file.string() + ": it is larger than 2 KiB, the limit for this file");
  std::string streamed;
  ASSERT_TRUE(stream_regular_file(file, 3000, [&](std::string_view chunk) {
                streamed.append(chunk);
              }).ok());
  EXPECT_EQ(streamed, std::string(3000, 'x'));
  EXPECT_FALSE(stream_regular_file(file, 2999, [](std::string_view) {}).ok());
  EXPECT_FALSE(read_regular_file(dir.path() / "missing", 10).ok());
}

TEST(WriteFileAtomic, TheUmaskNarrowsTheMode) {
  testing::TempDir dir;
  const auto previous = ::umask(027);
  const auto written = write_file_atomic(dir.path() / "f", "x");
  EXPECT_EQ(masked_by_umask(std::filesystem::perms(0755)), std::filesystem::perms(0750));
  ::umask(previous);
  ASSERT_TRUE(written.ok());
  struct stat info {};
  ASSERT_EQ(::stat((dir.path() / "f").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0640U);
}

}  // namespace
}  // namespace getmesh
