#include "manifest/upstream_reader.hpp"

#include "manifest/clock.hpp"
#include "manifest/page_parser.hpp"
#include "manifest/token_policy.hpp"

#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/manifest/limits.hpp>

#include <algorithm>

namespace getmesh::manifest {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kReleasesPath = "/repos/istio/istio/releases?per_page=100";

// "https://host:port" of a URL.
std::string origin_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return {};
  return url.substr(0, url.find_first_of("/?#", scheme_end + 3));
}

constexpr int kMaxRedirects = 5;

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Where a Location header points, from `url`: absolute, or a path on the same origin.
std::optional<std::string> redirect_target(const std::string& url, const std::string& location) {
  if (location.empty() || location.find_first_of("\t\r\n ") != std::string::npos) {
    return std::nullopt;
  }
  if (location.find("://") != std::string::npos) return location;
  if (!location.starts_with("/") || location.starts_with("//")) return std::nullopt;
  return origin_of(url) + location;
}

// Whether two URLs name the same server (scheme, host and port, parsed).
bool same_server(const std::string& a, const std::string& b) {
  const auto first = parse_authority(a);
  const auto second = parse_authority(b);
  return first && second && !second->has_userinfo && first->origin() == second->origin();
}

UpstreamFailure unreachable(std::string reason) {
  return {UpstreamFailure::Kind::kUnreachable, std::move(reason), 0};
}

UpstreamFailure bad_answer(std::string reason) {
  return {UpstreamFailure::Kind::kBadAnswer, std::move(reason), 0};
}

}  // namespace

std::int64_t retry_time(const net::Response& head, std::int64_t now) {
  std::int64_t wait = kDefaultRateLimitRetrySeconds;
  if (auto after = parse_non_negative(head.header("retry-after"))) {
    wait = *after;
  } else if (auto reset = parse_non_negative(head.header("x-ratelimit-reset")); reset) {
    wait = *reset > now ? *reset - now : kDefaultRateLimitRetrySeconds;
  }
  return now + std::clamp<std::int64_t>(wait, 0, kMaxRetryWaitSeconds);
}

namespace {

// 403 or 429 with no requests left, or with Retry-After (a secondary limit).
std::optional<UpstreamFailure> rate_limit(const net::Response& head) {
  if (head.status != 403 && head.status != 429) return std::nullopt;
  const auto remaining = head.header("x-ratelimit-remaining");
  const auto retry_after = parse_non_negative(head.header("retry-after"));
  if (remaining != "0" && !retry_after) return std::nullopt;
  return UpstreamFailure{UpstreamFailure::Kind::kRateLimited,
                         net::describe_status(head.status) + " rate limited",
                         retry_time(head, now_seconds())};
}

}  // namespace

UpstreamReader::UpstreamReader(const CatalogSettings& settings, const net::Client& http)
    : settings_(settings),
      http_(http),
      origin_(origin_of(settings.api_url)),
      deadline_(Clock::now() + std::chrono::milliseconds(settings.timeout_ms)),
      send_token_(!settings.token.empty() && may_send_token(settings.api_url)) {
  if (!settings.token.empty() && !send_token_) {
    log::debug("catalogue: the token is not sent to " + escape_control(origin_) +
               " (not https, not loopback, or with userinfo)");
  }
}

Result<std::unique_ptr<net::Stream>> UpstreamReader::open(net::Request request) const {
  // Redirects are followed here, not by curl, so the token never follows one to another server.
  bool with_token = send_token_;
  for (int hop = 0;; ++hop) {
    auto headers = request.headers;
    if (with_token) headers.emplace_back("Authorization", "Bearer " + settings_.token);
    net::Request attempt = request;
    attempt.headers = std::move(headers);
    attempt.follow_redirects = false;
    log::debug("catalogue: GET " + escape_control(attempt.url) +
               (with_token ? " with the token" : ""));
    auto stream = http_.open(attempt);
    if (!stream || !is_redirect((*stream)->head().status) || hop == kMaxRedirects) return stream;
    auto target = redirect_target(request.url, (*stream)->head().header("location"));
    if (!target) return stream;
    if (!same_server(request.url, *target)) with_token = false;
    log::debug("catalogue: redirected to " + escape_control(*target) +
               (with_token ? "" : " (the token is not sent there)"));
    request.url = std::move(*target);
  }
}

std::string UpstreamReader::first_page_url() const { return settings_.api_url + kReleasesPath; }

bool UpstreamReader::time_left() const { return remaining_ms() > 0; }

long UpstreamReader::remaining_ms() const {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count());
}

UpstreamFailure UpstreamReader::too_slow() const {
  return unreachable(settings_.api_url + " did not answer within " +
                     std::to_string(settings_.timeout_ms) + " ms");
}

std::variant<UpstreamPage, UpstreamFailure> UpstreamReader::read(const std::string& url,
                                                                 const std::string& etag) const {
  const auto remaining = remaining_ms();
  if (remaining <= 0) return too_slow();
  net::Request request;
  request.url = url;
  request.connect_timeout_ms = remaining;
  request.timeout_ms = remaining;
  request.accept_compressed = true;
  request.headers = {{"Accept", "application/vnd.github+json"},
                     {"X-GitHub-Api-Version", "2022-11-28"}};
  if (!etag.empty()) request.headers.emplace_back("If-None-Match", etag);

  auto stream = open(std::move(request));
  if (!stream) {
    if (remaining_ms() <= 0) return too_slow();
    return unreachable(stream.error().message);
  }
  const auto head = (*stream)->head();
  log::debug("catalogue: -> " + net::describe_status(head.status));

  UpstreamPage page;
  page.etag = head.header("etag");
  if (page.etag.find_first_of("\t\r\n") != std::string::npos) page.etag.clear();
  if (head.status == 304 && !etag.empty()) {
    page.not_modified = true;
    return page;
  }
  if (auto limited = rate_limit(head)) return *limited;
  if (head.status == 401) {
    return bad_answer(url + " answered " + net::describe_status(head.status) +
                      ": the token in GITHUB_TOKEN/GH_TOKEN was rejected");
  }
  if (head.status != 200) return bad_answer(url + " answered " + net::describe_status(head.status));
  std::size_t received = 0;
  std::optional<UpstreamFailure> cut_short;
  const PageChunks chunks = [&]() -> Result<std::string_view> {
    auto chunk = (*stream)->read();
    if (!chunk) {
      cut_short = remaining_ms() <= 0 ? too_slow()
                                      : bad_answer("the answer from " + url + " was cut off (" +
                                                   chunk.error().message + ")");
      return chunk.error();
    }
    received += chunk->size();
    if (received > kMaxCatalogPageBytes) {
      cut_short = bad_answer("the answer from " + url + " is larger than " +
                             std::to_string(kMaxCatalogPageBytes >> 20) + " MiB");
      return runtime_error(cut_short->reason);
    }
    return *chunk;
  };
  auto releases = parse_releases_page(chunks, url);
  if (cut_short) return *cut_short;
  if (!releases) return bad_answer(releases.error().message);
  page.releases = std::move(*releases);
  if (auto next = next_page_url(head.header("link"))) {
    if (origin_of(*next) != origin_ || next->find_first_of("\t\r\n ") != std::string::npos) {
      return bad_answer(url + " links its next page on another host: " + *next);
    }
    page.next_url = std::move(*next);
  }
  return page;
}

}  // namespace getmesh::manifest
