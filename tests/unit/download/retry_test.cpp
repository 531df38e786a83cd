#include "download/retry.hpp"

#include <gtest/gtest.h>

namespace getmesh::download {
namespace {

using std::chrono::milliseconds;

TEST(RetryDelay, DoublesUpToTheCap) {
  const RetryPolicy policy{5, milliseconds(1000), milliseconds(5000)};
  EXPECT_EQ(retry_delay(policy, 1, ""), milliseconds(1000));
  EXPECT_EQ(retry_delay(policy, 2, ""), milliseconds(2000));
  EXPECT_EQ(retry_delay(policy, 3, ""), milliseconds(4000));
  EXPECT_EQ(retry_delay(policy, 4, ""), milliseconds(5000));
  EXPECT_EQ(retry_delay(policy, 40, ""), milliseconds(5000));
}

TEST(RetryDelay, HonoursRetryAfterWithinTheCap) {
  const RetryPolicy policy{5, milliseconds(1000), milliseconds(30000)};
  EXPECT_EQ(retry_delay(policy, 1, "3"), milliseconds(3000));
  EXPECT_EQ(retry_delay(policy, 1, " 0 "), milliseconds(0));
  EXPECT_EQ(retry_delay(policy, 1, "86400"), milliseconds(30000));
  const auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37
  EXPECT_EQ(retry_delay(policy, 1, "Sun, 06 Nov 1994 08:49:47 GMT", now), milliseconds(10000));
  EXPECT_EQ(retry_delay(policy, 1, "Sun, 06 Nov 1994 08:00:00 GMT", now), milliseconds(0));
}

TEST(RetryDelay, IgnoresUnreadableRetryAfter) {
  const RetryPolicy policy{5, milliseconds(1000), milliseconds(30000)};
  EXPECT_EQ(retry_delay(policy, 2, "soon"), milliseconds(2000));
  EXPECT_EQ(retry_delay(policy, 2, "-5"), milliseconds(2000));
}

}  // namespace
}  // namespace getmesh::download
