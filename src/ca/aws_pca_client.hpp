#pragma once

// A client for the ACM Private CA JSON API (protocol awsJson1_1). Private to src/ca.

#include <getmesh/ca/aws_sigv4.hpp>
#include <getmesh/ca/provider.hpp>
#include <getmesh/core/result.hpp>
#include <getmesh/net/http.hpp>

#include <nlohmann/json.hpp>

#include <string>

namespace getmesh::ca {

// An answer from the service: the JSON body, or the error the service reported.
struct PcaReply {
  long status = 0;
  std::string error_type;  // e.g. "AccessDeniedException"; empty on success
  std::string error_message;
  nlohmann::json body;
};

class PcaClient {
 public:
  PcaClient(const net::Client& http, AwsCredentials credentials, std::string endpoint,
            std::string region, Notify notify);

  // Sends `ACMPrivateCA.<action>` signed with SigV4. Throttling, HTTP 429/5xx and transient
  // network failures are retried with exponential backoff (5 attempts); other service errors
  // come back as a reply with `error_type` set.
  Result<PcaReply> send(const std::string& action, const nlohmann::json& body) const;

  // send(), with any service error turned into an Error that says what to do about it.
  Result<nlohmann::json> call(const std::string& action, const nlohmann::json& body) const;

  // The Error for a service error reply to `action`.
  [[nodiscard]] Error service_error(const std::string& action, const PcaReply& reply) const;

 private:
  Result<PcaReply> attempt(const std::string& action, const std::string& body) const;

  const net::Client& http_;
  AwsCredentials credentials_;
  std::string endpoint_;
  std::string host_;
  std::string path_;
  std::string region_;
  Notify notify_;
};

}  // namespace getmesh::ca
