#include "support/temp_dir.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/sha256.hpp>
#include <getmesh/store/installed.hpp>
#include <getmesh/store/receipt.hpp>
#include <getmesh/store/verify.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <fstream>
#include <sys/stat.h>

namespace getmesh::store {
namespace {

using ::testing::HasSubstr;

const DistributionName kName = *DistributionName::parse("1.29.8-istio-v0");

// Sets a file's modification time to `seconds` since the epoch.
void set_mtime(const std::filesystem::path& path, std::int64_t seconds) {
  const timespec times[2] = {{static_cast<time_t>(seconds), 0}, {static_cast<time_t>(seconds), 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
}

std::int64_t mtime_of(const std::filesystem::path& path) {
  struct stat info {};
  ::stat(path.c_str(), &info);
  return static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec;
}

// An install whose record carries a receipt of its istioctl, as fetch writes it.
class Receipts : public ::testing::Test {
 protected:
  void SetUp() override {
    binary_ = dir_.write("istio/1.29.8-istio-v0/bin/istioctl", "#!/bin/sh\necho 1.29.8\n");
    ::chmod(binary_.c_str(), 0755);
    set_mtime(binary_, 1'750'000'000);
    auto receipt = make_receipt(binary_);
    ASSERT_TRUE(receipt.ok()) << receipt.error().message;
    receipt_ = *receipt;
    InstallRecord record{
        "https://example.com/istioctl.tar.gz", std::string(64, 'b'), true, {"manifest"}};
    record.receipt = receipt_;
    dir_.write("istio/1.29.8-istio-v0/.getmesh-install.json", serialize_install_record(record));
  }

  testing::TempDir dir_;
  Home home_{dir_.path()};
  std::filesystem::path binary_;
  BinaryReceipt receipt_;
};

TEST_F(Receipts, RecordTheBinarysDigestSizeTimeAndMaker) {
  EXPECT_EQ(receipt_.sha256, *sha256_file(binary_));
  EXPECT_EQ(receipt_.size, 22u);
  EXPECT_EQ(receipt_.mtime_ns, 1'750'000'000'000'000'000);
  EXPECT_THAT(receipt_.installed_at,
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  EXPECT_FALSE(receipt_.getmesh_version.empty());
  const auto record = read_install_record(home_.distribution_dir(kName));
  ASSERT_TRUE(record && record->receipt);
  EXPECT_EQ(record->receipt->sha256, receipt_.sha256);
  EXPECT_EQ(record->receipt->mtime_ns, receipt_.mtime_ns);
  EXPECT_EQ(record->checksum_sources, std::vector<std::string>{"manifest"});
}

TEST_F(Receipts, TheCheapCheckSeesSizeAndTimeOnly) {
  EXPECT_EQ(quick_check(binary_, receipt_), ReceiptStatus::kOk);
  EXPECT_EQ(quick_check(binary_, std::nullopt), ReceiptStatus::kNoReceipt);
  set_mtime(binary_, 1'760'000'000);
  EXPECT_EQ(quick_check(binary_, receipt_), ReceiptStatus::kModified) << "touched";
  set_mtime(binary_, 1'750'000'000);
  std::ofstream(binary_, std::ios::app) << "x";
  set_mtime(binary_, 1'750'000'000);
  EXPECT_EQ(quick_check(binary_, receipt_), ReceiptStatus::kModified) << "grown";
  std::filesystem::remove(binary_);
  EXPECT_EQ(quick_check(binary_, receipt_), ReceiptStatus::kMissing);
  std::filesystem::create_symlink("/bin/sh", binary_);
  EXPECT_EQ(quick_check(binary_, receipt_), ReceiptStatus::kMissing) << "a link is no install";
}

TEST_F(Receipts, VerifyRehashesWhatTheCheapCheckCannotSee) {
  // A byte flipped with size and time put back: only the hash tells.
  auto content = *read_file(binary_);
  const char original = content[12];
  content[12] = 'X';
  std::ofstream(binary_, std::ios::trunc) << content;
  set_mtime(binary_, 1'750'000'000);
  EXPECT_EQ(quick_check(binary_, receipt_), ReceiptStatus::kOk);
  auto verification = verify_binary(binary_, receipt_);
  EXPECT_EQ(verification.status, ReceiptStatus::kModified);
  EXPECT_EQ(verification.sha256, *sha256_file(binary_));
  EXPECT_NE(verification.sha256, receipt_.sha256);

  // Put back, only the time changed: the content is fine.
  content[12] = original;
  std::ofstream(binary_, std::ios::trunc) << content;
  set_mtime(binary_, 1'760'000'000);
  verification = verify_binary(binary_, receipt_);
  EXPECT_EQ(verification.status, ReceiptStatus::kOk);
  EXPECT_TRUE(verification.time_changed);

  ::chmod(binary_.c_str(), 0);
  if (::geteuid() != 0) {  // root reads anything
    verification = verify_binary(binary_, receipt_);
    EXPECT_EQ(verification.status, ReceiptStatus::kModified);
    EXPECT_THAT(verification.error, HasSubstr("Permission denied"));
  }
}

TEST_F(Receipts, VerifyInstallsListsMissingBinariesAndRefreshesTimes) {
  // A second install made before receipts, and one whose istioctl is gone.
  dir_.write("istio/1.28.1-istio-v0/bin/istioctl", "#!/bin/sh\n");
  dir_.write("istio/1.27.0-istio-v0/.getmesh-install.json",
             *read_file(home_.distribution_dir(kName) / kInstallRecordFile));
  set_mtime(binary_, 1'760'000'000);

  auto checks = verify_installs(home_, {});
  ASSERT_TRUE(checks.ok()) << checks.error().message;
  ASSERT_EQ(checks->size(), 3u);  // oldest first, as show lists them
  EXPECT_EQ((*checks)[0].verification.status, ReceiptStatus::kMissing);
  EXPECT_EQ((*checks)[1].verification.status, ReceiptStatus::kNoReceipt);
  EXPECT_EQ((*checks)[2].name, kName);
  EXPECT_EQ((*checks)[2].verification.status, ReceiptStatus::kOk);
  EXPECT_TRUE((*checks)[2].verification.time_changed);
  // The new time is in the receipt now: the cheap check passes again.
  const auto record = read_install_record(home_.distribution_dir(kName));
  EXPECT_EQ(record->receipt->mtime_ns, mtime_of(binary_));
  EXPECT_EQ(quick_check(binary_, record->receipt), ReceiptStatus::kOk);

  const auto absent = verify_installs(home_, {*DistributionName::parse("1.20.0-istio-v0")});
  ASSERT_FALSE(absent.ok());
  EXPECT_THAT(absent.error().message, HasSubstr("1.20.0-istio-v0 is not fetched"));
}

TEST_F(Receipts, CheckOnExecRefusesChangedAndUnreceiptedBinaries) {
  EXPECT_TRUE(check_unchanged(home_, kName).ok());
  set_mtime(binary_, 1'760'000'000);
  auto refused = check_unchanged(home_, kName);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message,
              HasSubstr("refusing to run 1.29.8-istio-v0: " + binary_.string() +
                        " changed since it was installed"));
  EXPECT_THAT(refused.error().hint, HasSubstr("run \"getmesh verify 1.29.8-istio-v0\""));

  std::filesystem::remove(home_.distribution_dir(kName) / kInstallRecordFile);
  refused = check_unchanged(home_, kName);
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(refused.error().message, HasSubstr("installed before receipts existed"));
}

TEST(ReceiptRecords, DamagedReceiptsVouchForNothing) {
  testing::TempDir dir;
  const std::string valid_digest(64, 'c');
  const std::string cases[] = {
      R"({"receipt": "text"})",
      R"({"receipt": {"istioctl_sha256": "abc", "istioctl_size": 1, "istioctl_mtime_ns": 1}})",
      R"({"receipt": {"istioctl_sha256": ")" + std::string(64, 'z') +
          R"(", "istioctl_size": 1, "istioctl_mtime_ns": 1}})",
      R"({"receipt": {"istioctl_sha256": ")" + valid_digest +
          R"(", "istioctl_size": -1, "istioctl_mtime_ns": 1}})",
      R"({"receipt": {"istioctl_sha256": ")" + valid_digest +
          R"(", "istioctl_size": 1, "istioctl_mtime_ns": "1"}})",
      R"({"receipt": {"istioctl_sha256": ")" + valid_digest + R"(", "istioctl_size": 1}})",
      R"({"source_url": "u", "sha256": "s", "verified": true, "checksum_source": "manifest"})",
  };
  for (const auto& text : cases) {
    dir.write("install/.getmesh-install.json", text);
    const auto record = read_install_record(dir.path() / "install");
    ASSERT_TRUE(record.has_value()) << text;
    EXPECT_FALSE(record->receipt.has_value()) << text;
  }
  dir.write("install/.getmesh-install.json",
            R"({"receipt": {"istioctl_sha256": ")" + valid_digest +
                R"(", "istioctl_size": 5, "istioctl_mtime_ns": 7, "installed_at": 3}})");
  const auto record = read_install_record(dir.path() / "install");
  ASSERT_TRUE(record && record->receipt);
  EXPECT_EQ(record->receipt->size, 5u);
  EXPECT_EQ(record->receipt->installed_at, "") << "an odd optional field is left out";
}

}  // namespace
}  // namespace getmesh::store
