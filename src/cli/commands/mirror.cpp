#include "cli/commands/commands.hpp"
#include "cli/progress.hpp"
#include "cli/structured.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>
#include <getmesh/helm/chart_index.hpp>
#include <getmesh/manifest/resolve.hpp>
#include <getmesh/mirror/mirror.hpp>

#include <nlohmann/json.hpp>

#include <set>

namespace getmesh::cli {

namespace {

struct MirrorCreateFlags {
  std::string directory;
  std::vector<std::string> versions;
  std::vector<std::string> flavors;
  std::vector<std::string> platforms;
  std::string base_url;
  bool charts = false;
  std::string chart_repo;  // empty: the chart_repo setting, else Istio's repository
};

struct MirrorImagesFlags {
  std::vector<std::string> versions;
  std::vector<std::string> flavors;  // none: the manifest's default flavor
  std::string hub;
  std::string target_hub;
  bool ambient = false;
  std::string output;
};

// The distributions of `catalogue` that any --version (each X.Y or X.Y.Z) of any --flavor names;
// no --version or no --flavor means all of them.
Result<manifest::Manifest> select_distributions(const manifest::Manifest& catalogue,
                                                const MirrorCreateFlags& options) {
  const std::vector<std::string> any = {""};
  const auto& versions = options.versions.empty() ? any : options.versions;
  const auto& flavors = options.flavors.empty() ? any : options.flavors;
  manifest::Manifest selected;
  std::set<std::string> names;
  for (const auto& flavor : flavors) {
    for (const auto& version : versions) {
      const manifest::Selection selection{flavor, version, ""};
      if (auto checked = check_selection(selection); !checked) return checked.error();
      auto part = manifest::select(catalogue, selection);
      for (auto& distribution : part.distributions) {
        if (names.insert(distribution.name.to_string()).second) {
          selected.distributions.push_back(std::move(distribution));
        }
      }
      selected.lifecycle.merge(part.lifecycle);
      selected.legacy_end_of_life.merge(part.legacy_end_of_life);
      selected.download_templates.merge(part.download_templates);
    }
  }
  selected.default_flavor = catalogue.default_flavor;
  if (selected.distributions.empty()) {
    return runtime_error("no distribution in the catalogue matches --version and --flavor",
                         "see what it holds with \"getmesh list\"");
  }
  return selected;
}

Result<std::vector<Platform>> platforms_of(const std::vector<std::string>& names) {
  if (names.empty()) return std::vector<Platform>{Platform::host()};
  std::vector<Platform> platforms;
  for (const auto& name : names) {
    auto platform = mirror::parse_platform(name);
    if (!platform) return platform.error();
    platforms.push_back(*platform);
  }
  return platforms;
}

// --chart-repo, else the chart_repo setting, else Istio's repository; an http(s) or file:// URL.
Result<std::string> chart_repository_of(Context& context, const MirrorCreateFlags& options) {
  std::string repository = options.chart_repo;
  if (repository.empty()) {
    auto config = context.config();
    if (!config) return config.error();
    repository =
        config->chart_repo.empty() ? std::string(helm::kIstioChartRepository) : config->chart_repo;
  }
  if (!repository.starts_with("https://") && !repository.starts_with("http://") &&
      !repository.starts_with("file://")) {
    return usage_error(
        "--chart-repo " + repository + " is not an http(s) or file:// URL",
        "give the chart repository's URL, e.g. " + std::string(helm::kIstioChartRepository));
  }
  return repository;
}

std::string describe_chart(const mirror::ChartOutcome& chart, const std::string& repository) {
  return std::string(chart.downloaded ? "downloaded " : "present    ") + chart.file + "  sha256 " +
         chart.sha256 + " (verified: digest of " + net::redact_url(helm::index_url(repository)) +
         ")\n";
}

std::string describe_stored(const mirror::ArchiveOutcome& archive) {
  const auto& stored = *archive.stored;
  std::string sources;
  for (const auto& source : stored.checksum_sources) {
    sources += (sources.empty() ? "" : ", ") + source;
  }
  return std::string(stored.downloaded ? "downloaded " : "present    ") + archive.file +
         "  sha256 " + stored.sha256 + " (verified: " + sources + ")\n";
}

Result<int> run_create(Context& context, const MirrorCreateFlags& options) {
  auto platforms = platforms_of(options.platforms);
  if (!platforms) return platforms.error();
  std::string base_url = options.base_url;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (!base_url.empty() && !base_url.starts_with("https://") && !base_url.starts_with("http://") &&
      !base_url.starts_with("file://")) {
    return usage_error("--base-url " + options.base_url + " is not an http(s) or file:// URL",
                       "give the URL the mirror will be served at, e.g. "
                       "https://mirror.example.com/istio");
  }
  std::string chart_repo;
  if (options.charts) {
    auto repository = chart_repository_of(context, options);
    if (!repository) return repository.error();
    chart_repo = *repository;
  }
  auto limits = download::Limits::from_environment(context.environment());
  if (!limits) return limits.error();
  auto catalogue = context.manifest();
  if (!catalogue) return catalogue.error();
  auto selection = select_distributions(**catalogue, options);
  if (!selection) return selection.error();

  auto& output = context.output();
  std::optional<ProgressBar> bar;
  mirror::CreateOptions create;
  create.platforms = *platforms;
  create.base_url = base_url;
  create.chart_repo = chart_repo;
  create.download.limits = *limits;  // GETMESH_MAX_DOWNLOAD_MB, GETMESH_STALL_TIMEOUT, as for fetch
  create.download.note = [&](std::string_view text) {
    if (bar) bar->finish();
    output.note(text);
  };
  create.download.warn = [&](std::string_view text) {
    if (bar) bar->finish();
    output.warn(text);
  };
  if (output.progress()) {
    bar.emplace(output.err(), "mirroring");
    create.download.progress = [&](std::uint64_t done, std::uint64_t total) {
      bar->update(done, total);
    };
  }
  auto report =
      mirror::create(options.directory, *selection, context.environment(), context.http(), create);
  if (bar) bar->finish();
  if (!report) return report.error();

  std::size_t failed = 0;
  for (const auto& archive : report->archives) {
    if (archive.stored) {
      output.out() << describe_stored(archive);
      continue;
    }
    ++failed;
    auto error = archive.error->with_context("not mirrored: " + archive.file);
    output.error(error);
  }
  for (const auto& chart : report->charts) {
    if (chart.stored()) {
      output.out() << describe_chart(chart, chart_repo);
      continue;
    }
    ++failed;
    output.error(chart.error->with_context("not mirrored: " + chart.file));
  }
  if (report->chart_index_error) {
    output.error(report->chart_index_error->with_context("no chart mirrored"));
  }
  output.note(options.directory + "/manifest.json lists " + std::to_string(report->distributions) +
              " distributions");
  if (options.charts) {
    if (report->charts.empty() && !report->chart_index_error) {
      output.note(
          "no community (istio flavor) distribution selected: Istio publishes Helm "
          "charts for those only");
    }
    output.note(options.directory + "/index.yaml lists " +
                counted(report->charts_listed, "chart version"));
  }
  if (failed > 0 || report->chart_index_error) {
    const auto total = report->archives.size() + report->charts.size();
    std::string message = failed > 0 ? std::to_string(failed) + " of " + counted(total, "archive") +
                                           " could not be mirrored"
                                     : std::string();
    if (report->chart_index_error) {
      message += std::string(message.empty() ? "" : "; ") +
                 "the chart repository's index could not be read, so no chart was mirrored";
    }
    return runtime_error(message + " (see above)" +
                             (failed < total ? "; the others are in " + options.directory : ""),
                         "run the same command again once the cause is fixed: what is there "
                         "stays, interrupted downloads resume");
  }
  return 0;
}

Result<int> run_verify(Context& context, const std::string& directory) {
  auto checks = mirror::verify(directory);
  if (!checks) return checks.error();
  std::size_t failed = 0;
  for (const auto& check : *checks) {
    if (check.problems.empty()) {
      context.output().out() << "ok        " << check.file << "\n";
      continue;
    }
    ++failed;
    std::string problems;
    for (const auto& problem : check.problems) problems += (problems.empty() ? "" : "; ") + problem;
    context.output().out() << "MISMATCH  " << check.file << ": " << problems << "\n";
  }
  if (failed > 0) {
    return runtime_error(std::to_string(failed) + " of " + std::to_string(checks->size()) +
                             " archives in " + directory + " do not match",
                         "run \"getmesh mirror create\" again for the same versions: it replaces "
                         "what does not match");
  }
  return 0;
}

// Every --flavor with every --version; all checked and resolved before anything is printed, so a
// bad one leaves stdout empty.
Result<int> run_images(Context& context, const MirrorImagesFlags& options) {
  auto format = parse_format(options.output);
  if (!format) return format.error();
  const std::vector<std::string> default_flavor = {""};
  const auto& flavors = options.flavors.empty() ? default_flavor : options.flavors;
  for (const auto& flavor : flavors) {
    for (const auto& version : options.versions) {
      if (auto checked = check_selection({flavor, version, ""}); !checked) return checked.error();
    }
  }
  auto catalogue = context.manifest();
  if (!catalogue) return catalogue.error();
  const mirror::ImageOptions image_options{options.hub, options.target_hub, options.ambient};
  std::vector<std::pair<std::string, mirror::Image>> listed;  // distribution, image
  std::set<std::string> seen;
  for (const auto& given_flavor : flavors) {
    const auto flavor = given_flavor.empty() ? (*catalogue)->default_flavor : given_flavor;
    for (const auto& version : options.versions) {
      // The same distributions `mirror create --version` mirrors: every patch of X.Y.
      const auto selected = manifest::select(**catalogue, {flavor, version, ""});
      if (selected.distributions.empty()) {
        return runtime_error("the catalogue has no " + flavor + " distribution of " + version,
                             "see what it holds with \"getmesh list --flavor " + flavor + "\"");
      }
      for (const auto& distribution : selected.distributions) {
        for (auto& image : mirror::images(distribution.name, image_options)) {
          if (seen.insert(image.source).second) {
            listed.emplace_back(distribution.name.to_string(), std::move(image));
          }
        }
      }
    }
  }
  auto& out = context.output().out();
  if (*format == Format::kTable) {
    for (const auto& [distribution, image] : listed) {
      out << image.source << (image.target.empty() ? "" : " " + image.target) << "\n";
    }
    return 0;
  }
  nlohmann::ordered_json document = nlohmann::ordered_json::array();
  for (const auto& [distribution, image] : listed) {
    nlohmann::ordered_json entry = {
        {"distribution", distribution}, {"component", image.component}, {"source", image.source}};
    if (!image.target.empty()) entry["target"] = image.target;
    document.push_back(std::move(entry));
  }
  out << render_structured(document, *format);
  return 0;
}

}  // namespace

Command add_mirror_command(CLI::App& parent, Context& context) {
  auto* command = parent.add_subcommand("mirror",
                                        "Build and check a mirror of istioctl archives for "
                                        "air-gapped sites, and list the images to copy");
  command->require_subcommand(1);

  auto create = std::make_shared<MirrorCreateFlags>();
  auto* create_command = command->add_subcommand(
      "create",
      "Download verified istioctl archives into a directory that GETMESH_MIRROR can "
      "serve, with its manifest.json");
  create_command->add_option("directory", create->directory, "The mirror directory")->required();
  create_command
      ->add_option("--version", create->versions,
                   "Versions X.Y (every patch) or X.Y.Z, comma-separated (default: all)")
      ->delimiter(',')
      ->transform(without_v_prefix())
      ->type_name("VERSION");
  create_command
      ->add_option("--flavor", create->flavors,
                   "istio, tetrate or tetratefips, comma-separated (default: all)")
      ->delimiter(',')
      ->type_name("istio|tetrate|tetratefips");
  create_command
      ->add_option("--platform", create->platforms,
                   "linux/amd64, linux/arm64, linux/armv7, darwin/amd64, darwin/arm64, "
                   "comma-separated (default: this machine's)")
      ->delimiter(',')
      ->type_name("linux/amd64|linux/arm64|linux/armv7|darwin/amd64|darwin/arm64");
  create_command->add_option("--base-url", create->base_url,
                             "URL the mirror will be served at, for absolute URLs in "
                             "manifest.json and index.yaml (default: URLs relative to it)");
  auto* charts_flag = create_command->add_flag(
      "--charts", create->charts,
      "Also Istio's Helm charts (base, istiod, gateway, cni, ztunnel) of each community "
      "version, with an index.yaml: the mirror is then a chart repository");
  create_command
      ->add_option("--chart-repo", create->chart_repo,
                   "Chart repository the charts come from (default: the chart_repo setting, "
                   "else Istio's)")
      ->type_name("URL")
      ->needs(charts_flag);

  auto verify_directory = std::make_shared<std::string>();
  auto* verify_command = command->add_subcommand(
      "verify", "Re-hash every archive of a mirror against its manifest.json and .sha256 files");
  verify_command->add_option("directory", *verify_directory, "The mirror directory")->required();

  auto images = std::make_shared<MirrorImagesFlags>();
  auto* images_command = command->add_subcommand(
      "images",
      "List the container images istioctl install pulls, to copy into a private "
      "registry");
  images_command
      ->add_option("--version", images->versions,
                   "Versions X.Y (every patch) or X.Y.Z, comma-separated")
      ->delimiter(',')
      ->transform(without_v_prefix())
      ->type_name("VERSION")
      ->required();
  images_command
      ->add_option("--flavor", images->flavors,
                   "istio, tetrate or tetratefips, comma-separated (default: the manifest's)")
      ->delimiter(',')
      ->type_name("istio|tetrate|tetratefips");
  images_command->add_option("--hub", images->hub,
                             "Registry to copy from (default: the flavor's, e.g. docker.io/istio)");
  images_command->add_option("--target-hub", images->target_hub,
                             "Private registry to copy to: prints source and target pairs");
  images_command->add_flag("--ambient", images->ambient,
                           "Also the ambient mode images: ztunnel and install-cni");
  add_output_option(*images_command, images->output);

  return {command,
          [&context, create, verify_directory, images, create_command,
           verify_command]() -> Result<int> {
            if (create_command->parsed()) return run_create(context, *create);
            if (verify_command->parsed()) return run_verify(context, *verify_directory);
            return run_images(context, *images);
          }};
}

}  // namespace getmesh::cli
