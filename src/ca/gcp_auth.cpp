#include "ca/jwt.hpp"

#include <getmesh/ca/endpoint.hpp>
#include <getmesh/ca/gcp_auth.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/exec/process.hpp>

#include <nlohmann/json.hpp>

namespace getmesh::ca {

namespace {

constexpr const char* kScope = "https://www.googleapis.com/auth/cloud-platform";
constexpr const char* kDefaultTokenUri = "https://oauth2.googleapis.com/token";
constexpr auto kGcloudTimeout = std::chrono::seconds(60);

std::string field(const nlohmann::json& document, const char* name) {
  const auto found = document.find(name);
  return found != document.end() && found->is_string() ? found->get<std::string>() : std::string();
}

Result<GcpToken> from_service_account(const std::string& path, const net::Client& http) {
  const auto origin =
      "the service-account key " + quote(path) + " (GOOGLE_APPLICATION_CREDENTIALS)";
  auto text = read_file(path);
  if (!text) return text.error().with_context("cannot read " + origin);
  const auto key = nlohmann::json::parse(*text, nullptr, false);
  if (key.is_discarded() || !key.is_object()) {
    return runtime_error(origin + " is not JSON",
                         "point GOOGLE_APPLICATION_CREDENTIALS at a key "
                         "file from: gcloud iam service-accounts keys create");
  }
  if (field(key, "type") != "service_account") {
    return runtime_error(origin + " holds \"" + field(key, "type") +
                             "\" credentials; getmesh uses service-account keys",
                         "unset GOOGLE_APPLICATION_CREDENTIALS to use gcloud's login instead");
  }
  const auto email = field(key, "client_email");
  const auto private_key = field(key, "private_key");
  if (email.empty() || private_key.empty()) {
    return runtime_error(origin + " lacks client_email or private_key",
                         "download a new key for the service account");
  }
  const auto token_uri_text =
      field(key, "token_uri").empty() ? std::string(kDefaultTokenUri) : field(key, "token_uri");
  auto token_uri = check_endpoint(token_uri_text, "the token_uri of " + origin);
  if (!token_uri) return token_uri.error();

  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const nlohmann::json claims = {
      {"iss", email}, {"scope", kScope}, {"aud", *token_uri}, {"iat", now}, {"exp", now + 3600}};
  auto assertion = sign_jwt_rs256(claims, private_key, field(key, "private_key_id"),
                                  "the private key of " + origin);
  if (!assertion) return assertion.error();

  net::Request request;
  request.method = "POST";
  request.url = *token_uri;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body =
      "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + *assertion;
  request.timeout_ms = 60000;
  log::debug("GCP: exchanging a service-account JWT at " + *token_uri);
  auto response = http.send(request);
  if (!response) return response.error().with_context("cannot get a Google access token");
  const auto answer = nlohmann::json::parse(response->body, nullptr, false);
  const auto access_token = answer.is_object() ? field(answer, "access_token") : std::string();
  if (response->status != 200 || access_token.empty()) {
    std::string why = net::describe_status(response->status);
    if (answer.is_object() && !field(answer, "error").empty()) {
      why += ": " + field(answer, "error");
      if (!field(answer, "error_description").empty())
        why += ": " + field(answer, "error_description");
    }
    return runtime_error(*token_uri + " refused the key of " + email + ": " + why,
                         "check that the key in GOOGLE_APPLICATION_CREDENTIALS is still valid and "
                         "the system clock is right");
  }
  return GcpToken{access_token, "the service account " + email};
}

Result<GcpToken> from_gcloud(const Environment& environment) {
  const auto gcloud = exec::find_program("gcloud", environment.get("PATH").value_or(""));
  if (!gcloud) {
    return runtime_error("no Google Cloud credentials were found for the gcp provider",
                         "set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or "
                         "install gcloud and run: gcloud auth login");
  }
  log::debug("GCP: running " + *gcloud + " auth print-access-token");
  auto ran = exec::run_captured({*gcloud, "auth", "print-access-token"}, {}, kGcloudTimeout);
  if (!ran) return ran.error().with_context("cannot get a Google access token from gcloud");
  const auto token = std::string(trim(ran->out));
  if (ran->exit_code != 0 || token.empty() || token.find_first_of(" \n") != std::string::npos) {
    const auto lines = split(std::string(trim(ran->err)), '\n');
    return runtime_error(
        "gcloud auth print-access-token failed (exit code " + std::to_string(ran->exit_code) + ")" +
            (lines.empty() || lines.back().empty() ? "" : ": " + redact_secrets(lines.back())),
        "log in with: gcloud auth login, or set GOOGLE_APPLICATION_CREDENTIALS "
        "to a service-account key file");
  }
  return GcpToken{token, "gcloud's active account"};
}

}  // namespace

Result<GcpToken> gcp_access_token(const Environment& environment, const net::Client& http) {
  if (auto path = environment.get("GOOGLE_APPLICATION_CREDENTIALS")) {
    return from_service_account(*path, http);
  }
  return from_gcloud(environment);
}

}  // namespace getmesh::ca
