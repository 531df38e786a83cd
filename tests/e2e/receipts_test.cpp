// Install receipts, `getmesh verify`, `show`'s cheap check, verify_on_exec and the FIPS guard,
// through the built binary with a file:// mirror; the FIPS cases install real Go binaries
// (tests/support/go_binaries.hpp).
#include "support/fake_home.hpp"
#include "support/go_binaries.hpp"
#include "support/mirror.hpp"

#include <getmesh/core/fs.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace getmesh::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::string kPlain = "1.29.8-istio-v0";
const std::string kFips = "1.29.8-tetratefips-v0";

void set_mtime(const std::filesystem::path& path, const timespec& time) {
  const timespec times[2] = {time, time};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

timespec mtime_of(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mtim;
}

// A distribution whose archive holds `binary` as its istioctl.
MirrorDistribution holding(const std::string& flavor, const std::filesystem::path& binary) {
  MirrorDistribution distribution;
  distribution.flavor = flavor;
  distribution.archive = make_tar_gz({ArchiveMember::file("istioctl", *read_file(binary))});
  return distribution;
}

// "getmesh a b, then rm c" as the command lines {getmesh, a, b} and {rm, c}.
std::vector<std::vector<std::string>> split_commands(const std::string& advice) {
  std::vector<std::vector<std::string>> commands(1);
  std::istringstream words(advice);
  for (std::string word; words >> word;) {
    if (word == "then") continue;
    const bool last_of_command = word.back() == ',';
    if (last_of_command) word.pop_back();
    commands.back().push_back(word);
    if (last_of_command) commands.emplace_back();
  }
  return commands;
}

class Receipts : public ::testing::Test {
 public:
  void mirror(std::vector<MirrorDistribution> distributions) {
    mirror_.emplace(fake.root() / "mirror", std::move(distributions));
  }
  RunResult getmesh(const std::vector<std::string>& args) {
    return run_getmesh(args, fake.options({{"GETMESH_MANIFEST", mirror_->manifest().string()},
                                           {"GETMESH_MIRROR", mirror_->file_url()}}));
  }
  [[nodiscard]] std::filesystem::path istioctl(const std::string& name) const {
    return fake.home() / "istio" / name / "bin" / "istioctl";
  }
  void set_config(const std::string& extra) {
    auto config = nlohmann::json::parse(fake.read_config());
    config.update(nlohmann::json::parse(extra));
    fake.write_config(config.dump());
  }

  FakeHome fake;
  std::optional<TestMirror> mirror_;
};

TEST_F(Receipts, AFreshInstallVerifiesAndEveryTamperingIsCaught) {
  mirror({MirrorDistribution{}});
  ASSERT_EQ(getmesh({"fetch", "--name", kPlain}).exit_code, 0);
  auto result = getmesh({"verify"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith(kPlain + ": ok (sha256 "));
  EXPECT_THAT(result.out, HasSubstr("not an ELF or Mach-O executable"))
      << "the fake istioctl is a shell script: no Go build information";
  EXPECT_EQ(result.err, "");

  result = getmesh({"verify", kPlain, "-o", "json"});
  auto document = nlohmann::json::parse(result.out);
  ASSERT_EQ(document.size(), 1u);
  EXPECT_EQ(document[0]["status"], "ok");
  EXPECT_EQ(document[0]["istioctl_sha256"], sha256_hex(fake_istioctl("1.29.8")));
  EXPECT_EQ(document[0]["receipt"]["istioctl_sha256"], document[0]["istioctl_sha256"]);
  EXPECT_EQ(document[0]["sha256"], sha256_hex(*read_file(mirror_->archive(kPlain))));
  EXPECT_EQ(document[0]["verified"], true);
  EXPECT_EQ(document[0]["problem"], nullptr);

  // A byte flipped, with size and time put back: show's cheap check cannot see it, verify does.
  const auto binary = istioctl(kPlain);
  const auto time = mtime_of(binary);
  auto content = *read_file(binary);
  content[content.size() - 2] ^= 1;
  std::ofstream(binary, std::ios::trunc) << content;
  set_mtime(binary, time);
  EXPECT_THAT(getmesh({"show"}).out, Not(HasSubstr("(modified)")));
  result = getmesh({"verify"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr(kPlain + ": modified: " + binary.string() + " hashes to "));
  EXPECT_THAT(result.out, HasSubstr("fetch it again: rm " + binary.string() +
                                    ", then getmesh fetch --name " + kPlain))
      << "prune keeps the active istioctl, so the advice removes it by hand";
  document = nlohmann::json::parse(getmesh({"verify", "-o", "json"}).out);
  EXPECT_EQ(document[0]["status"], "modified");

  // The file replaced by another (new size and time): show notices.
  std::ofstream(binary, std::ios::trunc) << "#!/bin/sh\necho replaced\n";
  result = getmesh({"show"});
  EXPECT_THAT(result.out, HasSubstr(kPlain + " (Active) (verified: .sha256 file) (modified)"));
  EXPECT_THAT(result.err, HasSubstr("\"getmesh verify\" re-hashes each one"));
  document = nlohmann::json::parse(getmesh({"show", "-o", "json"}).out);
  EXPECT_EQ(document[0]["receipt_status"], "modified");
  result = getmesh({"verify"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("(size "));

  // The file removed.
  std::filesystem::remove(binary);
  result = getmesh({"verify"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr(kPlain + ": missing: " + binary.string() + " is gone"));
  document = nlohmann::json::parse(getmesh({"verify", "-o", "json"}).out);
  EXPECT_EQ(document[0]["status"], "missing");
  EXPECT_EQ(document[0]["go_build"], nullptr);

  // The fix that verify gives works.
  EXPECT_THAT(result.out, HasSubstr("is gone; fetch it again: getmesh fetch --name " + kPlain));
  ASSERT_EQ(getmesh({"fetch", "--name", kPlain}).exit_code, 0);
  EXPECT_EQ(getmesh({"verify"}).exit_code, 0);
}

// Runs the advice verify printed after "fetch it again: " on the line of `name`, word for word,
// then expects verify to find `name` ok.
void follow_verify_advice(Receipts& receipts, const std::string& name) {
  const auto reported = receipts.getmesh({"verify"});
  EXPECT_EQ(reported.exit_code, 1) << reported.out;
  const std::string marker = "fetch it again: ";
  const auto line = reported.out.substr(reported.out.find(name + ": "));
  const auto start = line.find(marker);
  ASSERT_NE(start, std::string::npos) << reported.out;
  const auto advice = line.substr(start + marker.size(), line.find('\n') - start - marker.size());
  for (const auto& command : split_commands(advice)) {
    ASSERT_FALSE(command.empty()) << advice;
    const auto followed =
        command[0] == "getmesh"
            ? receipts.getmesh(std::vector<std::string>(command.begin() + 1, command.end()))
            : run_program(command);
    ASSERT_EQ(followed.exit_code, 0) << advice << "\n" << followed.err;
  }
  const auto repaired = receipts.getmesh({"verify"});
  EXPECT_EQ(repaired.exit_code, 0) << repaired.out;
  EXPECT_THAT(repaired.out, HasSubstr(name + ": ok"));
}

// verify's advice, run word for word, repairs what it reports, for an istioctl that is not the
// active one (prune would refuse to remove an istioctl that is gone: "is not fetched").
TEST_F(Receipts, VerifysAdviceForAMissingIstioctlWorksWhenFollowedLiterally) {
  mirror({MirrorDistribution{}, MirrorDistribution{.version = "1.30.5"}});
  ASSERT_EQ(getmesh({"fetch", "--name", kPlain}).exit_code, 0);
  ASSERT_EQ(getmesh({"fetch", "--name", "1.30.5-istio-v0"}).exit_code, 0);
  std::filesystem::remove(istioctl(kPlain));
  follow_verify_advice(*this, kPlain);
}

// A modified istioctl is repaired by the advice whether it is the active one (which prune keeps)
// or not.
TEST_F(Receipts, VerifysAdviceForAModifiedIstioctlWorksActiveOrNot) {
  mirror({MirrorDistribution{}, MirrorDistribution{.version = "1.30.5"}});
  ASSERT_EQ(getmesh({"fetch", "--name", "1.30.5-istio-v0"}).exit_code, 0);
  ASSERT_EQ(getmesh({"fetch", "--name", kPlain}).exit_code, 0);
  for (const bool active : {true, false}) {
    if (!active) {
      ASSERT_EQ(getmesh({"switch", "--name", "1.30.5-istio-v0"}).exit_code, 0);
    }
    std::ofstream(istioctl(kPlain), std::ios::app) << "echo injected\n";
    SCOPED_TRACE(active ? "active" : "not active");
    follow_verify_advice(*this, kPlain);
  }
}

// verify and show list the fetched versions in the same order: oldest first.
TEST_F(Receipts, VerifyListsInShowsOrder) {
  mirror({MirrorDistribution{.version = "1.30.5"}, MirrorDistribution{}});
  ASSERT_EQ(getmesh({"fetch", "--name", "1.30.5-istio-v0"}).exit_code, 0);
  ASSERT_EQ(getmesh({"fetch", "--name", kPlain}).exit_code, 0);
  const auto first_line = [](const std::string& text) { return text.substr(0, text.find(' ')); };
  EXPECT_EQ(first_line(getmesh({"show"}).out), kPlain);
  EXPECT_EQ(first_line(getmesh({"verify"}).out), kPlain + ":");
  const auto shown = nlohmann::json::parse(getmesh({"show", "-o", "json"}).out);
  const auto verified = nlohmann::json::parse(getmesh({"verify", "-o", "json"}).out);
  ASSERT_EQ(shown.size(), 2u);
  ASSERT_EQ(verified.size(), 2u);
  for (std::size_t i = 0; i < shown.size(); ++i) EXPECT_EQ(verified[i]["name"], shown[i]["name"]);
}

TEST_F(Receipts, ACopiedHomeKeepsItsContentAndVerifyAcceptsTheNewTimes) {
  mirror({MirrorDistribution{}});
  ASSERT_EQ(getmesh({"fetch", "--name", kPlain}).exit_code, 0);
  set_mtime(istioctl(kPlain), timespec{1'700'000'000, 0});
  EXPECT_THAT(getmesh({"show"}).out, HasSubstr("(modified)"));
  const auto result = getmesh({"verify"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, StartsWith(kPlain + ": ok"));
  EXPECT_THAT(result.err, HasSubstr("its modification time changed but its content matches"));
  EXPECT_THAT(getmesh({"show"}).out, Not(HasSubstr("(modified)")));
}

TEST_F(Receipts, InstallsMadeBeforeReceiptsSayHowToGetOne) {
  mirror({MirrorDistribution{}});
  fake.install(kPlain);  // the record of an earlier getmesh: no receipt
  fake.set_active(kPlain);
  auto result = getmesh({"verify"});
  EXPECT_EQ(result.exit_code, 0) << "nothing says it changed";
  EXPECT_EQ(result.out, kPlain +
                            ": no receipt: installed before receipts existed, so nothing says what "
                            "it should be; fetch it again to get one: rm " +
                            istioctl(kPlain).string() + ", then getmesh fetch --name " + kPlain +
                            "\n");
  auto document = nlohmann::json::parse(getmesh({"show", "-o", "json"}).out);
  EXPECT_EQ(document[0]["receipt_status"], "no receipt");
  EXPECT_EQ(document[0]["receipt"], nullptr);

  result = getmesh({"verify", "1.20.0-istio-v0"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: 1.20.0-istio-v0 is not fetched"));
  result = getmesh({"verify", "latest"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("not a distribution name: latest"));
}

TEST_F(Receipts, VerifyOnExecChecksSizeAndTimeBeforeRunningIstioctl) {
  mirror({MirrorDistribution{}});
  ASSERT_EQ(getmesh({"fetch", "--name", kPlain}).exit_code, 0);
  set_config(R"({"verify_on_exec": true})");
  auto result = getmesh({"istioctl", "version"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "client version: 1.29.8\n");

  std::ofstream(istioctl(kPlain), std::ios::app) << "echo injected\n";
  result = getmesh({"istioctl", "version"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "") << "the changed istioctl never ran";
  EXPECT_THAT(result.err, HasSubstr("error: refusing to run " + kPlain + ": " +
                                    istioctl(kPlain).string() + " changed since it was installed"));
  EXPECT_THAT(result.err, HasSubstr("hint: run \"getmesh verify " + kPlain + "\""));

  set_config(R"({"verify_on_exec": false})");
  EXPECT_EQ(getmesh({"istioctl", "version"}).out, "client version: 1.29.8\ninjected\n")
      << "off by default";

  // An install made before receipts cannot be checked: refused under verify_on_exec.
  fake.install("1.28.1-istio-v0");
  set_config(
      R"({"verify_on_exec": true, "istio_distribution": {"version": "1.28.1", "flavor": "istio"}})");
  result = getmesh({"istioctl", "version"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("installed before receipts existed"));
}

TEST_F(Receipts, TetrateFipsWithoutAFipsModuleIsReportedOrRefused) {
  const auto& go = go_binaries();
  mirror({holding("tetratefips", go.plain)});
  // The default: a warning, and the distribution is activated.
  auto result = getmesh({"fetch", "--name", kFips});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(
      result.err,
      HasSubstr("warning: " + kFips +
                " is a tetratefips distribution, but its istioctl carries no FIPS module (" +
                go.go_version + ", neither GOEXPERIMENT=boringcrypto nor GOFIPS140)"));
  EXPECT_THAT(result.out, HasSubstr("istioctl switched to " + kFips));
  result = getmesh({"verify"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr(kFips + ": ok (sha256 "));
  EXPECT_THAT(result.out, HasSubstr(go.go_version + ", CGO_ENABLED=0, no FIPS module)"));
  EXPECT_THAT(result.err, HasSubstr("warning: " + kFips + " is a tetratefips distribution"));
  result = getmesh({"verify", "--require-fips"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("(FIPS is required by --require-fips)"));

  // Required: refused, and nothing is activated.
  ASSERT_EQ(getmesh({"prune", "--name", kFips, "-y"}).exit_code, 0);
  fake.write_config("{}");
  result = getmesh({"fetch", "--name", kFips, "--require-fips"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("error: refusing to activate " + kFips + ": " + kFips +
                                    " is a tetratefips distribution, but its istioctl carries no "
                                    "FIPS module"));
  EXPECT_THAT(result.err, HasSubstr("nothing was activated"));
  EXPECT_THAT(result.out, Not(HasSubstr("switched")));
  EXPECT_EQ(nlohmann::json::parse(fake.read_config())["istio_distribution"], nullptr);
  set_config(R"({"require_fips": true})");
  result = getmesh({"switch", "--name", kFips});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("refusing to activate " + kFips));
}

TEST_F(Receipts, ABoringCryptoBuildPassesTheFipsGuardAndItsBuildIsReported) {
  const auto& go = go_binaries();
  mirror({holding("tetratefips", go.boring), holding("istio", go.plain)});
  auto result = getmesh({"fetch", "--name", kFips, "--require-fips"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.err, Not(HasSubstr("FIPS")));
  result = getmesh({"verify", "--require-fips", kFips});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr(go.go_version + " X:boringcrypto, CGO_ENABLED=1, FIPS module boringcrypto "
                                        "(GOEXPERIMENT=boringcrypto))"));
  result = getmesh({"version", "--remote=false"});
  EXPECT_THAT(result.out, HasSubstr("\nistioctl build: " + go.go_version +
                                    " X:boringcrypto, CGO_ENABLED=1, FIPS module boringcrypto "
                                    "(GOEXPERIMENT=boringcrypto)\n"));
  auto document = nlohmann::json::parse(getmesh({"version", "--remote=false", "-o", "json"}).out);
  EXPECT_EQ(document["active_istioctl_build"]["fips"]["module"], "boringcrypto");
  EXPECT_EQ(document["active_istioctl_build"]["settings"]["-tags"], "netgo,osusergo");
  document = nlohmann::json::parse(getmesh({"show", "-o", "json"}).out);
  EXPECT_EQ(document[0]["go_build"]["module"]["path"], "istio.io/istio");
  EXPECT_EQ(document[0]["go_build"]["settings"]["GOEXPERIMENT"], "boringcrypto");

  // require_fips holds for every flavor: a plain istio build is refused too.
  set_config(R"({"require_fips": true})");
  result = getmesh({"fetch", "--name", kPlain});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("refusing to activate " + kPlain + ": " + kPlain +
                                    " carries no FIPS module (" + go.go_version + ")"));
}

}  // namespace
}  // namespace getmesh::testing
