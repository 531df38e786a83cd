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

Result<const manifest::Manifest*> Context::manifest() {
  if (manifest_) return &manifest_->manifest;
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
  return &manifest_->manifest;
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
                             ", and no fetched istioctl matches it (the istio flavour of " +
                             wanted + ")",
                         "run \"getmesh fetch\" in this directory to fetch it");
  }
  return runtime_error("no istioctl is active yet",
                       "fetch one with \"getmesh fetch\" (see \"getmesh list\")");
}

net::Client Context::http() const {
  return net::Client(net::Settings::from_environment(environment_));
}

}  // namespace getmesh::cli
