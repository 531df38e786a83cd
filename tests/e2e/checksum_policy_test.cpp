// The checksum policy (--require-checksum, require_checksum in config.json) holds for versions
// that are already installed, in every command that would run them.
#include "support/fake_home.hpp"

#include <getmesh/core/distribution.hpp>
#include <getmesh/core/platform.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kVerified = "1.29.8-istio-v0";
const std::string kUnverified = "1.28.1-istio-v0";  // installed without a record, as the original

class ChecksumPolicy : public ::testing::Test {
 protected:
  void SetUp() override {
    fake.install(kVerified);  // its record holds sha256 "aaa…"
    fake.install(kUnverified, /*verified=*/false);
    write_manifest("");
  }
  // A manifest listing both, pinning `sha256` for kVerified on this platform when not empty.
  void write_manifest(const std::string& sha256) {
    auto manifest = nlohmann::json::parse(make_manifest({kVerified, kUnverified}));
    if (!sha256.empty()) {
      manifest["istio_distributions"][0]["downloads"] = {
          {Platform::host().key(), {{"sha256", sha256}}}};
    }
    manifest_ = fake.dir().write("manifest.json", manifest.dump());
  }
  void write_config(const std::string& active, bool require_checksum) {
    const auto name = *DistributionName::parse(active);
    fake.write_config(nlohmann::json{
        {"istio_distribution", {{"version", name.version.to_string()}, {"flavor", name.flavor}}},
        {"require_checksum", require_checksum}}
                          .dump());
  }
  RunOptions options() { return fake.options({{"GETMESH_MANIFEST", manifest_.string()}}); }
  // A refusal: exit 1, one error naming the version and the way out, config.json untouched.
  void expect_refused(const std::vector<std::string>& args, const std::string& why) {
    const auto before = fake.read_config();
    const auto result = run_getmesh(args, options());
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    EXPECT_THAT(result.err, HasSubstr(why));
    EXPECT_THAT(result.err, HasSubstr("hint: fetch it again with a checksum"));
    EXPECT_THAT(result.out, Not(HasSubstr("switched")));
    EXPECT_THAT(result.out, Not(HasSubstr("istioctl " + kUnverified)));  // it never ran
    EXPECT_EQ(fake.read_config(), before);
  }

  FakeHome fake;
  std::filesystem::path manifest_;
};

TEST_F(ChecksumPolicy, FetchRefusesAnUnverifiedInstallInsteadOfSkippingTheDownload) {
  write_config(kVerified, false);
  expect_refused({"fetch", "--name", kUnverified, "--require-checksum"},
                 kUnverified + " was installed without checksum verification");
  write_config(kVerified, true);
  expect_refused({"fetch", "--name", kUnverified},
                 kUnverified + " was installed without checksum verification");
  // Without the policy it is only skipped, as before.
  write_config(kVerified, false);
  const auto result = run_getmesh({"fetch", "--name", kUnverified}, options());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("already fetched"));
}

TEST_F(ChecksumPolicy, SwitchRefusesAnUnverifiedInstall) {
  write_config(kVerified, true);
  expect_refused({"switch", "--name", kUnverified}, "without checksum verification");
  write_config(kVerified, false);
  expect_refused({"switch", "--name", kUnverified, "--require-checksum"},
                 "without checksum verification");
  EXPECT_EQ(run_getmesh({"switch", "--name", kVerified, "--require-checksum"}, options()).exit_code,
            0);
}

TEST_F(ChecksumPolicy, ThePassthroughRefusesToRunAnUnverifiedInstall) {
  write_config(kUnverified, true);
  expect_refused({"istioctl", "version"}, "without checksum verification");
  // A pin is held to the same policy.
  write_config(kVerified, true);
  fake.dir().write(".getmesh-version", kUnverified + "\n");
  expect_refused({"istioctl", "version"}, "without checksum verification");
  std::filesystem::remove(fake.root() / ".getmesh-version");
  const auto verified = run_getmesh({"istioctl", "version"}, options());
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.out, HasSubstr("istioctl " + kVerified + " version"));
}

TEST_F(ChecksumPolicy, TheRecordedDigestMustBeTheOneTheManifestPins) {
  write_config(kUnverified, false);
  write_manifest(std::string(64, 'b'));
  expect_refused({"fetch", "--name", kVerified, "--require-checksum"},
                 "installed from an archive with sha256 " + std::string(64, 'a') +
                     ", but the manifest pins " + std::string(64, 'b'));
  write_manifest(std::string(64, 'a'));
  const auto result = run_getmesh({"fetch", "--name", kVerified, "--require-checksum"}, options());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("istioctl switched to " + kVerified));
}

}  // namespace
}  // namespace getmesh::testing
