#pragma once

#include <getmesh/core/environment.hpp>
#include <getmesh/core/platform.hpp>
#include <getmesh/core/result.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace getmesh::net {

// TLS settings of one request. Verification is on unless `insecure_skip_verify` is set explicitly.
struct TlsOptions {
  std::string ca_file;  // PEM bundle; empty: the settings' bundle, else the system store
  std::string ca_pem;   // PEM data, used instead of ca_file when set
  bool insecure_skip_verify = false;
  std::string client_cert_file;
  std::string client_key_file;
  std::string client_cert_pem;  // in-memory client certificate and key (kubeconfig *-data)
  std::string client_key_pem;
  std::string server_name;  // verify the certificate against this name instead of the URL's host
};

// A transfer slower than this on average over Request::stall_timeout_s is stalled, so a server
// trickling a few bytes a second cannot hold a request open for ever.
inline constexpr long kStallBytesPerSecond = 1024;

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::uint64_t resume_from = 0;  // > 0 sends `Range: bytes=<n>-`
  long connect_timeout_ms = 5000;
  long timeout_ms = 0;        // whole request; 0 means none (the stall limit still applies)
  long stall_timeout_s = 30;  // abort when less than kStallBytesPerSecond arrive for this long
  std::size_t max_body_bytes = 64u << 20;  // for buffered requests only
  bool follow_redirects = true;
  bool accept_compressed = false;  // offer gzip/deflate and decompress the answer (buffered APIs)
  std::string proxy;               // explicit proxy URL; empty: the proxy environment variables
  // The caller decided already (e.g. by kubectl's rules): use `proxy` as is, empty meaning none,
  // and ignore the proxy settings and NO_PROXY.
  bool proxy_decided = false;
  TlsOptions tls;
};

struct Response {
  // HTTP status. file:// reads answer like HTTP: 200, 206 from an offset, 404 when missing, 403
  // when unreadable.
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string effective_url;

  [[nodiscard]] std::string header(const std::string& lower_case_name) const;
};

// Process-wide settings from the environment: CA bundle (GETMESH_CA_BUNDLE, SSL_CERT_FILE,
// CURL_CA_BUNDLE, else the platform's default), proxies (http_proxy, HTTPS_PROXY, NO_PROXY and
// their other spellings).
struct Settings {
  std::string ca_bundle;
  std::string http_proxy;
  std::string https_proxy;
  std::string no_proxy;
  std::string user_agent = "getmesh";

  static Settings from_environment(const Environment& environment,
                                   const Platform& platform = Platform::host());
};

// A transfer whose body is pulled chunk by chunk, so large downloads use bounded memory.
class Stream {
 public:
  virtual ~Stream() = default;
  // Status and headers, available as soon as the stream is open.
  [[nodiscard]] virtual const Response& head() const = 0;
  // The next chunk of the body; an empty view at the end. Valid until the next call.
  virtual Result<std::string_view> read() = 0;
};

// HTTP(S) and file:// client on libcurl, which is loaded on first use (see curl_library.hpp).
class Client {
 public:
  explicit Client(Settings settings) : settings_(std::move(settings)) {}

  // Sends the request and buffers the whole body (at most request.max_body_bytes).
  Result<Response> send(const Request& request) const;
  // Starts the request and returns once the status line and headers are in.
  Result<std::unique_ptr<Stream>> open(const Request& request) const;

  [[nodiscard]] const Settings& settings() const { return settings_; }

 private:
  Settings settings_;
};

// True for failures worth retrying: 408, 429 and 5xx.
bool is_retryable_status(long status);

// `url` for messages and logs: a password in it becomes "xxxxx" (https://user:xxxxx@host/), as Go's
// URL.Redacted() shows it.
std::string redact_url(std::string_view url);

// A short description of an HTTP status for messages, e.g. "HTTP 404 Not Found".
std::string describe_status(long status);

}  // namespace getmesh::net
