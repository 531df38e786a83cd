#include <getmesh/validate/istioctl.hpp>

#include <gtest/gtest.h>

namespace getmesh::validate {
namespace {

TEST(IstioctlOutput, ParsesCurrentAndOldOriginForms) {
  const auto findings = parse_istioctl_analyze(
      "Error [IST0101] (VirtualService bookinfo/details) Referenced host+subset in destinationrule "
      "not found: \"details+v1\"\n"
      "Error [IST0101] (VirtualService details.bookinfo) Referenced host+subset in destinationrule "
      "not found: \"details+v1\"\n"
      "Warn [IST0106] (VirtualService ratings-bogus.healthy e2e/testdata/local.yaml:1) Schema "
      "validation error: x\n"
      "Info [IST0102] (Namespace default) The namespace is not enabled for Istio injection.\n"
      "Warning [IST0132] [cluster-1] (VirtualService ns/vs a.yaml:12) one or more host\n"
      "✔ No validation issues found when analyzing namespace: x.\n"
      "garbage line\n");
  ASSERT_EQ(findings.size(), 5U);
  EXPECT_EQ(findings[0].object, (ObjectRef{"VirtualService", "bookinfo", "details"}));
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[0].message,
            "Referenced host+subset in destinationrule not found: \"details+v1\"");
  EXPECT_EQ(findings[0].analyzer, "istioctl");
  EXPECT_EQ(findings[1].object, findings[0].object);
  EXPECT_EQ(findings[2].object, (ObjectRef{"VirtualService", "healthy", "ratings-bogus"}));
  EXPECT_EQ(findings[2].severity, Severity::kWarning);
  EXPECT_EQ(findings[2].origin.file, "e2e/testdata/local.yaml");
  EXPECT_EQ(findings[2].origin.line, 1);
  EXPECT_EQ(findings[3].object, (ObjectRef{"Namespace", "", "default"}));
  EXPECT_EQ(findings[3].severity, Severity::kInfo);
  EXPECT_EQ(findings[4].object, (ObjectRef{"VirtualService", "ns", "vs"}));
  EXPECT_EQ(findings[4].origin.line, 12);
}

TEST(IstioctlOutput, BuildsArgvWithoutAShell) {
  IstioctlRequest request;
  request.istioctl = "/h/istioctl";
  request.paths = {"a dir", "-"};
  request.namespace_ = "bookinfo";
  request.kubeconfig = "/k";
  request.context = "dev";
  EXPECT_EQ(
      istioctl_analyze_argv(request),
      (std::vector<std::string>{"/h/istioctl", "analyze", "--color=false", "--namespace=bookinfo",
                                "--kubeconfig=/k", "--context=dev", "--recursive", "a dir", "-"}));
  request.offline = true;
  request.paths.clear();
  EXPECT_EQ(istioctl_analyze_argv(request),
            (std::vector<std::string>{"/h/istioctl", "analyze", "--color=false", "--use-kube=false",
                                      "--kubeconfig=/k", "--context=dev"}));
}

}  // namespace
}  // namespace getmesh::validate
