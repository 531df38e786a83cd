#include "support/fake_home.hpp"

#include <getmesh/core/date.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

namespace getmesh::testing {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

std::string join_words(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
}

class Passthrough : public ::testing::Test {
 protected:
  void SetUp() override {
    fake.install("1.31.1-istio-v0");
    fake.install("1.30.4-istio-v0");
    fake.set_active("1.31.1-istio-v0");
    manifest = fake.dir().write(
        "manifest.json", make_manifest({"1.31.1-istio-v0", "1.30.5-istio-v0", "1.30.4-istio-v0"}));
  }
  RunOptions options(std::map<std::string, std::string> extra = {}) {
    extra["GETMESH_MANIFEST"] = manifest.string();
    return fake.options(std::move(extra));
  }
  FakeHome fake;
  std::filesystem::path manifest;
};

TEST_F(Passthrough, HandsEveryArgumentToTheActiveIstioctl) {
  const auto result =
      run_getmesh({"istioctl", "proxy-status", "--help", "-c", "x y", "--set=a=b"}, options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "istioctl 1.31.1-istio-v0 proxy-status --help -c x y --set=a=b\nKUBECONFIG=\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(Passthrough, ExitStatusAndSignalsComeBack) {
  EXPECT_EQ(run_getmesh({"istioctl", "version"}, options({{"FAKE_ISTIOCTL_EXIT", "42"}})).exit_code,
            42);
  fake.install("1.29.8-istio-v0", true, "#!/bin/sh\nkill -TERM $$\n");
  fake.set_active("1.29.8-istio-v0");
  EXPECT_EQ(run_getmesh({"istioctl", "version"}, options()).exit_code, 128 + 15);
}

TEST_F(Passthrough, KubeconfigFromGetmeshReachesIstioctl) {
  auto result = run_getmesh({"-c", "/tmp/kc.yaml", "istioctl", "version"}, options());
  EXPECT_THAT(result.out, HasSubstr("KUBECONFIG=/tmp/kc.yaml"));
  result = run_getmesh({"--kubeconfig=/tmp/other.yaml", "istioctl", "version"}, options());
  EXPECT_THAT(result.out, HasSubstr("KUBECONFIG=/tmp/other.yaml"));
  result = run_getmesh({"istioctl", "version"}, options({{"KUBECONFIG", "/tmp/env.yaml"}}));
  EXPECT_THAT(result.out, HasSubstr("KUBECONFIG=/tmp/env.yaml"));
}

TEST_F(Passthrough, APinFileSelectsTheIstioctlOfADirectoryTree) {
  fake.dir().write("project/.getmesh-version", "1.30.4-istio-v0\n");
  std::filesystem::create_directories(fake.root() / "project" / "sub");
  auto pinned = options();
  pinned.cwd = fake.root() / "project" / "sub";
  EXPECT_THAT(run_getmesh({"istioctl", "version"}, pinned).out,
              HasSubstr("istioctl 1.30.4-istio-v0 version"));
  EXPECT_THAT(run_getmesh({"show"}, pinned).out, HasSubstr("1.30.4-istio-v0 (Active)"));
  fake.dir().write("project/.getmesh-version", "1.28.0-istio-v0\n");
  const auto missing = run_getmesh({"istioctl", "version"}, pinned);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("1.28.0-istio-v0"));
  EXPECT_THAT(missing.err, HasSubstr(".getmesh-version"));
  fake.dir().write("project/.getmesh-version", "latest");
  EXPECT_EQ(run_getmesh({"istioctl", "version"}, pinned).exit_code, 1);
}

TEST_F(Passthrough, NothingActiveIsAClearError) {
  FakeHome empty;
  const auto result = run_getmesh({"istioctl", "version"}, empty.options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("no istioctl is active yet"));
  EXPECT_THAT(result.err, HasSubstr("getmesh fetch"));
  fake.set_active("1.29.0-istio-v0");
  const auto missing = run_getmesh({"istioctl", "version"}, options());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.err, HasSubstr("is not fetched"));
}

TEST_F(Passthrough, InstallInjectsTheDefaultHubUnlessOneIsChosen) {
  fake.write_config(
      R"({"istio_distribution":{"version":"1.31.1","flavor":"istio"},"default_hub":"my.io/istio"})");
  auto result = run_getmesh({"istioctl", "install", "-y"}, options());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("istioctl 1.31.1-istio-v0 install -y --set hub=my.io/istio\n"));
  result = run_getmesh({"istioctl", "install", "--set=hub=other.io:5000/istio"}, options());
  EXPECT_THAT(result.out, HasSubstr("install --set=hub=other.io:5000/istio\n"));
  const auto file =
      fake.dir().write("op.yaml", "kind: IstioOperator\nspec:\n  hub: file.io/istio\n");
  result = run_getmesh({"istioctl", "install", "-f", file.string()}, options());
  EXPECT_THAT(result.out, HasSubstr("install -f " + file.string() + "\n"));
  result = run_getmesh({"istioctl", "manifest", "install"}, options());
  EXPECT_THAT(result.out, HasSubstr("manifest install\n")) << "only `istioctl install` is guarded";
}

// The original getmesh's cases (cmd/istioctl_test.go: "help", "-h"): `install --help` and
// `install -h` go straight to istioctl, without the guard, the hub, precheck or verify-install,
// even with --strict and an outdated active istioctl.
TEST_F(Passthrough, InstallHelpGoesStraightToIstioctl) {
  fake.write_config(
      R"({"istio_distribution":{"version":"1.30.4","flavor":"istio"},"default_hub":"my.io/istio"})");
  for (const std::string help : {"--help", "-h"}) {
    SCOPED_TRACE(help);
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"istioctl", "install", help},
             {"--strict", "istioctl", "install", help},
             {"istioctl", "install", "--set", "profile=demo", help}}) {
      const auto result = run_getmesh(args, options());
      EXPECT_EQ(result.exit_code, 0) << result.err;
      EXPECT_EQ(result.err, "");
      std::vector<std::string> passed(std::find(args.begin(), args.end(), "install"), args.end());
      EXPECT_EQ(result.out, "istioctl 1.30.4-istio-v0 " + join_words(passed) + "\nKUBECONFIG=\n")
          << "one run of istioctl with the arguments as given: no precheck, no verify-install";
    }
  }
}

TEST_F(Passthrough, InstallWarnsAboutAnOutdatedPatchAndGoesOnInScripts) {
  fake.set_active("1.30.4-istio-v0");
  const auto result = run_getmesh({"istioctl", "install"}, options());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err,
              HasSubstr("1.30.4-istio-v0 is not the latest patch of 1.30-istio: 1.30.5-istio-v0"));
  EXPECT_THAT(result.err, HasSubstr("no terminal to confirm on: continuing"));
  EXPECT_THAT(result.out, HasSubstr("istioctl 1.30.4-istio-v0 install"));
}

TEST_F(Passthrough, StrictFlagAndEnvironmentMakeGuardWarningsFatalWithoutATerminal) {
  fake.set_active("1.30.4-istio-v0");
  auto result = run_getmesh({"--strict", "istioctl", "install"}, options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("refusing to install: --strict is given and no terminal is "
                                    "attached to confirm"));
  EXPECT_EQ(result.out, "");
  result = run_getmesh({"istioctl", "install"}, options({{"GETMESH_STRICT_INSTALL", "1"}}));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("refusing to install: GETMESH_STRICT_INSTALL=1 is set"));
  EXPECT_EQ(result.out, "");
  result = run_getmesh({"istioctl", "install"}, options({{"GETMESH_STRICT_INSTALL", "0"}}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(run_getmesh({"config", "set", "strict_install", "true"}, options()).exit_code, 0);
  result = run_getmesh({"istioctl", "install"}, options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("refusing to install: strict_install is set in config.json"));
}

TEST_F(Passthrough, InstallWarnsAboutTheLocalIstioctlOnceAndInOneWording) {
  // 1.30.4 is outdated by a security release and its minor ends in ten days.
  const auto soon =
      CivilDate::from_days(CivilDate::today_utc().days_since_epoch() + 10).to_string();
  auto document = nlohmann::json::parse(
      make_manifest({"1.31.1-istio-v0", "1.30.5-istio-v0", "1.30.4-istio-v0"}, {{"1.30", soon}}));
  document["istio_distributions"][1]["is_security_patch"] = true;
  fake.dir().write("manifest.json", document.dump());
  fake.set_active("1.30.4-istio-v0");
  const auto result = run_getmesh({"istioctl", "install"}, options());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto count = [&](const std::string& text) {
    std::size_t found = 0;
    for (auto at = result.err.find(text); at != std::string::npos;
         at = result.err.find(text, at + 1))
      ++found;
    return found;
  };
  EXPECT_EQ(count("reaches end of life on " + soon), 1u) << result.err;
  EXPECT_EQ(count("includes security fixes"), 1u) << result.err;

  // As in the original, list and fetch (which read the manifest) warn too, in the same words
  // and once; show, which does not read it, says nothing (docs/commands/list.md, istioctl.md).
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"list"}, {"list", "-o", "json"}, {"fetch", "--name", "1.30.4-istio-v0"}}) {
    const auto warned = run_getmesh(args, options());
    EXPECT_EQ(warned.exit_code, 0) << warned.err;
    const auto occurrences = [&](const std::string& text) {
      std::size_t found = 0;
      for (auto at = warned.err.find(text); at != std::string::npos;
           at = warned.err.find(text, at + 1))
        ++found;
      return found;
    };
    EXPECT_EQ(occurrences("warning: the active istioctl 1.30.4-istio-v0 (1.30) reaches end of "
                          "life on " +
                          soon),
              1u)
        << args[0] << ": " << warned.err;
    EXPECT_EQ(occurrences("1.30.5-istio-v0 includes security fixes"), 1u) << warned.err;
  }
  EXPECT_THAT(run_getmesh({"show"}, options()).err, Not(HasSubstr("warning")));
}

TEST_F(Passthrough, StrictInstallRefusesWithoutRunningIstioctl) {
  fake.write_config(
      R"({"istio_distribution":{"version":"1.30.4","flavor":"istio"},"strict_install":true})");
  auto result = run_getmesh({"istioctl", "install"}, options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("refusing to install"));
  EXPECT_EQ(result.out, "");
  result = run_getmesh({"istioctl", "install", "-y"}, options());
  EXPECT_EQ(result.exit_code, 0) << "-y accepts the warning";
  fake.install("1.99.0-istio-v0");
  fake.write_config(
      R"({"istio_distribution":{"version":"1.99.0","flavor":"istio"},"strict_install":true})");
  result = run_getmesh({"istioctl", "install"}, options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("not in the manifest of vetted distributions"));
}

// The first .getmesh-version on the way up decides, whatever it is: a FIFO planted there is an
// error, never a hang (reading it would block) nor a reason to look further up.
TEST_F(Passthrough, APinThatIsNoRegularFileIsAnErrorNotAHang) {
  ASSERT_EQ(::mkfifo((fake.root() / ".getmesh-version").c_str(), 0644), 0);
  auto run = options();
  run.timeout = std::chrono::seconds(10);
  const auto result = run_getmesh({"istioctl", "version"}, run);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr(".getmesh-version: it is not a regular file"));
  EXPECT_THAT(result.out, Not(HasSubstr("istioctl 1.31.1")));
}

TEST_F(Passthrough, APinWhoseNameCouldLeaveTheStoreIsRefused) {
  fake.dir().write(".getmesh-version", "1.30.4-../../../../../tmp/evil-v0\n");
  const auto result = run_getmesh({"istioctl", "version"}, options());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("does not hold a distribution name"));
}

}  // namespace
}  // namespace getmesh::testing
