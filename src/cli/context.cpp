#include "cli/context.hpp"

#include <getmesh/core/date.hpp>
#include <getmesh/core/log.hpp>
#include <getmesh/manifest/checks.hpp>
#include <getmesh/store/installed.hpp>
#include <getmesh/store/lock.hpp>

#include <filesystem>

namespace getmesh::cli {

Result<const store::Home*> Context::home() {
  if (!home_) {
    auto located = store::Home::locate(environment_);
    if (!located) return located.error();
    if (auto created = located->create(); !created) return created.error();
    home_ = *located;
  }
  return &*home_;
}

Result<const kube::Connection*> Context::connection() {
  if (!connection_) {
    connection_ = kube::resolve_connection(options_.kubeconfig, options_.context, environment_);
  }
  if (!*connection_) return connection_->error();
  return &**connection_;
}

Result<store::Config> Context::config() {
  auto home_dir = home();
  if (!home_dir) return home_dir.error();
  return store::load_config((*home_dir)->config_file());
}

Status Context::update_config(const std::function<void(store::Config&)>& change) {
  auto home_dir = home();
  if (!home_dir) return home_dir.error();
  auto lock = store::FileLock::acquire((*home_dir)->store_lock(), [this] {
    output_.note("waiting for another getmesh to finish changing the store");
  });
  if (!lock) return lock.error();
  auto current = store::load_config((*home_dir)->config_file());
  if (!current) return current.error();
  change(*current);
  return store::save_config((*home_dir)->config_file(), *current);
}

Result<const manifest::Loaded*> Context::loaded_manifest() {
  if (manifest_) return &*manifest_;
  auto home_dir = home();
  if (!home_dir) return home_dir.error();
  auto current = config();
  if (!current) return current.error();
  const auto source =
      manifest::choose_source(options_.manifest, environment_, current->manifest_url);
  log::debug("manifest: " + source.describe());
  auto loaded = manifest::load(source, (*home_dir)->cache_dir(), http(), environment_);
  if (!loaded) return loaded.error();
  manifest_ = std::move(*loaded);
  for (const auto& warning : manifest_->warnings) output_.warn(warning);
  return &*manifest_;
}

Result<const manifest::Catalogue*> Context::catalogue() {
  if (catalogue_) return &*catalogue_;
  auto loaded = loaded_manifest();
  if (!loaded) return loaded.error();
  auto current = config();
  if (!current) return current.error();
  std::optional<std::int64_t> ttl;
  if (!current->catalog_ttl.empty()) ttl = store::parse_duration(current->catalog_ttl);
  auto settings = manifest::catalog_settings(environment_, current->github_api_url, ttl);
  if (!settings) return settings.error();
  // An explicit --refresh asks upstream even when config.json says offline.
  settings->offline =
      settings->offline || options_.offline || (current->offline && !options_.refresh_catalog);
  settings->refresh = options_.refresh_catalog;
  auto outcome = manifest::load_catalog(*settings, home_->cache_dir(), http());
  for (const auto& note : outcome.notes) output_.note(note);
  for (const auto& warning : outcome.warnings) output_.warn(warning);
  if (outcome.releases) {
    catalogue_ = manifest::merge((*loaded)->manifest, *outcome.releases);
  } else {
    catalogue_ = manifest::Catalogue{(*loaded)->manifest, {}, {}};
  }
  for (const auto& warning : catalogue_->warnings) output_.warn(warning);
  log::debug("catalogue: " + std::to_string(catalogue_->manifest.distributions.size()) +
             " distributions, " + std::to_string((*loaded)->manifest.distributions.size()) +
             " of them from the manifest");
  return &*catalogue_;
}

Result<const manifest::Manifest*> Context::manifest() {
  auto merged = catalogue();
  if (!merged) return merged.error();
  return &(*merged)->manifest;
}

Result<const manifest::Manifest*> Context::vetted_manifest() {
  auto loaded = loaded_manifest();
  if (!loaded) return loaded.error();
  return &(*loaded)->manifest;
}

void Context::warn_about_local_istioctl(const manifest::Manifest& manifest,
                                        const DistributionName& used) {
  if (warned_about_local_istioctl_) return;
  warned_about_local_istioctl_ = true;
  for (const auto& warning :
       manifest::end_of_life_warnings(manifest, used, CivilDate::today_utc())) {
    output_.warn(warning);
  }
  auto home_dir = home();
  if (!home_dir) return;
  auto installed = store::installed_names(**home_dir);
  if (!installed) return;
  std::erase_if(*installed, [&](const DistributionName& name) { return name.same_group(used); });
  for (const auto& warning : manifest::security_warnings(manifest, *installed)) {
    output_.warn(warning);
  }
}

void Context::warn_about_fetched(const manifest::Manifest& manifest,
                                 const std::optional<DistributionName>& active) {
  if (warned_about_local_istioctl_) return;
  warned_about_local_istioctl_ = true;
  if (active) {
    for (const auto& warning :
         manifest::end_of_life_warnings(manifest, *active, CivilDate::today_utc())) {
      output_.warn(warning);
    }
  }
  auto home_dir = home();
  if (!home_dir) return;
  auto installed = store::installed_names(**home_dir);
  if (!installed) return;
  for (const auto& warning : manifest::security_warnings(manifest, *installed)) {
    output_.warn(warning);
  }
}

Result<std::optional<store::Pin>> Context::pin() {
  if (!pin_) {
    std::error_code error;
    const auto directory = std::filesystem::current_path(error);
    if (error) return std::optional<store::Pin>();
    auto search = store::find_pin(directory);
    if (!search) return search.error();
    for (const auto& ignored : search->ignored) output_.note(ignored);
    pin_ = std::move(search->pin);
  }
  return *pin_;
}

Result<std::optional<Active>> Context::active() {
  auto pinned = pin();
  if (!pinned) return pinned.error();
  if (*pinned) {
    const auto& pin = **pinned;
    std::vector<DistributionName> installed;
    if (pin.kind != store::PinKind::kName) {
      auto home_dir = home();
      if (!home_dir) return home_dir.error();
      auto names = store::installed_names(**home_dir);
      if (!names) return names.error();
      installed = std::move(*names);
    }
    auto name = store::resolve_pin(pin, installed);
    if (!name) return std::optional<Active>();
    return std::optional<Active>(Active{*name, pin.file.string(), true});
  }
  auto current = config();
  if (!current) return current.error();
  if (!current->active) return std::optional<Active>();
  return std::optional<Active>(Active{current->active->name, "config.json", false});
}

Error Context::nothing_active() {
  auto pinned = pin();
  if (pinned && *pinned) {
    const auto& pin = **pinned;
    const auto wanted = pin.text() + (pin.kind == store::PinKind::kMinor ? ".x" : "");
    return runtime_error(pin.file.string() + " pins " + pin.text() +
                             ", and no fetched istioctl matches it (the istio flavor of " + wanted +
                             ")",
                         "run \"getmesh fetch\" in this directory to fetch it");
  }
  return runtime_error("no istioctl is active yet",
                       "fetch one with \"getmesh fetch\" (see \"getmesh list\")");
}

net::Client Context::http() const {
  return net::Client(net::Settings::from_environment(environment_));
}

}  // namespace getmesh::cli
