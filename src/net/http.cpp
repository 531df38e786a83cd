#include "net/curl_library.hpp"

#include <getmesh/core/interrupt.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/net/http.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace getmesh::net {

namespace {

constexpr std::size_t kPendingLimit = 1u << 20;  // pause the transfer beyond 1 MiB unread
constexpr long kBufferSize = 128 * 1024;

// Where the host[:port] of a URL starts and ends, after any user:password@.
std::pair<std::size_t, std::size_t> host_span(std::string_view url) {
  auto start = url.find("://");
  start = start == std::string_view::npos ? 0 : start + 3;
  auto end = url.find_first_of("/?#", start);
  if (end == std::string_view::npos) end = url.size();
  if (const auto at = url.substr(start, end - start).rfind('@'); at != std::string_view::npos) {
    start += at + 1;
  }
  return {start, end};
}

// Splits "host:port" (IPv6 hosts in brackets); the port is empty when absent.
std::pair<std::string, std::string> split_host_port(const std::string& authority) {
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos || authority.find(']', colon) != std::string::npos) {
    return {authority, ""};
  }
  return {authority.substr(0, colon), authority.substr(colon + 1)};
}

// The local path of a file:// URL ("file:///a%20b" -> "/a b"; "file://localhost/x" -> "/x").
std::string file_url_path(const std::string& url) {
  auto path = url.substr(std::string_view("file://").size());
  if (path.starts_with("localhost/")) path.erase(0, std::string_view("localhost").size());
  std::string decoded;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size() && is_hex(path.substr(i + 1, 2))) {
      decoded += static_cast<char>(std::stoi(path.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += path[i];
    }
  }
  return decoded;
}

bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

Error transfer_error(const CurlLibrary& curl, CURLcode code, const std::string& url,
                     const char* detail) {
  std::string message = "cannot get " + redact_url(url) + ": ";
  message += (detail != nullptr && detail[0] != '\0') ? detail : curl.easy_strerror(code);
  std::string hint;
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
      hint =
          "the server's TLS certificate is not trusted; point GETMESH_CA_BUNDLE at the CA "
          "bundle that signed it";
      break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
      hint =
          "check the network and proxy settings (HTTPS_PROXY, NO_PROXY), or use a mirror with "
          "GETMESH_MIRROR";
      break;
    case CURLE_FILE_COULDNT_READ_FILE:
      hint = "check that the file exists and is readable";
      break;
    default:
      break;
  }
  Error error = runtime_error(std::move(message), std::move(hint));
  error.transient = is_transient(code);
  return error;
}

class CurlStream final : public Stream {
 public:
  CurlStream(const CurlLibrary& curl, const Settings& settings, const Request& request)
      : curl_(curl), request_(request) {
    easy_ = curl_.easy_init();
    multi_ = curl_.multi_init();
    configure(settings);
  }

  CurlStream(const CurlStream&) = delete;
  CurlStream& operator=(const CurlStream&) = delete;

  ~CurlStream() override {
    if (multi_ != nullptr && easy_ != nullptr) curl_.multi_remove_handle(multi_, easy_);
    if (easy_ != nullptr) curl_.easy_cleanup(easy_);
    if (multi_ != nullptr) curl_.multi_cleanup(multi_);
    if (headers_ != nullptr) curl_.slist_free_all(headers_);
    if (connect_to_ != nullptr) curl_.slist_free_all(connect_to_);
  }

  Status start() {
    if (easy_ == nullptr || multi_ == nullptr) return runtime_error("cannot initialise libcurl");
    curl_.multi_add_handle(multi_, easy_);
    auto pumped = pump([this] { return head_complete_; });
    if (!pumped) {
      // A missing or unreadable file:// target reads like an HTTP 404 or 403 to callers, an
      // offset beyond its end like a 416.
      long status = 0;
      if (is_file_url() && result_ == CURLE_FILE_COULDNT_READ_FILE) status = file_error_status();
      if (is_file_url() && result_ == CURLE_BAD_DOWNLOAD_RESUME) status = 416;
      if (status != 0) {
        head_complete_ = true;
        head_.status = status;
        head_.effective_url = request_.url;
        result_ = CURLE_OK;  // the empty body reads as complete
        return {};
      }
      return pumped;
    }
    if (!head_complete_) finish_head();
    return {};
  }

  [[nodiscard]] const Response& head() const override { return head_; }

  Result<std::string_view> read() override {
    current_.clear();
    if (pending_.empty() && !finished_) {
      if (paused_) {
        paused_ = false;
        curl_.easy_pause(easy_, CURLPAUSE_CONT);
      }
      auto pumped = pump([this] { return !pending_.empty(); });
      if (!pumped) return pumped.error();
    }
    if (pending_.empty() && finished_ && result_ != CURLE_OK) {
      return transfer_error(curl_, result_, request_.url, error_buffer_);
    }
    std::swap(current_, pending_);
    return std::string_view(current_);
  }

 private:
  template <typename Option, typename Value>
  void set(Option option, Value value) {
    curl_.easy_setopt(easy_, option, value);
  }

  void configure(const Settings& settings) {
    if (easy_ == nullptr) return;
    std::string url = request_.url;
    const auto& tls = request_.tls;
    if (!tls.server_name.empty()) {
      // Verify against tls-server-name but connect to the URL's host: rewrite the host part and
      // route the connection back with CONNECT_TO. Like kubectl, the Host header stays the URL's.
      const auto [start, end] = host_span(url);
      const auto authority = url.substr(start, end - start);
      const auto [host, port] = split_host_port(authority);
      url.replace(start, authority.size(), tls.server_name + (port.empty() ? "" : ":" + port));
      connect_to_ = curl_.slist_append(
          nullptr, (tls.server_name + ":" + port + ":" + host + ":" + port).c_str());
      set(CURLOPT_CONNECT_TO, connect_to_);
      headers_ = curl_.slist_append(headers_, ("Host: " + authority).c_str());
    }
    set(CURLOPT_URL, url.c_str());
    set(CURLOPT_NOSIGNAL, 1L);
    set(CURLOPT_ERRORBUFFER, error_buffer_);
    set(CURLOPT_USERAGENT, settings.user_agent.c_str());
    set(CURLOPT_PROTOCOLS_STR, "http,https,file");
    // An https request never follows a redirect to plain http: the manifest carries the
    // checksums, so a downgrade would let the network change both archives and checksums.
    set(CURLOPT_REDIR_PROTOCOLS_STR, url.starts_with("https://") ? "https" : "http,https");
    set(CURLOPT_FOLLOWLOCATION, request_.follow_redirects ? 1L : 0L);
    set(CURLOPT_MAXREDIRS, 10L);
    if (request_.accept_compressed) set(CURLOPT_ACCEPT_ENCODING, "");
    set(CURLOPT_BUFFERSIZE, kBufferSize);
    set(CURLOPT_CONNECTTIMEOUT_MS, request_.connect_timeout_ms);
    set(CURLOPT_TIMEOUT_MS, request_.timeout_ms);
    set(CURLOPT_LOW_SPEED_LIMIT, kStallBytesPerSecond);
    set(CURLOPT_LOW_SPEED_TIME, request_.stall_timeout_s);
    if (request_.method == "HEAD") {
      set(CURLOPT_NOBODY, 1L);
    } else if (request_.method != "GET") {
      set(CURLOPT_CUSTOMREQUEST, request_.method.c_str());
    }
    if (!request_.body.empty() || request_.method == "POST" || request_.method == "PUT" ||
        request_.method == "PATCH") {
      set(CURLOPT_POSTFIELDS, request_.body.data());
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
    }
    if (request_.resume_from > 0) {
      // CURLOPT_RANGE rather than CURLOPT_RESUME_FROM: libcurl fails a resumed transfer that gets a
      // 200, but a 200 is how a server answers a stale If-Range, and the caller restarts on it.
      range_ = std::to_string(request_.resume_from) + "-";
      set(CURLOPT_RANGE, range_.c_str());
    }
    for (const auto& [name, value] : request_.headers) {
      headers_ = curl_.slist_append(headers_, (name + ": " + value).c_str());
    }
    if (headers_ != nullptr) set(CURLOPT_HTTPHEADER, headers_);

    const auto proxy = request_.proxy_decided || !request_.proxy.empty() ? request_.proxy
                       : request_.url.starts_with("https://")            ? settings.https_proxy
                       : request_.url.starts_with("http://")             ? settings.http_proxy
                                                                         : std::string();
    proxy_ = proxy;  // "" turns libcurl's own reading of the proxy variables off
    no_proxy_ = request_.proxy_decided ? std::string() : settings.no_proxy;
    set(CURLOPT_PROXY, proxy_.c_str());
    set(CURLOPT_NOPROXY, no_proxy_.c_str());

    if (tls.insecure_skip_verify) {
      set(CURLOPT_SSL_VERIFYPEER, 0L);
      set(CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!tls.ca_pem.empty()) {
      curl_blob blob{const_cast<char*>(tls.ca_pem.data()), tls.ca_pem.size(), CURL_BLOB_COPY};
      set(CURLOPT_CAINFO_BLOB, &blob);
    } else if (!tls.ca_file.empty() || !settings.ca_bundle.empty()) {
      const auto& file = tls.ca_file.empty() ? settings.ca_bundle : tls.ca_file;
      set(CURLOPT_CAINFO, file.c_str());
      set(CURLOPT_PROXY_CAINFO, file.c_str());
    }
    if (!tls.client_cert_pem.empty()) {
      curl_blob blob{const_cast<char*>(tls.client_cert_pem.data()), tls.client_cert_pem.size(),
                     CURL_BLOB_COPY};
      set(CURLOPT_SSLCERT_BLOB, &blob);
      set(CURLOPT_SSLCERTTYPE, "PEM");
    } else if (!tls.client_cert_file.empty()) {
      set(CURLOPT_SSLCERT, tls.client_cert_file.c_str());
    }
    if (!tls.client_key_pem.empty()) {
      curl_blob blob{const_cast<char*>(tls.client_key_pem.data()), tls.client_key_pem.size(),
                     CURL_BLOB_COPY};
      set(CURLOPT_SSLKEY_BLOB, &blob);
      set(CURLOPT_SSLKEYTYPE, "PEM");
    } else if (!tls.client_key_file.empty()) {
      set(CURLOPT_SSLKEY, tls.client_key_file.c_str());
    }

    set(CURLOPT_HEADERFUNCTION, &CurlStream::on_header);
    set(CURLOPT_HEADERDATA, this);
    set(CURLOPT_WRITEFUNCTION, &CurlStream::on_body);
    set(CURLOPT_WRITEDATA, this);
  }

  // Runs the transfer until `done()` holds or the transfer ends.
  template <typename Predicate>
  Status pump(Predicate done) {
    while (!done() && !finished_) {
      int running = 0;
      const auto code = curl_.multi_perform(multi_, &running);
      if (code != CURLM_OK)
        return runtime_error(std::string("libcurl: ") + curl_.multi_strerror(code));
      int queued = 0;
      while (CURLMsg* message = curl_.multi_info_read(multi_, &queued)) {
        if (message->msg == CURLMSG_DONE) {
          finished_ = true;
          result_ = message->data.result;
        }
      }
      if (finished_) {
        if (result_ != CURLE_OK && pending_.empty() && !head_complete_) {
          return transfer_error(curl_, result_, request_.url, error_buffer_);
        }
        if (!head_complete_) finish_head();
        break;
      }
      if (done()) break;
      curl_.multi_poll(multi_, nullptr, 0, 1000, nullptr);  // a signal ends the wait early
      if (interrupted()) return interrupted_error();
    }
    return {};
  }

  void finish_head() {
    head_complete_ = true;
    long status = 0;
    curl_.easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
    head_.status = status;
    if (status == 0 && is_file_url()) {
      // libcurl honours ranges on files: report them as HTTP would, with the remaining length.
      head_.status = request_.resume_from > 0 ? 206 : 200;
      curl_off_t length = -1;
      curl_.easy_getinfo(easy_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
      if (length >= 0) {
        head_.headers["content-length"] = std::to_string(length);
        if (request_.resume_from > 0) {
          const auto end = request_.resume_from + static_cast<std::uint64_t>(length);
          head_.headers["content-range"] = "bytes " + std::to_string(request_.resume_from) + "-" +
                                           std::to_string(end - 1) + "/" + std::to_string(end);
        }
      }
    }
    char* effective = nullptr;
    curl_.easy_getinfo(easy_, CURLINFO_EFFECTIVE_URL, &effective);
    head_.effective_url = effective != nullptr ? effective : request_.url;
  }

  [[nodiscard]] bool is_file_url() const { return request_.url.starts_with("file://"); }

  // 404 when the file of a file:// URL does not exist, 403 when it cannot be read, else 0.
  [[nodiscard]] long file_error_status() const {
    const auto path = file_url_path(request_.url);
    if (::access(path.c_str(), F_OK) != 0) return errno == ENOENT || errno == ENOTDIR ? 404 : 0;
    return ::access(path.c_str(), R_OK) != 0 ? 403 : 0;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self_ptr) {
    auto& self = *static_cast<CurlStream*>(self_ptr);
    const std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
      self.head_.headers.clear();  // a new response (after a redirect or 100 Continue)
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      self.head_.headers[to_lower(trim(line.substr(0, colon)))] =
          std::string(trim(line.substr(colon + 1)));
    }
    return size * count;
  }

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self_ptr) {
    auto& self = *static_cast<CurlStream*>(self_ptr);
    const auto length = size * count;
    if (!self.head_complete_) self.finish_head();
    // libcurl cannot pause a file:// transfer (it fails it instead) and delivers a local file in
    // one go, so only network transfers are paused.
    if (!self.pending_.empty() && self.pending_.size() + length > kPendingLimit &&
        !self.is_file_url()) {
      self.paused_ = true;
      return CURL_WRITEFUNC_PAUSE;
    }
    self.pending_.append(data, length);
    return length;
  }

  const CurlLibrary& curl_;
  Request request_;
  CURL* easy_ = nullptr;
  CURLM* multi_ = nullptr;
  curl_slist* headers_ = nullptr;
  curl_slist* connect_to_ = nullptr;
  std::string proxy_;
  std::string no_proxy_;
  std::string range_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
  Response head_;
  bool head_complete_ = false;
  bool finished_ = false;
  bool paused_ = false;
  CURLcode result_ = CURLE_OK;
  std::string pending_;
  std::string current_;
};

}  // namespace

std::string Response::header(const std::string& lower_case_name) const {
  const auto found = headers.find(lower_case_name);
  return found == headers.end() ? std::string() : found->second;
}

Settings Settings::from_environment(const Environment& environment, const Platform& platform) {
  const auto first = [&](std::initializer_list<const char*> names) {
    for (const char* name : names) {
      if (auto value = environment.get(name)) return *value;
    }
    return std::string();
  };
  Settings settings;
  settings.ca_bundle = first({"GETMESH_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"});
  if (settings.ca_bundle.empty()) settings.ca_bundle = platform.default_ca_bundle();
  settings.http_proxy = first({"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"});
  settings.https_proxy = first({"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"});
  settings.no_proxy = first({"no_proxy", "NO_PROXY"});
  return settings;
}

Result<std::unique_ptr<Stream>> Client::open(const Request& request) const {
  auto curl = CurlLibrary::get();
  if (!curl) return curl.error();
  auto stream = std::make_unique<CurlStream>(**curl, settings_, request);
  if (auto started = stream->start(); !started) return started.error();
  return std::unique_ptr<Stream>(std::move(stream));
}

Result<Response> Client::send(const Request& request) const {
  auto stream = open(request);
  if (!stream) return stream.error();
  Response response = (*stream)->head();
  while (true) {
    auto chunk = (*stream)->read();
    if (!chunk) return chunk.error();
    if (chunk->empty()) break;
    if (response.body.size() + chunk->size() > request.max_body_bytes) {
      return runtime_error("the response from " + request.url + " is larger than " +
                           std::to_string(request.max_body_bytes >> 20) + " MiB");
    }
    response.body.append(*chunk);
  }
  return response;
}

bool is_retryable_status(long status) { return status == 408 || status == 429 || status >= 500; }

std::string redact_url(std::string_view url) {
  const auto [start, end] = host_span(url);
  const auto scheme_end = url.find("://");
  const auto userinfo_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto userinfo = url.substr(userinfo_start, start - userinfo_start);
  const auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, userinfo_start + colon + 1)) + "xxxxx@" +
         std::string(url.substr(start));
}

std::string describe_status(long status) {
  static const std::pair<long, const char*> kReasons[] = {{400, "Bad Request"},
                                                          {401, "Unauthorized"},
                                                          {403, "Forbidden"},
                                                          {404, "Not Found"},
                                                          {408, "Request Timeout"},
                                                          {409, "Conflict"},
                                                          {410, "Gone"},
                                                          {416, "Range Not Satisfiable"},
                                                          {422, "Unprocessable Entity"},
                                                          {429, "Too Many Requests"},
                                                          {500, "Internal Server Error"},
                                                          {502, "Bad Gateway"},
                                                          {503, "Service Unavailable"},
                                                          {504, "Gateway Timeout"}};
  std::string text = "HTTP " + std::to_string(status);
  for (const auto& [code, reason] : kReasons) {
    if (code == status) return text + " " + reason;
  }
  return text;
}

}  // namespace getmesh::net
