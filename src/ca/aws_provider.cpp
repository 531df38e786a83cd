#include "ca/aws_pca_client.hpp"
#include "ca/encoding.hpp"

#include <getmesh/ca/aws.hpp>
#include <getmesh/ca/aws_arn.hpp>
#include <getmesh/ca/aws_credentials.hpp>
#include <getmesh/ca/bundle.hpp>
#include <getmesh/ca/csr.hpp>
#include <getmesh/ca/keys.hpp>
#include <getmesh/core/base64.hpp>

#include <thread>

namespace getmesh::ca {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kFirstPoll = std::chrono::milliseconds(500);
constexpr auto kMaxPoll = std::chrono::milliseconds(5000);

Result<std::string> string_field(const nlohmann::json& body, const char* field,
                                 const std::string& action) {
  const auto found = body.find(field);
  if (found == body.end() || !found->is_string() || found->get<std::string>().empty()) {
    return runtime_error("AWS Private CA answered " + action + " without " + field,
                         "check --aws-endpoint");
  }
  return found->get<std::string>();
}

std::string optional_string(const nlohmann::json& body, const char* field) {
  const auto found = body.find(field);
  return found != body.end() && found->is_string() ? found->get<std::string>() : std::string();
}

class AwsProvider final : public Provider {
 public:
  AwsProvider(AwsOptions options, CaArn arn, PcaClient client, std::chrono::seconds timeout,
              Notify notify)
      : options_(std::move(options)),
        arn_(std::move(arn)),
        client_(std::move(client)),
        timeout_(timeout),
        notify_(std::move(notify)) {}

  Result<CaBundle> issue(const IssueRequest& request) override {
    const nlohmann::json ca_arn = {{"CertificateAuthorityArn", arn_.text}};
    auto authority = client_.call("GetCertificateAuthorityCertificate", ca_arn);
    if (!authority) return authority.error();
    auto authority_pem =
        string_field(*authority, "Certificate", "GetCertificateAuthorityCertificate");
    if (!authority_pem) return authority_pem.error();

    auto key = generate_private_key(request.key);
    if (!key) return key.error();
    auto csr = create_csr(request, *key);
    if (!csr) return csr.error();
    const nlohmann::json issue_body = {
        {"CertificateAuthorityArn", arn_.text},
        {"Csr", base64_encode(*csr)},
        {"SigningAlgorithm", options_.signing_algorithm},
        {"TemplateArn", options_.template_arn},
        {"Validity", {{"Type", "DAYS"}, {"Value", request.validity_days}}},
        {"IdempotencyToken", random_token(32)},
    };
    auto issued = client_.call("IssueCertificate", issue_body);
    if (!issued) return issued.error();
    auto certificate_arn = string_field(*issued, "CertificateArn", "IssueCertificate");
    if (!certificate_arn) return certificate_arn.error();

    auto certificate = wait_for(*certificate_arn);
    if (!certificate) return certificate.error();
    auto certificate_pem = string_field(*certificate, "Certificate", "GetCertificate");
    if (!certificate_pem) return certificate_pem.error();
    auto chain = optional_string(*certificate, "CertificateChain");
    if (chain.empty()) {
      chain = *authority_pem + "\n" + optional_string(*authority, "CertificateChain");
    }
    return assemble_bundle(*key, *certificate_pem, chain, "AWS Private CA");
  }

 private:
  // Polls GetCertificate until the certificate is issued or the timeout has passed.
  Result<nlohmann::json> wait_for(const std::string& certificate_arn) {
    const nlohmann::json body = {{"CertificateAuthorityArn", arn_.text},
                                 {"CertificateArn", certificate_arn}};
    const auto deadline = Clock::now() + timeout_;
    auto delay = kFirstPoll;
    bool told = false;
    while (true) {
      auto reply = client_.send("GetCertificate", body);
      if (!reply) return reply.error().with_context("AWS Private CA GetCertificate");
      if (reply->error_type.empty()) return std::move(reply->body);
      if (reply->error_type != "RequestInProgressException") {
        return client_.service_error("GetCertificate", *reply);
      }
      if (Clock::now() + delay > deadline) {
        return runtime_error("AWS Private CA did not issue " + certificate_arn + " within " +
                                 std::to_string(timeout_.count()) + " seconds",
                             "raise --timeout, or check the request in ACM Private CA; nothing "
                             "was written");
      }
      if (!told && notify_) {
        notify_("waiting for AWS Private CA to issue " + certificate_arn);
        told = true;
      }
      std::this_thread::sleep_for(delay);
      delay = std::min(kMaxPoll, delay * 2);
    }
  }

  AwsOptions options_;
  CaArn arn_;
  PcaClient client_;
  std::chrono::seconds timeout_;
  Notify notify_;
};

}  // namespace

Result<std::unique_ptr<Provider>> make_aws_provider(const AwsOptions& options,
                                                    const Environment& environment,
                                                    const net::Client& http,
                                                    std::chrono::seconds timeout, Notify notify) {
  auto arn = parse_ca_arn(options.signing_ca_arn);
  if (!arn) return arn.error();
  auto credentials = resolve_aws_credentials(environment);
  if (!credentials) return credentials.error();
  PcaClient client(http, std::move(*credentials), options.endpoint, arn->region, notify);
  return std::unique_ptr<Provider>(std::make_unique<AwsProvider>(
      options, std::move(*arn), std::move(client), timeout, std::move(notify)));
}

}  // namespace getmesh::ca
