#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/kubeconfig.hpp>

#include <algorithm>
#include <system_error>

namespace getmesh::kube {

namespace {

namespace fs = std::filesystem;

template <typename Entry>
const Entry* find_named(const std::vector<Entry>& entries, std::string_view name) {
  const auto found = std::find_if(entries.begin(), entries.end(),
                                  [&](const Entry& entry) { return entry.name == name; });
  return found == entries.end() ? nullptr : &*found;
}

template <typename Entry>
void merge_named(std::vector<Entry>& into, const std::vector<Entry>& from) {
  for (const auto& entry : from) {
    if (find_named(into, entry.name) == nullptr) into.push_back(entry);
  }
}

std::string names_of(const std::vector<ContextEntry>& contexts) {
  std::vector<std::string> names;
  for (const auto& context : contexts) names.push_back(context.name);
  return names.empty() ? std::string("none") : join(names, ", ");
}

}  // namespace

const Cluster* Kubeconfig::cluster(std::string_view name) const {
  return find_named(clusters, name);
}
const User* Kubeconfig::user(std::string_view name) const { return find_named(users, name); }
const ContextEntry* Kubeconfig::context(std::string_view name) const {
  return find_named(contexts, name);
}

std::string AuthProvider::value(std::string_view key) const {
  const auto found = std::find_if(config.begin(), config.end(),
                                  [&](const auto& entry) { return entry.first == key; });
  return found == config.end() ? std::string() : found->second;
}

std::string Kubeconfig::describe_files() const {
  std::vector<std::string> names;
  for (const auto& file : files) names.push_back(file.string());
  return names.empty() ? std::string("(no kubeconfig file)") : join(names, ":");
}

Kubeconfig merge_kubeconfigs(const std::vector<Kubeconfig>& files) {
  Kubeconfig merged;
  for (const auto& file : files) {
    if (merged.current_context.empty()) merged.current_context = file.current_context;
    merge_named(merged.clusters, file.clusters);
    merge_named(merged.users, file.users);
    merge_named(merged.contexts, file.contexts);
    merged.files.insert(merged.files.end(), file.files.begin(), file.files.end());
  }
  return merged;
}

Location locate_kubeconfig(const std::string& flag, const Environment& environment) {
  Location location;
  if (!flag.empty()) {
    location.files.emplace_back(flag);
    location.origin = Location::Origin::kFlag;
    return location;
  }
  if (auto list = environment.get("KUBECONFIG")) {
    location.origin = Location::Origin::kEnvironment;
    for (const auto& entry : split(*list, ':')) {
      if (entry.empty()) continue;
      if (std::find(location.files.begin(), location.files.end(), fs::path(entry)) ==
          location.files.end()) {
        location.files.emplace_back(entry);
      }
    }
    return location;
  }
  if (auto home = environment.get("HOME"))
    location.files.push_back(fs::path(*home) / ".kube" / "config");
  return location;
}

Result<Kubeconfig> load_kubeconfig(const Location& location) {
  std::vector<Kubeconfig> parsed;
  std::vector<fs::path> missing;
  for (const auto& file : location.files) {
    std::error_code error;
    if (!fs::exists(file, error)) {
      if (location.origin == Location::Origin::kFlag) {
        return runtime_error("kubeconfig " + file.string() + " (from --kubeconfig) does not exist",
                             "check the path given with -c/--kubeconfig");
      }
      missing.push_back(file);
      continue;  // like kubectl: missing files in KUBECONFIG and a missing ~/.kube/config are
                 // skipped
    }
    auto text = read_file(file);
    if (!text) return text.error().with_context("cannot read kubeconfig " + file.string());
    auto config = parse_kubeconfig(*text, file);
    if (!config) return config.error();
    parsed.push_back(std::move(*config));
  }
  auto merged = merge_kubeconfigs(parsed);
  merged.missing = std::move(missing);
  return merged;
}

Result<Selection> select_context(const Kubeconfig& config, const std::string& name) {
  const auto files = config.describe_files();
  if (config.files.empty()) {
    std::string looked_at;
    for (const auto& file : config.missing)
      looked_at += (looked_at.empty() ? "" : ", ") + file.string();
    return runtime_error(
        looked_at.empty()
            ? "no kubeconfig found (looked at --kubeconfig, KUBECONFIG and ~/.kube/config)"
            : "no kubeconfig found: " + looked_at +
                  (config.missing.size() == 1 ? " does not exist" : " do not exist"),
        "point --kubeconfig or KUBECONFIG at a kubeconfig file");
  }
  const std::string chosen = name.empty() ? config.current_context : name;
  if (chosen.empty()) {
    return runtime_error("no current context is set in " + files,
                         "pass --context (one of: " + names_of(config.contexts) +
                             "), or run \"kubectl config use-context NAME\"");
  }
  Selection selection;
  selection.context = config.context(chosen);
  if (selection.context == nullptr) {
    // A --context naming no context is a usage error; a broken current-context is the file's.
    Error error =
        runtime_error("context " + quote(chosen) + (name.empty() ? " (current-context)" : "") +
                          " is not defined in " + files,
                      "use one of the defined contexts: " + names_of(config.contexts));
    if (!name.empty()) error.kind = ErrorKind::kUsage;
    return error;
  }
  const auto& context = *selection.context;
  if (context.cluster.empty()) {
    return runtime_error("context " + quote(chosen) + " in " + context.file.string() +
                             " names no cluster (contexts[].context.cluster is empty)",
                         "set the context's cluster in the kubeconfig");
  }
  selection.cluster = config.cluster(context.cluster);
  if (selection.cluster == nullptr) {
    return runtime_error("context " + quote(chosen) + " in " + context.file.string() +
                             " names cluster " + quote(context.cluster) +
                             ", which is not defined in " + files,
                         "add the cluster to the kubeconfig or fix the context's cluster field");
  }
  if (selection.cluster->server.empty()) {
    return runtime_error("cluster " + quote(context.cluster) + " in " +
                             selection.cluster->file.string() +
                             " has no server (clusters[].cluster.server)",
                         "set the API server URL of the cluster in the kubeconfig");
  }
  if (!context.user.empty()) {
    selection.user = config.user(context.user);
    if (selection.user == nullptr) {
      return runtime_error("context " + quote(chosen) + " in " + context.file.string() +
                               " names user " + quote(context.user) + ", which is not defined in " +
                               files,
                           "add the user to the kubeconfig or fix the context's user field");
    }
  }
  return selection;
}

}  // namespace getmesh::kube
