#include "kube/api_error.hpp"

#include <gtest/gtest.h>

namespace getmesh::kube {
namespace {

RestConfig config() {
  RestConfig result;
  result.context = "prod";
  result.server = "https://203.0.113.10:6443";
  result.cluster = "prod-cluster";
  result.user = "alice";
  result.user_file = "/home/alice/.kube/config";
  return result;
}

net::Response response(long status, const std::string& message) {
  net::Response result;
  result.status = status;
  if (!message.empty()) {
    result.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":")" + message +
                  R"(","code":)" + std::to_string(status) + "}";
  }
  return result;
}

TEST(ApiError, StatusCodesBecomeMessagesThatSayWhatWasAttempted) {
  struct Case {
    long status;
    const char* method;
    const char* path;
    const char* expected;
  };
  const Case cases[] = {
      {403, "GET", "/api/v1/namespaces/istio-system/pods?limit=500&labelSelector=app%3Distiod",
       "user \"alice\" may not list pods in namespace istio-system on context \"prod\" "
       "(https://203.0.113.10:6443) (HTTP 403 Forbidden): nope"},
      {403, "POST", "/api/v1/namespaces/istio-system/secrets",
       "user \"alice\" may not create secrets in namespace istio-system"},
      {403, "PUT", "/api/v1/namespaces/istio-system/secrets/cacerts",
       "may not replace secrets \"cacerts\" in namespace istio-system"},
      {403, "DELETE", "/apis/cert-manager.io/v1/namespaces/mesh/certificates/ca",
       "may not delete certificates \"ca\" in namespace mesh"},
      {403, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
       "may not list customresourcedefinitions on context"},
      {404, "GET", "/api/v1/namespaces/apps/configmaps/x",
       "cannot get configmaps \"x\" in namespace apps"},
      {409, "POST", "/api/v1/namespaces/a/secrets",
       "cannot create secrets in namespace a on context"},
      {401, "GET", "/version",
       "the API server of context \"prod\" (https://203.0.113.10:6443) rejected the credentials of "
       "user \"alice\" (HTTP 401 Unauthorized): nope"},
      {500, "GET", "/api/v1/pods",
       "cannot list pods on context \"prod\" (https://203.0.113.10:6443): "
       "HTTP 500 Internal Server Error: nope"},
  };
  for (const auto& c : cases) {
    const auto error = status_error(response(c.status, "nope"), c.method, c.path, config());
    EXPECT_NE(error.message.find(c.expected), std::string::npos) << error.message;
  }
  EXPECT_TRUE(status_error(response(503, ""), "GET", "/api/v1/pods", config()).transient);
  EXPECT_NE(status_error(response(401, ""), "GET", "/version", config())
                .hint.find("/home/alice/.kube/config"),
            std::string::npos);
}

TEST(ApiError, TransportFailuresAreClassified) {
  const auto cause = [](const char* detail) {
    return runtime_error(std::string("cannot get https://203.0.113.10:6443/version: ") + detail);
  };
  EXPECT_EQ(
      transport_error(cause("Failed to connect to 203.0.113.10 port 6443 after 0 ms: Couldn't "
                            "connect to server"),
                      config())
          .message,
      "cannot reach the Kubernetes API server of context \"prod\" (https://203.0.113.10:6443): "
      "Failed to connect to 203.0.113.10 port 6443 after 0 ms: Couldn't connect to server");
  EXPECT_NE(
      transport_error(cause("Connection timed out after 2001 milliseconds"), config())
          .message.find("did not answer in time (Connection timed out after 2001 milliseconds)"),
      std::string::npos);
  const auto tls = transport_error(
      cause("SSL certificate problem: unable to get local issuer certificate"), config());
  EXPECT_NE(tls.message.find("the TLS connection to the Kubernetes API server"), std::string::npos);
  EXPECT_NE(tls.hint.find("certificate-authority"), std::string::npos);
  auto with_certificate = config();
  with_certificate.tls.client_cert_pem = "pem";
  EXPECT_NE(transport_error(cause("Recv failure: Connection reset by peer"), with_certificate)
                .message.find("it probably refused the client certificate"),
            std::string::npos);
  EXPECT_NE(transport_error(cause("Recv failure: Connection reset by peer"), config())
                .message.find("cannot reach"),
            std::string::npos);
}

}  // namespace
}  // namespace getmesh::kube
