#include "cli/fetch_distribution.hpp"

#include "cli/progress.hpp"

#include <getmesh/core/interrupt.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/core/platform.hpp>
#include <getmesh/download/install.hpp>

#include <cstdio>
#include <utility>

namespace getmesh::cli {

namespace {

std::string mebibytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

// What an interrupted download did and how to go on from where it stopped.
Error interrupted_download(const store::Home& home, const DistributionName& name,
                           std::uint64_t done, std::uint64_t total, const Error& cause) {
  std::string message = cause.message + ": the download of " + name.to_string() + " stopped";
  if (done > 0)
    message += " after " + mebibytes(done) + (total > 0 ? " of " + mebibytes(total) : "");
  message += "; nothing was installed";
  const auto again = "run \"getmesh fetch --name " + name.to_string() + "\"";
  return Error{ErrorKind::kCancelled, std::move(message),
               done == 0 ? again + " to start it again"
                         : again +
                               " to resume the download where it stopped (the bytes so far "
                               "are kept in " +
                               home.downloads_dir().string() + ")"};
}

}  // namespace

Result<store::InstallRecord> download_distribution(Context& context,
                                                   const manifest::Manifest& manifest,
                                                   const manifest::Distribution& distribution,
                                                   bool require_checksum, bool quiet) {
  auto home = context.home();
  if (!home) return home.error();
  auto plan = download::plan(manifest, distribution, Platform::host(), context.environment());
  if (!plan) return plan.error();
  log::debug("download: " + plan->url);
  for (const auto& digest : plan->checksums) {
    log::debug("checksum: sha256 " + digest.sha256 + " from " + digest.source);
  }
  if (!plan->checksum_url.empty()) log::debug("checksum: " + plan->checksum_url);
  auto limits = download::Limits::from_environment(context.environment());
  if (!limits) return limits.error();

  auto& output = context.output();
  std::optional<ProgressBar> bar;
  if (output.progress() && !quiet)
    bar.emplace(output.err(), "downloading " + distribution.name.to_string());
  download::Options options;
  options.require_checksum = require_checksum;
  options.limits = *limits;
  options.warn = [&](std::string_view text) {
    if (bar) bar->finish();
    output.warn(text);
  };
  options.note = [&](std::string_view text) {
    if (bar) bar->finish();
    if (!quiet) output.note(text);
  };
  std::pair<std::uint64_t, std::uint64_t> progress{0, 0};  // bytes so far, of the total
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    progress = {done, total};
    if (bar) bar->update(done, total);
  };
  // Ctrl-C stops the download cleanly: tmp/ is emptied, the bytes so far stay for a resume.
  const InterruptScope interrupt_scope;
  auto outcome = download::install(**home, distribution.name, *plan, context.http(), options);
  if (bar) bar->finish();
  if (!outcome && outcome.error().kind == ErrorKind::kCancelled && interrupted()) {
    return interrupted_download(**home, distribution.name, progress.first, progress.second,
                                outcome.error());
  }
  if (!outcome) return outcome.error();
  return outcome->record;
}

Status check_installed(Context& context, const manifest::Manifest& manifest,
                       const manifest::Distribution* distribution, const DistributionName& name) {
  auto home = context.home();
  if (!home) return home.error();
  std::string pinned;
  if (distribution != nullptr) {
    auto plan = download::plan(manifest, *distribution, Platform::host(), context.environment());
    if (!plan) return plan.error();
    if (!plan->checksums.empty()) pinned = plan->checksums.front().sha256;
  }
  return store::check_verified(**home, name, pinned);
}

Result<std::filesystem::path> ensure_fetched(Context& context, const manifest::Manifest& manifest,
                                             const DistributionName& name) {
  auto home = context.home();
  if (!home) return home.error();
  auto config = context.config();
  if (!config) return config.error();
  const auto* distribution = manifest.find(name);
  if (store::is_installed(**home, name)) {
    if (config->require_checksum) {
      if (auto verified = check_installed(context, manifest, distribution, name); !verified)
        return verified.error();
    }
    return (*home)->istioctl(name);
  }
  if (distribution == nullptr) {
    return runtime_error(name.to_string() + " is not in the manifest",
                         "see the available distributions with \"getmesh list\"");
  }
  auto record =
      download_distribution(context, manifest, *distribution, config->require_checksum, false);
  if (!record) return record.error();
  if (!record->verified) {
    context.output().warn(name.to_string() + " was installed WITHOUT checksum verification");
  }
  return (*home)->istioctl(name);
}

}  // namespace getmesh::cli
