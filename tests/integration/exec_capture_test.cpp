// exec::run_captured against children that misbehave: hanging after closing their output, leaving
// background children behind, printing without end, being interrupted.
#include "support/temp_dir.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/exec/process.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace getmesh::exec {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

Result<Captured> shell(const std::string& script, milliseconds timeout) {
  return run_captured({"/bin/sh", "-c", script}, {}, timeout);
}

// Whether `pid` is gone (or only a zombie nobody reaped yet).
bool has_ended(pid_t pid) {
  if (::kill(pid, 0) != 0) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, name, state;
  stat >> pid_field >> name >> state;
  return state == "Z";
}

bool ends_within(pid_t pid, milliseconds limit) {
  const auto until = Clock::now() + limit;
  while (!has_ended(pid)) {
    if (Clock::now() > until) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

// The pid a script wrote into `file`, waiting briefly for it to appear.
pid_t pid_in(const std::filesystem::path& file) {
  for (int i = 0; i < 300; ++i) {
    if (auto text = read_file(file); text && text->ends_with("\n")) return std::stoi(*text);
    std::this_thread::sleep_for(milliseconds(10));
  }
  return -1;
}

// A child is stopped when it outlives its time (also after closing its output, so that only its
// exit could end the capture) or prints without end.
TEST(CapturedChild, IsStoppedAtItsTimeOrOutputLimit) {
  const struct {
    const char* script;
    milliseconds timeout;
    const char* why;
  } cases[] = {
      {"exec >&- 2>&-; exec sleep 30", milliseconds(400), "did not finish within 400 ms"},
      {"exec yes", milliseconds(20000), "printed more than 8 MiB"},
  };
  for (const auto& test : cases) {
    const auto started = Clock::now();
    auto ran = shell(test.script, test.timeout);
    ASSERT_FALSE(ran.ok()) << test.script;
    EXPECT_THAT(ran.error().message, HasSubstr(std::string(test.why) + " and was stopped"));
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(10)) << test.script;
  }
}

TEST(CapturedChild, TheTimeoutKillsItsWholeProcessGroup) {
  testing::TempDir dir;
  const auto pid_file = dir.path() / "pid";
  auto ran = shell("sleep 30 & echo $! > " + pid_file.string() + "; sleep 30", milliseconds(400));
  ASSERT_FALSE(ran.ok());
  const auto background = pid_in(pid_file);
  ASSERT_GT(background, 0);
  EXPECT_TRUE(ends_within(background, milliseconds(2000)));
}

TEST(CapturedChild, ThatExitsEndsTheCaptureWhileABackgroundChildHoldsItsOutput) {
  testing::TempDir dir;
  const auto pid_file = dir.path() / "pid";
  const auto started = Clock::now();
  auto ran = shell("sleep 20 & echo $! > " + pid_file.string() + "; echo done; echo note >&2",
                   milliseconds(5000));
  const auto elapsed = Clock::now() - started;
  if (const auto background = pid_in(pid_file); background > 0) ::kill(background, SIGKILL);
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  EXPECT_EQ(ran->exit_code, 0);
  EXPECT_EQ(ran->out, "done\n");
  EXPECT_EQ(ran->err, "note\n");
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(CapturedChild, LargeOutputBelowTheLimitAndInputArriveWhole) {
  const std::string input(300000, 'x');
  auto ran = run_captured({"/bin/sh", "-c", "cat; head -c 3000000 /dev/zero >&2"}, {},
                          milliseconds(20000), input);
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  EXPECT_EQ(ran->out, input);
  EXPECT_EQ(ran->err.size(), 3000000u);
}

// Ctrl-C reaches getmesh but not the captured child's own process group: getmesh kills the group,
// then ends by the signal as it would have.
TEST(CapturedChild, AnInterruptKillsItsGroupAndThenEndsTheCaller) {
  testing::TempDir dir;
  const auto pid_file = dir.path() / "pid";
  const pid_t caller = ::fork();
  ASSERT_GE(caller, 0);
  if (caller == 0) {
    (void)shell("sleep 30 & echo $! > " + pid_file.string() + "; sleep 30", milliseconds(20000));
    ::_exit(0);
  }
  const auto background = pid_in(pid_file);
  ::kill(caller, SIGINT);
  int status = 0;
  ASSERT_EQ(::waitpid(caller, &status, 0), caller);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) << status;
  ASSERT_GT(background, 0);
  EXPECT_TRUE(ends_within(background, milliseconds(2000)));
}

}  // namespace
}  // namespace getmesh::exec
