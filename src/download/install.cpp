#include "download/archive_presence.hpp"
#include "download/expected_checksum.hpp"
#include "download/extractor.hpp"
#include "download/partial.hpp"
#include "download/resumable_download.hpp"
#include "download/staging.hpp"
#include "download/status_error.hpp"

#include <getmesh/download/install.hpp>
#include <getmesh/store/lock.hpp>

#include <filesystem>

namespace getmesh::download {

namespace {

void say(const std::function<void(std::string_view)>& sink, const std::string& text) {
  if (sink) sink(text);
}

// After the archive failed to extract, reads the rest of it so that the checksum can tell a
// damaged download from a replaced one: a digest that does not match is the error then.
Error explain_extraction_failure(ResumableDownload& source, const Error& failure, const Plan& plan,
                                 const std::optional<ExpectedChecksum>& expected) {
  if (!expected || source.failed()) return failure;
  while (true) {
    auto chunk = source.read();
    if (!chunk) return chunk.error().transient ? failure : chunk.error();
    if (chunk->empty()) break;
  }
  const auto actual = source.digest();
  return actual == expected->sha256
             ? failure
             : checksum_mismatch(plan, *expected, actual, "nothing was installed");
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
  const TransferLimits limits{plan.size > 0 ? plan.size : options.limits.max_archive_bytes,
                              plan.size > 0,
                              static_cast<long>(options.limits.stall_timeout.count())};
  ResumableDownload source(http, plan.url, partial, options.retry, limits, options.progress);
  while (true) {
    auto extracted = extract_istioctl(source, staging->istioctl(), plan.url);
    if (extracted) break;
    if (source.restart_pending()) {  // the server sent the archive from the start again
      std::error_code ignored;
      std::filesystem::remove(staging->istioctl(), ignored);
      continue;
    }
    // A network failure or Ctrl-C keeps the bytes so far for the next run; anything else makes
    // them useless.
    if (extracted.error().transient || extracted.error().kind == ErrorKind::kCancelled) {
      return {extracted.error()};
    }
    auto error = explain_extraction_failure(source, extracted.error(), plan, expected);
    partial.remove();
    return {error, source.resumed()};
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

Result<Outcome> locked_install(const store::Home& home, const DistributionName& name,
                               const Plan& plan, const net::Client& http, const Options& options) {
  auto lock = store::FileLock::acquire(home.distribution_lock(name), [&] {
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

  auto expected = expected_checksum(plan, http, options.retry, options.limits.stall_timeout);
  if (!expected) return expected.error();
  if (!*expected) {
    if (auto present = check_archive_present(plan, http); !present) return present.error();
    if (options.require_checksum) return missing_checksum(name, plan);
    say(options.warn,
        "NO CHECKSUM for " + plan.url +
            (plan.checksum_url.empty() ? "" : " (" + plan.checksum_url + " does not exist)") +
            ": " + name.to_string() +
            " will be installed UNVERIFIED; use --require-checksum to refuse this");
  }
  auto attempt = download_once(home, name, plan, http, options, *expected);
  if (!attempt.outcome && attempt.resumed &&
      attempt.outcome.error().kind != ErrorKind::kCancelled) {
    // The bytes kept from earlier may belong to an older archive; the partial file is gone, so
    // this starts from scratch.
    say(options.note, "the download of " + name.to_string() +
                          " that continued earlier bytes failed (the archive on the server may "
                          "have changed meanwhile); downloading it again from the start");
    attempt = download_once(home, name, plan, http, options, *expected);
  }
  return attempt.outcome;
}

}  // namespace

Result<Outcome> install(const store::Home& home, const DistributionName& name, const Plan& plan,
                        const net::Client& http, const Options& options) {
  auto outcome = locked_install(home, name, plan, http, options);
  if (!outcome) return with_mirror_advice(plan.mirror, outcome.error());
  return outcome;
}

}  // namespace getmesh::download
