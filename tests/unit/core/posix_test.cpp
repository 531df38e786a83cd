#include "support/temp_dir.hpp"

#include <getmesh/core/posix.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace getmesh::posix {
namespace {

TEST(Posix, PipeEndsAreCloseOnExecAndConnected) {
  int fds[2];
  ASSERT_EQ(pipe_cloexec(fds), 0);
  EXPECT_NE(::fcntl(fds[0], F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_NE(::fcntl(fds[1], F_GETFD) & FD_CLOEXEC, 0);
  ASSERT_EQ(::write(fds[1], "x", 1), 1);
  char byte = 0;
  EXPECT_EQ(::read(fds[0], &byte, 1), 1);
  EXPECT_EQ(byte, 'x');
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(Posix, ModificationTimeKeepsNanoseconds) {
  const testing::TempDir dir;
  const auto file = dir.write("stamped", "content");
  const timespec times[2] = {{1700000000, 0}, {1700000000, 123456789}};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(modification_time_ns(info), 1700000000123456789);
}

TEST(Posix, EnvironmentIsTheLiveProcessEnvironment) {
  ASSERT_EQ(::setenv("GETMESH_POSIX_TEST_VARIABLE", "seen", 1), 0);
  bool found = false;
  for (char** entry = environment(); *entry != nullptr; ++entry) {
    found = found || std::string_view(*entry) == "GETMESH_POSIX_TEST_VARIABLE=seen";
  }
  ::unsetenv("GETMESH_POSIX_TEST_VARIABLE");
  EXPECT_TRUE(found);
}

TEST(Posix, AProcessThatEndedIsNotRunningEvenBeforeItIsReaped) {
  EXPECT_TRUE(process_running(::getpid()));
  EXPECT_FALSE(process_running(0));
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  bool ended = false;  // a zombie until waited for
  for (int i = 0; i < 500 && !ended; ++i) {
    ended = !process_running(child);
    if (!ended) ::usleep(2000);
  }
  EXPECT_TRUE(ended);
  EXPECT_EQ(::kill(child, 0), 0) << "not reaped yet";
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_FALSE(process_running(child));
}

}  // namespace
}  // namespace getmesh::posix
