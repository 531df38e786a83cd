#include "ca/aws_pca_client.hpp"

#include "ca/retry.hpp"

#include <getmesh/core/log.hpp>

namespace getmesh::ca {

namespace {

bool is_throttling(const std::string& type) {
  return type == "ThrottlingException" || type == "Throttling" ||
         type == "TooManyRequestsException" || type == "RequestLimitExceeded" ||
         type == "RequestThrottledException" || type == "ServiceUnavailable" ||
         type == "ServiceUnavailableException" || type == "InternalFailure";
}

// "aws.protocols#ThrottlingException" or "ThrottlingException:http://..." -> "ThrottlingException"
std::string short_type(std::string type) {
  if (const auto hash = type.rfind('#'); hash != std::string::npos) type.erase(0, hash + 1);
  if (const auto colon = type.find(':'); colon != std::string::npos) type.erase(colon);
  return type;
}

std::string hint_for(const std::string& type, const std::string& action,
                     const AwsCredentials& credentials) {
  if (type == "AccessDeniedException") {
    return "allow acm-pca:" + action + " on the CA for the credentials from " + credentials.source;
  }
  if (type == "UnrecognizedClientException" || type == "InvalidSignatureException" ||
      type == "SignatureDoesNotMatch" || type == "ExpiredTokenException" ||
      type == "InvalidClientTokenId" || type == "IncompleteSignature") {
    return "check the credentials from " + credentials.source + " and the system clock";
  }
  if (type == "ResourceNotFoundException") return "check the signing CA's ARN (--signing-ca)";
  if (type == "InvalidStateException") return "the signing CA must be ACTIVE; check it in ACM PCA";
  if (type == "MalformedCSRException" || type == "InvalidArgsException" ||
      type == "ValidationException") {
    return "check the template (--template-arn), signing algorithm (--signing-algorithm) and the "
           "CA's key type";
  }
  return "check the signing CA in ACM Private CA and try again";
}

}  // namespace

PcaClient::PcaClient(const net::Client& http, AwsCredentials credentials, std::string endpoint,
                     std::string region, Notify notify)
    : http_(http),
      credentials_(std::move(credentials)),
      endpoint_(std::move(endpoint)),
      region_(std::move(region)),
      notify_(std::move(notify)) {
  const auto authority_start = endpoint_.find("://") + 3;
  const auto path_start = endpoint_.find('/', authority_start);
  host_ = endpoint_.substr(authority_start, path_start == std::string::npos
                                                ? std::string::npos
                                                : path_start - authority_start);
  path_ = (path_start == std::string::npos ? std::string() : endpoint_.substr(path_start)) + "/";
}

Result<PcaReply> PcaClient::attempt(const std::string& action, const std::string& body) const {
  SigV4Request to_sign;
  to_sign.path = path_;
  to_sign.headers = {{"Host", host_},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "ACMPrivateCA." + action}};
  to_sign.body = body;
  to_sign.region = region_;
  to_sign.service = "acm-pca";
  to_sign.time = std::chrono::system_clock::now();

  net::Request request;
  request.method = "POST";
  request.url = endpoint_ + "/";
  request.headers = to_sign.headers;
  for (auto& header : sign_v4(to_sign, credentials_)) request.headers.push_back(std::move(header));
  request.headers.emplace_back("Accept", "application/json");
  request.body = body;
  request.timeout_ms = 60000;
  request.follow_redirects = false;
  log::debug("AWS Private CA: POST " + request.url + " " + action);
  auto response = http_.send(request);
  if (!response) return response.error();

  PcaReply reply;
  reply.status = response->status;
  auto parsed = nlohmann::json::parse(response->body, nullptr, false);
  if (response->status / 100 == 2) {
    if (parsed.is_discarded() || !parsed.is_object()) {
      return runtime_error("AWS Private CA answered " + action + " with something that is not JSON",
                           "check --aws-endpoint");
    }
    reply.body = std::move(parsed);
    return reply;
  }
  reply.error_type = short_type(response->header("x-amzn-errortype"));
  if (parsed.is_object()) {
    if (reply.error_type.empty()) reply.error_type = short_type(parsed.value("__type", ""));
    reply.error_message = parsed.value("message", parsed.value("Message", ""));
  }
  if (reply.error_type.empty()) reply.error_type = net::describe_status(response->status);
  return reply;
}

Result<PcaReply> PcaClient::send(const std::string& action, const nlohmann::json& body) const {
  const auto text = body.dump();
  return with_retries(
      "AWS Private CA " + action, notify_, [&] { return attempt(action, text); },
      [](const Result<PcaReply>& reply) -> std::string {
        if (!reply) return reply.error().transient ? reply.error().message : "";
        const bool retryable =
            is_throttling(reply->error_type) ||
            (!reply->error_type.empty() && net::is_retryable_status(reply->status));
        return retryable ? reply->error_type : "";
      });
}

Result<nlohmann::json> PcaClient::call(const std::string& action,
                                       const nlohmann::json& body) const {
  auto reply = send(action, body);
  if (!reply) return reply.error().with_context("AWS Private CA " + action);
  if (!reply->error_type.empty()) return service_error(action, *reply);
  return std::move(reply->body);
}

Error PcaClient::service_error(const std::string& action, const PcaReply& reply) const {
  std::string message = "AWS Private CA refused " + action + ": " + reply.error_type;
  if (!reply.error_message.empty()) message += ": " + reply.error_message;
  Error error = runtime_error(std::move(message), hint_for(reply.error_type, action, credentials_));
  if (is_throttling(reply.error_type)) {
    error.transient = true;
    error.hint = "AWS still refused after " + std::to_string(kRequestAttempts) +
                 " attempts; wait a little and run again";
  }
  return error;
}

}  // namespace getmesh::ca
