#include "cli/context.hpp"

#include <getmesh/core/date.hpp>
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
  auto loaded = manifest::load(source, (*home_dir)->cache_dir(), http(), environment_);
  if (!loaded) return loaded.error();
  manifest_ = std::move(*loaded);
  for (const auto& warning : manifest_->warnings) output_.warn(warning);
  run_manifest_checks(manifest_->manifest);
  return &manifest_->manifest;
}

void Context::run_manifest_checks(const manifest::Manifest& manifest) {
  auto current = active();
  if (current && *current) {
    for (const auto& warning :
         manifest::end_of_life_warnings(manifest, (*current)->name, CivilDate::today_utc())) {
      output_.warn(warning);
    }
  }
  auto installed = store::list_installed(*home_);
  if (!installed) return;
  std::vector<DistributionName> names;
  for (const auto& distribution : *installed) names.push_back(distribution.name);
  for (const auto& warning : manifest::security_warnings(manifest, names)) output_.warn(warning);
}

Result<std::optional<Active>> Context::active() {
  if (!pin_) {
    std::error_code error;
    const auto directory = std::filesystem::current_path(error);
    if (error) {
      pin_.emplace();
    } else {
      auto search = store::find_pin(directory);
      if (!search) return search.error();
      for (const auto& ignored : search->ignored) output_.note(ignored);
      pin_ = search->pin;
    }
  }
  if (*pin_) return std::optional<Active>(Active{(*pin_)->name, (*pin_)->file.string(), true});
  auto current = config();
  if (!current) return current.error();
  if (!current->active) return std::optional<Active>();
  return std::optional<Active>(Active{current->active->name, "config.json", false});
}

net::Client Context::http() const {
  return net::Client(net::Settings::from_environment(environment_));
}

}  // namespace getmesh::cli
