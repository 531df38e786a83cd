// Daily and CI use of fetch, which and pins: --no-switch, --quiet, `getmesh fetch` under a
// .getmesh-version pin, pins naming a version or a minor, and -v logging. A file:// mirror serves
// the archives.
#include "support/fake_home.hpp"
#include "support/mirror.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class PinsAndCi : public ::testing::Test {
 protected:
  void SetUp() override {
    mirror_.emplace(fake.root() / "mirror",
                    std::vector<MirrorDistribution>{{.version = "1.30.5"},
                                                    {.version = "1.29.8"},
                                                    {.version = "1.29.7"},
                                                    {.version = "1.29.8", .flavor = "tetrate"}});
    std::filesystem::create_directories(project());
  }
  [[nodiscard]] std::filesystem::path project() const { return fake.root() / "project"; }
  void pin(const std::string& text) const { fake.dir().write("project/.getmesh-version", text); }
  // Runs in the project directory (under the pin) unless `outside`.
  RunResult getmesh(const std::vector<std::string>& args, bool outside = false) {
    auto options = fake.options({{"GETMESH_MANIFEST", mirror_->manifest().string()},
                                 {"GETMESH_MIRROR", mirror_->file_url()}});
    if (!outside) options.cwd = project();
    return run_getmesh(args, options);
  }
  [[nodiscard]] std::string istioctl_of(const std::string& name) const {
    return (fake.home() / "istio" / name / "bin" / "istioctl").string();
  }

  FakeHome fake;
  std::optional<TestMirror> mirror_;
};

TEST_F(PinsAndCi, FetchNoSwitchInstallsWithoutTouchingTheActiveOne) {
  ASSERT_EQ(getmesh({"fetch", "--name", "1.29.8-istio-v0"}, true).exit_code, 0);
  const auto before = fake.read_config();
  const auto result = getmesh({"fetch", "--name", "1.30.5-istio-v0", "--no-switch"}, true);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("1.30.5-istio-v0 is fetched; the active istioctl is unchanged"));
  EXPECT_THAT(result.out, Not(HasSubstr("switched")));
  EXPECT_EQ(fake.read_config(), before);
  EXPECT_EQ(getmesh({"show"}, true).out,
            "1.29.8-istio-v0 (Active) (verified: .sha256 file)\n1.30.5-istio-v0 (verified: .sha256 "
            "file)\n");
}

TEST_F(PinsAndCi, FetchQuietSaysNothingOnSuccess) {
  auto result = getmesh({"fetch", "--version", "1.29", "--quiet"}, true);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(getmesh({"show"}, true).out, "1.29.8-istio-v0 (Active) (verified: .sha256 file)\n");
  result = getmesh({"fetch", "--version", "1.29", "-q"}, true);
  EXPECT_EQ(result.out + result.err, "") << "already fetched, still quiet";
}

TEST_F(PinsAndCi, FetchWithoutFlagsInstallsWhatTheMinorPinAsksFor) {
  pin("1.29\n");
  const auto result = getmesh({"fetch"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, HasSubstr("pins 1.29"));
  EXPECT_THAT(result.out, HasSubstr("1.29.8-istio-v0 is the istioctl of " + project().string()));
  EXPECT_EQ(fake.read_config(), "") << "config.json's active istioctl is not touched";
  EXPECT_EQ(getmesh({"which"}).out, istioctl_of("1.29.8-istio-v0") + "\n");
  // The newest fetched patch of the minor wins.
  ASSERT_EQ(getmesh({"fetch", "--name", "1.29.7-istio-v0", "--no-switch"}).exit_code, 0);
  EXPECT_EQ(getmesh({"which"}).out, istioctl_of("1.29.8-istio-v0") + "\n");
  const auto version = getmesh({"istioctl", "version"});
  EXPECT_THAT(version.out, HasSubstr("client version: 1.29.8"));
  EXPECT_THAT(getmesh({"show"}).out, HasSubstr("1.29.8-istio-v0 (Active)"));
}

TEST_F(PinsAndCi, AVersionPinTakesTheIstioFlavorAndANamePinItsDistribution) {
  pin("1.29.7");
  ASSERT_EQ(getmesh({"fetch", "-q"}).exit_code, 0);
  EXPECT_EQ(getmesh({"which"}).out, istioctl_of("1.29.7-istio-v0") + "\n");
  pin("1.29.8-tetrate-v0");
  ASSERT_EQ(getmesh({"fetch", "-q"}).exit_code, 0);
  EXPECT_EQ(getmesh({"which"}).out, istioctl_of("1.29.8-tetrate-v0") + "\n");
  // Flags choose as before, and switch config.json's active one.
  ASSERT_EQ(getmesh({"fetch", "--version", "1.30", "-q"}).exit_code, 0);
  EXPECT_THAT(fake.read_config(), HasSubstr(R"("version":"1.30.5")"));
  EXPECT_EQ(getmesh({"which"}).out, istioctl_of("1.29.8-tetrate-v0") + "\n") << "the pin wins here";
  EXPECT_EQ(getmesh({"which"}, true).out, istioctl_of("1.30.5-istio-v0") + "\n");
}

TEST_F(PinsAndCi, APinNothingFetchedMatchesIsAClearError) {
  pin("1.30");
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"istioctl", "version"}, {"which"}}) {
    const auto result = getmesh(args);
    EXPECT_EQ(result.exit_code, 1) << args[0];
    EXPECT_EQ(result.out, "");
    EXPECT_THAT(result.err, StartsWith("error: " + (project() / ".getmesh-version").string() +
                                       " pins 1.30, and no fetched istioctl matches it"));
    EXPECT_THAT(result.err, HasSubstr("hint: run \"getmesh fetch\" in this directory"));
  }
  ASSERT_EQ(getmesh({"fetch", "--name", "1.29.8-istio-v0"}).exit_code, 0);
  const auto show = getmesh({"show"});
  EXPECT_EQ(show.out, "1.29.8-istio-v0 (verified: .sha256 file)\n")
      << "config.json's active one is not active here";
  EXPECT_THAT(show.err, HasSubstr("pins 1.30, and no fetched istioctl matches it"));
  pin("1.30.x");
  EXPECT_THAT(getmesh({"which"}).err,
              HasSubstr("does not hold a distribution name, version or minor"));
}

TEST_F(PinsAndCi, WhichPrintsTheActiveIstioctlOrSaysWhatIsMissing) {
  auto result = getmesh({"which"}, true);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no istioctl is active yet"));
  ASSERT_EQ(getmesh({"fetch", "--name", "1.29.8-istio-v0", "-q"}, true).exit_code, 0);
  result = getmesh({"which"}, true);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, istioctl_of("1.29.8-istio-v0") + "\n");
  EXPECT_EQ(result.err, "");
  std::filesystem::remove_all(fake.home() / "istio" / "1.29.8-istio-v0");
  result = getmesh({"which"}, true);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("the active istioctl 1.29.8-istio-v0 (from config.json) is not "
                                    "fetched"));
}

TEST_F(PinsAndCi, ShowJsonCarriesThePaths) {
  ASSERT_EQ(getmesh({"fetch", "--name", "1.29.8-istio-v0", "-q"}, true).exit_code, 0);
  const auto rows = nlohmann::json::parse(getmesh({"show", "-o", "json"}, true).out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["path"], istioctl_of("1.29.8-istio-v0"));
}

TEST_F(PinsAndCi, VerboseLogsTheManifestDownloadChecksumAndIstioctlChildren) {
  auto result = getmesh({"-v", "fetch", "--name", "1.29.8-istio-v0"}, true);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr("manifest: " + mirror_->manifest().string() + " (from GETMESH_MANIFEST)"));
  const auto archive = mirror_->file_url() + "/" + TestMirror::archive_name("1.29.8-istio-v0");
  EXPECT_THAT(result.err, HasSubstr("download: " + archive));
  EXPECT_THAT(result.err, HasSubstr("checksum: " + archive + ".sha256"));
  result = getmesh({"-v", "istioctl", "version"}, true);
  EXPECT_THAT(result.err, HasSubstr("running " + istioctl_of("1.29.8-istio-v0") + " version"));
  result = getmesh({"istioctl", "version"}, true);
  EXPECT_THAT(result.err, Not(HasSubstr("running"))) << "only with -v";
}

}  // namespace
}  // namespace getmesh::testing
