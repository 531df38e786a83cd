#include "download/expected_checksum.hpp"
#include "download/extractor.hpp"
#include "download/partial.hpp"
#include "download/resumable_download.hpp"
#include "download/staging.hpp"

#include <getmesh/download/install.hpp>
#include <getmesh/store/lock.hpp>

#include <filesystem>

namespace getmesh::download {

namespace {

void say(const std::function<void(std::string_view)>& sink, const std::string& text) {
  if (sink) sink(text);
}

Error missing_checksum(const DistributionName& name, const Plan& plan) {
  return runtime_error(
      "refusing to install " + name.to_string() + ": no checksum to verify " + plan.url +
          " (the manifest has none" +
          (plan.checksum_url.empty() ? "" : " and " + plan.checksum_url + " does not exist") + ")",
      "publish a .sha256 file beside the archive or a sha256 in the manifest, or drop "
      "--require-checksum (require_checksum in config.json)");
}

struct Attempt {
  Result<Outcome> outcome;
  bool resumed = false;  // the failed download had continued earlier bytes
};

// One download: stream, extract and hash, then commit when the digest matches.
Attempt download_once(const store::Home& home, const DistributionName& name, const Plan& plan,
                      const net::Client& http, const Options& options,
                      const std::optional<ExpectedChecksum>& expected) {
  const auto partial = PartialFiles::of(home, name);
  auto staging = Staging::create(home, name);
  if (!staging) return {staging.error()};
  ResumableDownload source(http, plan.url, partial, options.retry, options.progress);
  while (true) {
    auto extracted = extract_istioctl(source, staging->istioctl(), plan.url);
    if (extracted) break;
    if (source.restart_pending()) {  // the server sent the archive from the start again
      std::error_code ignored;
      std::filesystem::remove(staging->istioctl(), ignored);
      continue;
    }
    // A network failure keeps the bytes so far for the next run; anything else makes them useless.
    if (!extracted.error().transient) partial.remove();
    return {extracted.error()};
  }
  const auto actual = source.digest();
  if (expected && actual != expected->sha256) {
    partial.remove();
    return {checksum_mismatch(plan, *expected, actual, "nothing was installed"), source.resumed()};
  }
  store::InstallRecord record{plan.url, actual, expected.has_value(),
                              expected ? expected->sources : std::vector<std::string>()};
  if (auto finished = staging->finish(record); !finished) return {finished.error()};
  if (auto committed = staging->commit(home, name); !committed) return {committed.error()};
  partial.remove();
  return {Outcome{false, record}};
}

}  // namespace

Result<Outcome> install(const store::Home& home, const DistributionName& name, const Plan& plan,
                        const net::Client& http, const Options& options) {
  auto lock = store::FileLock::acquire(home.locks_dir() / (name.to_string() + ".lock"), [&] {
    say(options.note, "waiting for another getmesh that is fetching " + name.to_string());
  });
  if (!lock) return lock.error();
  if (store::is_installed(home, name)) {
    Outcome outcome{true, {}};
    outcome.record =
        store::read_install_record(home.distribution_dir(name)).value_or(outcome.record);
    return outcome;
  }
  Staging::remove_leftovers(home, name);

  auto expected = expected_checksum(plan, http, options.retry);
  if (!expected) return expected.error();
  if (!*expected) {
    if (options.require_checksum) return missing_checksum(name, plan);
    say(options.warn,
        "NO CHECKSUM for " + plan.url +
            (plan.checksum_url.empty() ? "" : " (" + plan.checksum_url + " does not exist)") +
            ": " + name.to_string() +
            " will be installed UNVERIFIED; use --require-checksum to refuse this");
  }
  auto attempt = download_once(home, name, plan, http, options, *expected);
  if (!attempt.outcome && attempt.resumed) {
    // The resumed bytes may be stale; the partial file is gone, so this starts from scratch.
    say(options.note, attempt.outcome.error().message + "; downloading it again from the start");
    attempt = download_once(home, name, plan, http, options, *expected);
  }
  return attempt.outcome;
}

}  // namespace getmesh::download
