#include <getmesh/ca/aws_sigv4.hpp>

#include <gtest/gtest.h>

#include <ctime>

namespace getmesh::ca {
namespace {

// Expected values come from botocore's SigV4Auth (the first is AWS's published get-vanilla case).
const AwsCredentials kExample{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "",
                              "test"};

std::chrono::system_clock::time_point at(int year, int month, int day, int hour, int minute,
                                         int second) {
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return std::chrono::system_clock::from_time_t(::timegm(&parts));
}

std::string header(const Headers& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "<missing>";
}

SigV4Request pca_request() {
  SigV4Request request;
  request.headers = {{"Host", "acm-pca.eu-west-1.amazonaws.com"},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "ACMPrivateCA.GetCertificateAuthorityCertificate"}};
  request.body =
      R"({"CertificateAuthorityArn":"arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/abc"})";
  request.region = "eu-west-1";
  request.service = "acm-pca";
  request.time = at(2024, 2, 29, 23, 59, 59);
  return request;
}

TEST(SigV4, SignsAwsGetVanilla) {
  SigV4Request request;
  request.method = "GET";
  request.headers = {{"Host", "example.amazonaws.com"}};
  request.region = "us-east-1";
  request.service = "service";
  request.time = at(2015, 8, 30, 12, 36, 0);
  const auto added = sign_v4(request, kExample);
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(header(added, "X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(header(added, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, SignsAPrivateCaJsonRequest) {
  const auto added = sign_v4(pca_request(), kExample);
  EXPECT_EQ(header(added, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240229/eu-west-1/acm-pca/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
            "Signature=eb50954c74f046a8277c6c0a2a2ae37d1835be4dea0c6d851d29cdee1dde9f5b");
}

TEST(SigV4, SignsTheSessionToken) {
  auto credentials = kExample;
  credentials.session_token = "FwoGZXIvYXdzEXAMPLE//token==";
  const auto added = sign_v4(pca_request(), credentials);
  EXPECT_EQ(header(added, "X-Amz-Security-Token"), "FwoGZXIvYXdzEXAMPLE//token==");
  EXPECT_EQ(header(added, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240229/eu-west-1/acm-pca/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "
            "Signature=d0c0c94f3dc6442d6ac5f6a3f9c2e0306048fbbd3eb9442127340ad6833bc866");
}

TEST(SigV4, SortsTheQueryAndTrimsHeaderValues) {
  SigV4Request request;
  request.method = "GET";
  request.query = "Param2=value2&Param1=value1";
  request.headers = {{"Host", "example.amazonaws.com"}, {"My-Header1", "  a   b   c  "}};
  request.region = "us-east-1";
  request.service = "service";
  request.time = at(2015, 8, 30, 12, 36, 0);
  EXPECT_EQ(header(sign_v4(request, kExample), "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;my-header1;x-amz-date, "
            "Signature=2528f3c98688431685ceab4905376086aec4710033168864c358b87f937d30d9");
}

TEST(SigV4, TheSignatureDependsOnTheBody) {
  auto request = pca_request();
  const auto original = header(sign_v4(request, kExample), "Authorization");
  request.body += " ";
  EXPECT_NE(header(sign_v4(request, kExample), "Authorization"), original);
}

}  // namespace
}  // namespace getmesh::ca
