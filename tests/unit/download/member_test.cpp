#include "download/member.hpp"

#include <gtest/gtest.h>

namespace getmesh::download {
namespace {

TEST(ClassifyMember, FindsIstioctlInBothLayouts) {
  for (const char* path : {"istioctl", "./istioctl", "istio-1.29.8/bin/istioctl",
                           "./istio-1.29.8/bin/istioctl", "istio-1.29.8//bin/./istioctl"}) {
    EXPECT_EQ(classify_member(path), MemberKind::kIstioctl) << path;
  }
}

TEST(ClassifyMember, SkipsOtherMembers) {
  for (const char* path :
       {"", "istio-1.29.8/", "istio-1.29.8/bin/", "istioctl.sha256", "istio-1.29.8/istioctl",
        "a/b/bin/istioctl", "istio-1.29.8/sbin/istioctl", "istio-1.29.8/bin/istioctl-helper",
        "bin/istioctl/x"}) {
    EXPECT_EQ(classify_member(path), MemberKind::kOther) << path;
  }
}

TEST(ClassifyMember, FlagsEscapingPaths) {
  for (const char* path : {"../istioctl", "/istioctl", "/usr/bin/istioctl", "a/../../istioctl",
                           "istio-1.29.8/bin/../../../etc/passwd", "./.."}) {
    EXPECT_EQ(classify_member(path), MemberKind::kUnsafe) << path;
  }
}

}  // namespace
}  // namespace getmesh::download
