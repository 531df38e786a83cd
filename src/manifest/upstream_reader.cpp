#include "manifest/upstream_reader.hpp"

#include <getmesh/core/log.hpp>
#include <getmesh/core/strings.hpp>

#include <algorithm>
#include <chrono>
#include <set>

namespace getmesh::manifest {

namespace {

using Clock = std::chrono::steady_clock;
using Outcome = std::variant<UpstreamAnswer, UpstreamFailure>;

constexpr const char* kReleasesPath = "/repos/istio/istio/releases?per_page=100";
constexpr std::size_t kMaxPageBytes = 32u << 20;
constexpr int kMaxPages = 50;
constexpr std::int64_t kDefaultRetrySeconds = 60;

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "https://host:port" of a URL.
std::string origin_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return {};
  return url.substr(0, url.find_first_of("/?#", scheme_end + 3));
}

bool is_loopback(const std::string& origin) {
  for (const std::string_view host : {"://127.0.0.1", "://localhost", "://[::1]"}) {
    const auto at = origin.find(host);
    if (at != std::string::npos) {
      const auto rest = std::string_view(origin).substr(at + host.size());
      if (rest.empty() || rest.front() == ':') return true;
    }
  }
  return false;
}

UpstreamFailure unreachable(std::string reason) {
  return {UpstreamFailure::Kind::kUnreachable, std::move(reason), 0};
}

UpstreamFailure bad_answer(std::string reason) {
  return {UpstreamFailure::Kind::kBadAnswer, std::move(reason), 0};
}

struct Page {
  net::Response head;
  std::string body;
};

class Reader {
 public:
  Reader(const CatalogSettings& settings, const net::Client& http)
      : settings_(settings),
        http_(http),
        origin_(origin_of(settings.api_url)),
        deadline_(Clock::now() + std::chrono::milliseconds(settings.timeout_ms)),
        send_token_(!settings.token.empty() &&
                    (settings.api_url.starts_with("https://") || is_loopback(origin_))) {}

  Outcome run(const std::string& etag) {
    if (!settings_.token.empty() && !send_token_) {
      log::debug("catalogue: the token is not sent to " + origin_ + " (not https)");
    }
    UpstreamAnswer answer;
    std::vector<UpstreamRelease> releases;
    std::set<std::string> seen_urls;
    std::string url = settings_.api_url + kReleasesPath;
    for (int page_number = 1;; ++page_number) {
      if (page_number > kMaxPages || !seen_urls.insert(url).second) {
        return bad_answer("the pages of " + settings_.api_url + kReleasesPath +
                          " do not end (page " + std::to_string(page_number) + ")");
      }
      auto fetched = get(url, page_number == 1 ? etag : std::string());
      if (auto* failure = std::get_if<UpstreamFailure>(&fetched)) return *failure;
      const auto& page = std::get<Page>(fetched);
      const auto status = page.head.status;
      if (status == 304 && page_number == 1 && !etag.empty()) {
        answer.not_modified = true;
        return answer;
      }
      if (auto limited = rate_limit(page.head)) return *limited;
      if (status == 401) {
        return bad_answer(url + " answered " + net::describe_status(status) +
                          ": the token in GITHUB_TOKEN/GH_TOKEN was rejected");
      }
      if (status != 200) return bad_answer(url + " answered " + net::describe_status(status));
      auto parsed = parse_releases_page(page.body, url);
      if (!parsed) return bad_answer(parsed.error().message);
      if (page_number == 1) answer.etag = page.head.header("etag");
      std::move(parsed->begin(), parsed->end(), std::back_inserter(releases));

      const auto next = next_page_url(page.head.header("link"));
      if (!next) break;
      if (origin_of(*next) != origin_) {
        return bad_answer(url + " links its next page on another host: " + *next);
      }
      url = *next;
    }
    answer.releases = reduce(std::move(releases));
    if (answer.releases.empty()) {
      return bad_answer(settings_.api_url + kReleasesPath +
                        " lists no release with an istioctl archive");
    }
    return answer;
  }

 private:
  [[nodiscard]] long remaining_ms() const {
    return static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count());
  }

  [[nodiscard]] UpstreamFailure too_slow() const {
    return unreachable(settings_.api_url + " did not answer within " +
                       std::to_string(settings_.timeout_ms) + " ms");
  }

  std::variant<Page, UpstreamFailure> get(const std::string& url, const std::string& etag) const {
    const auto remaining = remaining_ms();
    if (remaining <= 0) return too_slow();
    net::Request request;
    request.url = url;
    request.connect_timeout_ms = remaining;
    request.timeout_ms = remaining;
    request.accept_compressed = true;
    request.headers = {{"Accept", "application/vnd.github+json"},
                       {"X-GitHub-Api-Version", "2022-11-28"}};
    if (send_token_) request.headers.emplace_back("Authorization", "Bearer " + settings_.token);
    if (!etag.empty()) request.headers.emplace_back("If-None-Match", etag);
    log::debug("catalogue: GET " + url + (etag.empty() ? "" : " (If-None-Match " + etag + ")") +
               (send_token_ ? " with the token" : ""));

    auto stream = http_.open(request);
    if (!stream) {
      if (remaining_ms() <= 0) return too_slow();
      return unreachable(stream.error().message);
    }
    Page page{(*stream)->head(), {}};
    log::debug("catalogue: -> " + net::describe_status(page.head.status));
    while (true) {
      auto chunk = (*stream)->read();
      if (!chunk) {
        if (remaining_ms() <= 0) return too_slow();
        return bad_answer("the answer from " + url + " was cut off (" + chunk.error().message +
                          ")");
      }
      if (chunk->empty()) break;
      if (page.body.size() + chunk->size() > kMaxPageBytes) {
        return bad_answer("the answer from " + url + " is larger than " +
                          std::to_string(kMaxPageBytes >> 20) + " MiB");
      }
      page.body.append(*chunk);
    }
    return page;
  }

  // 403 or 429 with no requests left, or with Retry-After (a secondary limit).
  static std::optional<UpstreamFailure> rate_limit(const net::Response& head) {
    if (head.status != 403 && head.status != 429) return std::nullopt;
    const auto remaining = head.header("x-ratelimit-remaining");
    const auto retry_after = parse_non_negative(head.header("retry-after"));
    if (remaining != "0" && !retry_after) return std::nullopt;
    std::int64_t retry_at = now_seconds() + kDefaultRetrySeconds;
    if (retry_after) {
      retry_at = now_seconds() + *retry_after;
    } else if (auto reset = parse_non_negative(head.header("x-ratelimit-reset"))) {
      retry_at = *reset;
    }
    return UpstreamFailure{UpstreamFailure::Kind::kRateLimited,
                           net::describe_status(head.status) + " rate limited", retry_at};
  }

  // Each tag once; prereleases only while their version is not released; newest first.
  static std::vector<UpstreamRelease> reduce(std::vector<UpstreamRelease> releases) {
    std::set<Version> released;
    for (const auto& release : releases) {
      if (!release.prerelease) released.insert(release.version);
    }
    std::set<std::string> tags;
    std::vector<UpstreamRelease> kept;
    for (auto& release : releases) {
      if (release.prerelease && released.contains(release.version)) continue;
      if (tags.insert(release.tag).second) kept.push_back(std::move(release));
    }
    std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
      if (a.version != b.version) return a.version > b.version;
      if (a.prerelease != b.prerelease) return !a.prerelease;
      return a.published > b.published;
    });
    return kept;
  }

  const CatalogSettings& settings_;
  const net::Client& http_;
  std::string origin_;
  Clock::time_point deadline_;
  bool send_token_;
};

}  // namespace

std::variant<UpstreamAnswer, UpstreamFailure> read_upstream(const CatalogSettings& settings,
                                                            const net::Client& http,
                                                            const std::string& etag) {
  return Reader(settings, http).run(etag);
}

}  // namespace getmesh::manifest
