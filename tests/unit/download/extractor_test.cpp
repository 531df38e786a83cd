#include "download/extractor.hpp"

#include "support/mirror.hpp"
#include "support/run_getmesh.hpp"
#include "support/temp_dir.hpp"

#include <getmesh/core/fs.hpp>

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace getmesh::download {
namespace {

using testing::ArchiveMember;
using testing::make_tar_gz;

// Serves a string in small chunks and counts how much was pulled.
class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string data, std::size_t chunk = 1000)
      : data_(std::move(data)), chunk_(chunk) {}
  Result<std::string_view> read() override {
    const auto piece = std::string_view(data_).substr(offset_, chunk_);
    offset_ += piece.size();
    return piece;
  }
  [[nodiscard]] bool drained() const { return offset_ == data_.size(); }

 private:
  std::string data_;
  std::size_t chunk_;
  std::size_t offset_ = 0;
};

class Extractor : public ::testing::Test {
 protected:
  Status extract(const std::string& archive) {
    StringSource source(archive);
    auto result = extract_istioctl(source, destination(), "test.tar.gz");
    drained_ = source.drained();
    return result;
  }
  [[nodiscard]] std::filesystem::path destination() const { return dir_.path() / "istioctl"; }
  // Fails the test unless `archive` is refused with a message containing `words` and no file.
  void expect_refused(const std::string& archive, const std::string& words) {
    const auto result = extract(archive);
    ASSERT_FALSE(result.ok()) << "accepted an archive that should fail with: " << words;
    EXPECT_NE(result.error().message.find(words), std::string::npos) << result.error().message;
    EXPECT_NE(result.error().message.find("test.tar.gz"), std::string::npos);
    EXPECT_FALSE(result.error().hint.empty());
    EXPECT_FALSE(std::filesystem::exists(destination()));
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()), {}), 0);
  }

  testing::TempDir dir_;
  bool drained_ = false;
};

TEST_F(Extractor, ExtractsAnIstioctlOnlyArchive) {
  const auto script = testing::fake_istioctl("1.29.8");
  ASSERT_TRUE(extract(make_tar_gz({ArchiveMember::file("istioctl", script, 0644)})).ok());
  EXPECT_EQ(*read_file(destination()), script);
  struct stat info {};
  ASSERT_EQ(::stat(destination().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0755u);
  EXPECT_TRUE(drained_);
}

TEST_F(Extractor, ExtractsTheReleaseLayoutAndReadsToTheEnd) {
  const auto archive = make_tar_gz(
      {ArchiveMember::directory("istio-1.29.8/"), ArchiveMember::directory("istio-1.29.8/bin/"),
       ArchiveMember::file("istio-1.29.8/bin/istioctl", "binary"),
       ArchiveMember::file("istio-1.29.8/manifests/istioctl", "not this one"),
       ArchiveMember::file("istio-1.29.8/samples/big", std::string(300000, 'x'))});
  ASSERT_TRUE(extract(archive).ok());
  EXPECT_EQ(*read_file(destination()), "binary");
  EXPECT_TRUE(drained_);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()), {}), 1);
}

TEST_F(Extractor, RefusesPathsThatEscape) {
  expect_refused(make_tar_gz({ArchiveMember::file("../istioctl", "x")}),
                 "unsafe path \"../istioctl\"");
  expect_refused(make_tar_gz({ArchiveMember::file("/abs/istioctl", "x")}),
                 "unsafe path \"/abs/istioctl\"");
  expect_refused(make_tar_gz({ArchiveMember::file("istioctl", "x"),
                              ArchiveMember::file("a/../../etc/passwd", "x")}),
                 "unsafe path");
}

TEST_F(Extractor, RefusesIstioctlThatIsNotARegularFile) {
  expect_refused(make_tar_gz({ArchiveMember::symlink("istioctl", "/bin/sh")}), "symbolic link");
  expect_refused(make_tar_gz({ArchiveMember::file("other", "x"),
                              ArchiveMember::hardlink("istioctl", "other")}),
                 "hard link");
  expect_refused(make_tar_gz({ArchiveMember::directory("istioctl/")}), "directory");
  expect_refused(make_tar_gz({ArchiveMember::symlink("istio-1.2.3/bin/istioctl", "../../x")}),
                 "symbolic link");
}

TEST_F(Extractor, RefusesArchivesWithoutOneUsableIstioctl) {
  expect_refused(
      make_tar_gz({ArchiveMember::file("README", "x"), ArchiveMember::file("bin/kubectl", "x")}),
      "has no istioctl");
  expect_refused(make_tar_gz({ArchiveMember::file("istioctl", "a"),
                              ArchiveMember::file("x/bin/istioctl", "b")}),
                 "twice");
  expect_refused(make_tar_gz({ArchiveMember::file("istioctl", "")}), "empty istioctl");
}

TEST_F(Extractor, RefusesAnOversizedIstioctl) {
  StringSource source(make_tar_gz({ArchiveMember::file("istioctl", std::string(5000, 'x'))}));
  const auto result = extract_istioctl(source, destination(), "test.tar.gz", 4096);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("larger than"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(destination()));
}

TEST_F(Extractor, RefusesTruncatedAndCorruptArchives) {
  const auto archive = make_tar_gz({ArchiveMember::file("istioctl", std::string(100000, 'x')),
                                    ArchiveMember::file("padding", std::string(100000, 'y'))});
  expect_refused(archive.substr(0, archive.size() / 2), "damaged or truncated");
  auto corrupt = archive;
  corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x55);
  expect_refused(corrupt, "damaged or truncated");
}

TEST_F(Extractor, NamesWhatCameInsteadOfAnArchive) {
  expect_refused("<!DOCTYPE html>\n<html><body>Sign in</body></html>\n", "HTML page");
  expect_refused("\n  <html>", "HTML page");
  expect_refused("", "is empty");
  expect_refused(std::string(2000, 'z'), "not a gzip-compressed tar archive");
}

TEST_F(Extractor, RefusesAnUncompressedTar) {
  testing::TempDir work;
  work.write("istioctl", "x");
  const auto tar = work.path() / "plain.tar";
  ASSERT_EQ(
      testing::run_program({"tar", "-cf", tar.string(), "-C", work.path().string(), "istioctl"})
          .exit_code,
      0);
  expect_refused(*read_file(tar), "without gzip compression");
}

}  // namespace
}  // namespace getmesh::download
