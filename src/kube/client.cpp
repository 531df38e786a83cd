#include "kube/api_error.hpp"
#include "kube/pem.hpp"
#include "kube/proxy.hpp"

#include <getmesh/core/base64.hpp>
#include <getmesh/core/fs.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/client.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <unordered_set>

namespace getmesh::kube {

namespace {

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded.push_back(c);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[byte >> 4]);
      encoded.push_back(kHex[byte & 0x0F]);
    }
  }
  return encoded;
}

// The number a version field starts with ("32" of "32+"); 0 when there is none or it is absurd.
long leading_number(const std::string& text) {
  long value = 0;
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) break;
    value = value * 10 + (c - '0');
    if (value > 1'000'000) return 0;
  }
  return value;
}

Result<nlohmann::json> parse_body(const net::Response& response, const std::string& path,
                                  const RestConfig& config) {
  auto document = nlohmann::json::parse(response.body, nullptr, false);
  if (document.is_discarded()) {
    return runtime_error("the API server of " + config.describe() + " answered " + path +
                             " with something that is not JSON",
                         "check that the server URL points at a Kubernetes API server and not at "
                         "a web page or proxy");
  }
  return document;
}

// Servers that do not know the metadata-only form fall back to plain JSON.
constexpr const char* kMetadataOnly =
    "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

}  // namespace

std::string ServerVersion::minor_string() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string resource_path(const std::string& group_version, const std::string& resource,
                          const std::string& namespace_name, const std::string& name) {
  std::string path =
      group_version.empty() || group_version == "v1" ? "/api/v1" : "/apis/" + group_version;
  if (!namespace_name.empty()) path += "/namespaces/" + namespace_name;
  path += "/" + resource;
  if (!name.empty()) path += "/" + name;
  return path;
}

// Credentials of an exec plugin, shared by the copies of a client (and its threads).
struct ExecSession {
  ExecPlugin plugin;
  RestConfig config;  // for the plugin's KUBERNETES_EXEC_INFO and messages
  Environment environment;
  std::mutex mutex;
  ExecCredential credential;
  int generation = 0;                // counts the plugin's runs
  bool refreshed_after_401 = false;  // a 401 re-runs the plugin once per client

  // The current credential, renewed when it has expired.
  Result<std::pair<ExecCredential, int>> current() {
    std::lock_guard lock(mutex);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (generation == 0 || (credential.expires && now >= *credential.expires)) {
      auto fresh = run_exec_plugin(plugin, config, environment);
      if (!fresh) return fresh.error();
      credential = std::move(*fresh);
      ++generation;
    }
    return std::pair{credential, generation};
  }

  // After a 401 with the credential of run `seen`, runs the plugin again (once per client).
  void renew_after_401(int seen) {
    std::lock_guard lock(mutex);
    if (generation != seen || refreshed_after_401) return;  // renewed already
    refreshed_after_401 = true;
    auto fresh = run_exec_plugin(plugin, config, environment);
    if (!fresh) {
      log::debug("renewing the credentials after a 401 failed: " + fresh.error().message);
      return;
    }
    credential = std::move(*fresh);
    ++generation;
  }
};

namespace {

// `Impersonate-Extra-<key>`: the key %-encoded where a header name cannot hold it, as client-go.
std::string extra_header(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr std::string_view kTokenPunctuation = "!#$&'*+-.^_`|~";
  std::string name = "Impersonate-Extra-";
  for (const char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || kTokenPunctuation.find(c) != std::string_view::npos) {
      name.push_back(c);
    } else {
      name.push_back('%');
      name.push_back(kHex[byte >> 4]);
      name.push_back(kHex[byte & 0x0F]);
    }
  }
  return name;
}

}  // namespace

Result<Client> Client::connect(RestConfig config, net::Client http, const Environment& environment,
                               ClientOptions options) {
  if (!config.token_file.empty()) {
    auto token = read_file(config.token_file);
    if (!token) {
      return runtime_error("cannot read the token file " + config.token_file + " of user " +
                               quote(config.user) + " (users[].user.tokenFile in " +
                               config.user_file.string() + "): " + token.error().message,
                           "fix tokenFile in the kubeconfig");
    }
    config.token = std::string(trim(*token));
  }
  std::shared_ptr<ExecSession> exec;
  // kubectl runs the plugin only for a user without credentials of its own.
  const bool own_credentials = !config.token.empty() || !config.username.empty() ||
                               !config.password.empty() || !config.tls.client_cert_pem.empty();
  if (config.exec && !own_credentials) {
    exec = std::make_shared<ExecSession>();
    exec->plugin = *config.exec;
    exec->config = config;
    exec->environment = environment;
    if (auto first = exec->current(); !first) return first.error();
  }
  auto proxy = proxy_for(config.server, config.proxy, environment);
  return Client(std::move(config), std::move(http), options, std::move(proxy), std::move(exec));
}

Result<net::Request> Client::make_request(const std::string& method, const std::string& path,
                                          const std::string& body, long timeout_ms,
                                          const std::string& accept,
                                          const std::string& content_type, int& generation) const {
  net::Request request;
  request.method = method;
  request.url = config_.server + path;
  request.headers.emplace_back("Accept", accept);
  if (!body.empty()) request.headers.emplace_back("Content-Type", content_type);
  request.tls = config_.tls;
  std::string token = config_.token;
  if (exec_) {
    auto credential = exec_->current();
    if (!credential) return credential.error();
    token = credential->first.token;
    generation = credential->second;
    if (!credential->first.client_certificate_pem.empty()) {
      request.tls.client_cert_pem = credential->first.client_certificate_pem;
      request.tls.client_key_pem = credential->first.client_key_pem;
    }
  }
  // As with kubectl (Go's HTTP client sets it first), user:password@ in the server URL wins over
  // the user's credentials: libcurl sends it as basic auth when no Authorization header is set.
  const auto authority = config_.server.substr(0, config_.server.find('/', 8));
  const bool url_credentials = authority.find('@') != std::string::npos;
  if (!url_credentials && !token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + token);
  } else if (!url_credentials && (!config_.username.empty() || !config_.password.empty())) {
    request.headers.emplace_back(
        "Authorization", "Basic " + base64_encode(config_.username + ":" + config_.password));
  }
  if (!config_.impersonate.empty()) {
    request.headers.emplace_back("Impersonate-User", config_.impersonate);
    if (!config_.impersonate_uid.empty())
      request.headers.emplace_back("Impersonate-Uid", config_.impersonate_uid);
    for (const auto& group : config_.impersonate_groups)
      request.headers.emplace_back("Impersonate-Group", group);
    for (const auto& [key, values] : config_.impersonate_extra) {
      for (const auto& value : values) request.headers.emplace_back(extra_header(key), value);
    }
  }
  request.body = body;
  request.connect_timeout_ms = options_.connect_timeout_ms;
  request.timeout_ms = timeout_ms;
  request.follow_redirects = false;
  request.proxy = proxy_;
  request.proxy_decided = true;
  return request;
}

Result<net::Response> Client::send(const std::string& method, const std::string& path,
                                   const std::string& body, long timeout_ms,
                                   const std::string& accept,
                                   const std::string& content_type) const {
  int generation = 0;
  auto request = make_request(method, path, body, timeout_ms, accept, content_type, generation);
  if (!request) return request.error();
  log::debug(method + " " + net::redact_url(request->url));
  auto response = http_.send(*request);
  // Like kubectl, a 401 renews an exec plugin's credential (once) for the requests that follow;
  // this one fails.
  if (response && response->status == 401 && exec_) exec_->renew_after_401(generation);
  if (!response) return transport_error(response.error(), config_);
  log::debug("-> " + net::describe_status(response->status));
  return response;
}

Result<nlohmann::json> Client::call(const std::string& method, const std::string& path,
                                    const std::string& body, const std::string& accept,
                                    const std::string& content_type) const {
  auto response = send(method, path, body, options_.request_timeout_ms, accept, content_type);
  if (!response) return response.error();
  if (response->status < 200 || response->status > 299) {
    return status_error(*response, method, path, config_);
  }
  return parse_body(*response, path, config_);
}

Result<nlohmann::json> Client::get(const std::string& path) const { return call("GET", path, {}); }

Result<std::optional<nlohmann::json>> Client::get_if_exists(const std::string& path) const {
  auto response = send("GET", path, {}, options_.request_timeout_ms);
  if (!response) return response.error();
  if (response->status == 404) return std::optional<nlohmann::json>();
  if (response->status < 200 || response->status > 299) {
    return status_error(*response, "GET", path, config_);
  }
  auto document = parse_body(*response, path, config_);
  if (!document) return document.error();
  return std::optional<nlohmann::json>(std::move(*document));
}

Result<std::vector<nlohmann::json>> Client::list(const std::string& path,
                                                 const ListOptions& options) const {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + options.deadline;
  const auto stop = [&](const std::string& why) {
    return runtime_error("stopped listing " + path + " on " + config_.describe() + ": " + why,
                         "the API server or a proxy in front of it is misbehaving; ask its "
                         "administrator, or narrow the request (--namespace, a label selector)");
  };
  const auto out_of_time = [&] {
    return stop("the list did not finish within " + describe_duration(options.deadline));
  };
  std::vector<nlohmann::json> items;
  std::unordered_set<std::string> seen_tokens;
  std::string continue_token;
  std::size_t bytes = 0;
  for (std::size_t pages = 0;; ++pages) {
    if (pages == options.max_pages) {
      return stop("the server kept sending more than " + std::to_string(options.max_pages) +
                  " pages");
    }
    // Rounded up, so a request cut short by the deadline ends at or after it and is reported as
    // the list running out of time, not as a slow server.
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return out_of_time();  // `left` is long on Linux, long long on macOS
    std::string query = "?limit=" + std::to_string(options.page_size);
    if (!options.label_selector.empty())
      query += "&labelSelector=" + url_encode(options.label_selector);
    if (!options.field_selector.empty())
      query += "&fieldSelector=" + url_encode(options.field_selector);
    if (!continue_token.empty()) query += "&continue=" + url_encode(continue_token);
    const long timeout_ms = std::min<long>(left, options_.request_timeout_ms);
    const auto sent = Clock::now();
    auto response =
        send("GET", path + query, {}, timeout_ms, options.metadata_only ? kMetadataOnly : kJson);
    // A request whose timeout was the list's remaining time and that failed at about that time ran
    // out of the list's time (libcurl may end a transfer a few milliseconds before its timeout).
    const bool at_timeout = Clock::now() - sent + std::chrono::milliseconds(20) >=
                            std::chrono::milliseconds(timeout_ms);
    if (!response && (Clock::now() >= deadline || (timeout_ms == left && at_timeout)))
      return out_of_time();
    if (!response) return response.error();
    if (response->status < 200 || response->status > 299) {
      return status_error(*response, "GET", path + query, config_);
    }
    bytes += response->body.size();
    if (bytes > options.max_bytes) {
      return stop("its pages hold more than " + std::to_string(options.max_bytes >> 20) +
                  " MiB after " + std::to_string(items.size()) + " items in " +
                  std::to_string(pages + 1) + " pages");
    }
    auto page = parse_body(*response, path, config_);
    if (!page) return page.error();
    if (!page->contains("items") || !(*page)["items"].is_array()) {
      if (page->contains("items") && (*page)["items"].is_null()) break;  // an empty list
      return runtime_error("the API server of " + config_.describe() + " answered " + path +
                           " with a document that is not a list");
    }
    if (items.size() + (*page)["items"].size() > options.max_items) {
      return stop("it holds more than " + std::to_string(options.max_items) + " items");
    }
    for (auto& item : (*page)["items"]) items.push_back(std::move(item));
    continue_token.clear();
    if (page->contains("metadata") && (*page)["metadata"].is_object() &&
        (*page)["metadata"].contains("continue") && (*page)["metadata"]["continue"].is_string()) {
      continue_token = (*page)["metadata"]["continue"].get<std::string>();
    }
    if (continue_token.empty()) break;
    if (!seen_tokens.insert(continue_token).second) {
      return stop("the server sent the same continue token twice, so the list would never end");
    }
  }
  return items;
}

Result<nlohmann::json> Client::create(const std::string& path, const nlohmann::json& object) const {
  return call("POST", path, object.dump());
}

Result<nlohmann::json> Client::replace(const std::string& path,
                                       const nlohmann::json& object) const {
  return call("PUT", path, object.dump());
}

Result<nlohmann::json> Client::patch(const std::string& path, const nlohmann::json& patch,
                                     PatchType type) const {
  const char* content_type = type == PatchType::kMerge ? "application/merge-patch+json"
                                                       : "application/strategic-merge-patch+json";
  return call("PATCH", path, patch.dump(), kJson, content_type);
}

Status Client::remove(const std::string& path) const {
  auto response = send("DELETE", path, {}, options_.request_timeout_ms);
  if (!response) return response.error();
  if (response->status == 404 || (response->status >= 200 && response->status <= 299)) return {};
  return status_error(*response, "DELETE", path, config_);
}

Result<ServerVersion> Client::server_version(long timeout_ms) const {
  auto response = send("GET", "/version", {}, timeout_ms);
  if (!response) return response.error();
  if (response->status < 200 || response->status > 299) {
    return status_error(*response, "GET", "/version", config_);
  }
  auto document = parse_body(*response, "/version", config_);
  if (!document) return document.error();
  ServerVersion version;
  if (document->is_object()) {
    version.git_version = document->value("gitVersion", "");
    version.major = leading_number(document->value("major", ""));
    version.minor = leading_number(document->value("minor", ""));
  }
  if (version.major == 0 && version.git_version.starts_with("v")) {
    const auto parts = split(version.git_version.substr(1), '.');
    if (parts.size() >= 2) {
      version.major = leading_number(parts[0]);
      version.minor = leading_number(parts[1]);
    }
  }
  if (version.major == 0) {
    return runtime_error("the API server of " + config_.describe() +
                         " did not say its version in /version");
  }
  return version;
}

}  // namespace getmesh::kube
