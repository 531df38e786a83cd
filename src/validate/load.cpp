#include "validate/yaml_documents.hpp"

#include <getmesh/core/fs.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/core/words.hpp>
#include <getmesh/validate/kinds.hpp>
#include <getmesh/validate/load.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <system_error>

namespace getmesh::validate {

namespace fs = std::filesystem;

std::string InputProblem::to_string() const {
  return (line > 0 ? file + ":" + std::to_string(line) : file) + ": " + message;
}

namespace {

constexpr int kMaxListNesting = 4;

struct FileContext {
  const std::string& file;
  const LoadOptions& options;
  Loaded& loaded;
  int defaulted = 0;  // objects of this file given the default namespace
};

void problem(FileContext& context, int line, std::string message) {
  context.loaded.problems.push_back({context.file, line, std::move(message)});
}

std::string served_versions(Kind kind) {
  std::vector<std::string> versions;
  for (const auto& accepted : accepted_kinds()) {
    if (accepted.id == kind) {
      versions.push_back((accepted.group.empty() ? "" : std::string(accepted.group) + "/") +
                         std::string(accepted.version));
    }
  }
  return join(versions, ", ");
}

void add_object(FileContext& context, Node object, int list_depth);

void add_list(FileContext& context, const Node& object, int list_depth) {
  const Node& items = object["items"];
  if (!items.is_sequence() && !items.is_null()) {
    problem(context, object.line(), "the items of a " + object["kind"].str() + " are not a list");
    return;
  }
  if (list_depth >= kMaxListNesting) {
    problem(context, object.line(),
            "lists nested deeper than " + std::to_string(kMaxListNesting) +
                " levels; the inner list was skipped");
    return;
  }
  items.for_each_item([&](const Node& item) { add_object(context, item, list_depth + 1); });
}

void add_object(FileContext& context, Node object, int list_depth) {
  if (object.is_null()) return;
  if (!object.is_map()) {
    problem(context, object.line(),
            "the document is not a Kubernetes object (a mapping with apiVersion, kind and "
            "metadata); it was skipped");
    return;
  }
  const Node& api_version = object["apiVersion"];
  const Node& kind = object["kind"];
  if (!kind.is_scalar() || kind.str().empty() || !api_version.is_scalar() ||
      api_version.str().empty()) {
    problem(context, object.line(),
            "the object has no apiVersion or no kind; add both (e.g. apiVersion: "
            "networking.istio.io/v1, kind: VirtualService)");
    return;
  }
  const auto& kind_text = kind.str();
  if (kind_text.ends_with("List") && object.has("items")) {
    add_list(context, object, list_depth);
    return;
  }
  const auto classified = classify(api_version.str(), kind_text);
  if (classified.status == Classified::Status::kUnknownKind) {
    ++context.loaded.skipped[api_version.str() + " " + kind_text];
    return;
  }
  if (classified.status == Classified::Status::kUnservedVersion) {
    problem(context, object.line(),
            kind_text + " is not served as " + api_version.str() +
                " (served: " + served_versions(classified.kind) + "); the object was skipped");
    ++context.loaded.skipped[api_version.str() + " " + kind_text];
    return;
  }
  const Node& metadata = object["metadata"];
  const Node& name = metadata["name"];
  if (!metadata.is_map() || !name.is_scalar() || name.str().empty()) {
    problem(context, object.line(),
            kind_text + " has no metadata.name; add metadata with a name (and a namespace)");
    return;
  }
  Resource resource;
  resource.kind = classified.kind;
  resource.api_version = api_version.str();
  resource.name = name.str();
  resource.origin = {context.file, object.line()};
  if (is_namespaced(classified.kind)) {
    const Node& namespace_ = metadata["namespace"];
    if (namespace_.is_scalar() && !namespace_.str().empty()) {
      resource.namespace_ = namespace_.str();
    } else {
      resource.namespace_ = context.options.default_namespace;
      ++context.defaulted;
    }
  }
  resource.labels = metadata["labels"].string_map();
  resource.annotations = metadata["annotations"].string_map();
  resource.document = std::move(object);
  context.loaded.resources.push_back(std::move(resource));
}

// The problem of a file beyond kMaxFileBytes, or nothing; the limit holds while reading, so FIFOs
// and files that claim a small size (/proc) cannot grow the input without end.
std::optional<std::string> too_large(const std::string& text) {
  if (text.size() <= kMaxFileBytes) return std::nullopt;
  return "the file is larger than " + std::to_string(kMaxFileBytes / (1024U * 1024U)) +
         " MiB; split it into smaller files";
}

void load_file(const fs::path& path, const LoadOptions& options, Loaded& loaded) {
  const std::string file = path.string();
  auto text = read_file(path, kMaxFileBytes);
  if (!text) {
    loaded.problems.push_back({file, 0, text.error().message});
    return;
  }
  if (auto problem = too_large(*text)) {
    loaded.problems.push_back({file, 0, *problem});
    return;
  }
  load_text(*text, file, options, loaded);
}

bool is_yaml_name(const fs::path& path) {
  const auto extension = path.extension().string();
  return extension == ".yaml" || extension == ".yml";
}

void load_directory(const fs::path& root, const LoadOptions& options, Loaded& loaded) {
  std::vector<fs::path> files;
  std::error_code error;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error);
  if (error) {
    loaded.problems.push_back({root.string(), 0, "cannot read the folder: " + error.message()});
    return;
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) {
      loaded.problems.push_back({root.string(), 0, "cannot read the folder: " + error.message()});
      return;
    }
    std::error_code status_error;
    if (it->is_regular_file(status_error) && is_yaml_name(it->path())) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) load_file(file, options, loaded);
}

}  // namespace

void load_text(std::string_view text, const std::string& file, const LoadOptions& options,
               Loaded& loaded) {
  loaded.files.push_back(file);
  FileContext context{file, options, loaded};
  for (const auto& document : split_documents(text)) {
    int error_line = 0;
    auto parsed = parse_document(document, error_line);
    if (!parsed) {
      problem(context, error_line, parsed.error().message + "; the document was skipped");
      continue;
    }
    for (auto& object : *parsed) add_object(context, std::move(object), 0);
  }
  if (context.defaulted > 0) {
    const auto count = static_cast<std::size_t>(context.defaulted);
    loaded.notes.push_back(counted(count, "object") + " in " + file + " name" +
                           std::string(agreeing(count, "s", "")) + " no namespace; " +
                           std::string(agreeing(count, "it was", "they were")) +
                           " validated as namespace " + quote(options.default_namespace));
  }
}

Loaded load_paths(const std::vector<std::string>& paths, const LoadOptions& options) {
  Loaded loaded;
  for (const auto& path : paths) {
    if (path == "-") {
      auto text = options.read_stdin ? options.read_stdin()
                                     : Result<std::string>(runtime_error("no standard input"));
      if (!text) {
        loaded.problems.push_back({"<stdin>", 0, text.error().message});
        continue;
      }
      if (auto problem = too_large(*text)) {
        loaded.problems.push_back({"<stdin>", 0, *problem});
        continue;
      }
      load_text(*text, "<stdin>", options, loaded);
      continue;
    }
    std::error_code error;
    const auto status = fs::status(path, error);
    if (error || !fs::exists(status)) {
      loaded.problems.push_back(
          {path, 0,
           "cannot read: " + (error ? error.message() : std::string("no such file or folder"))});
    } else if (fs::is_directory(status)) {
      load_directory(path, options, loaded);
    } else {
      load_file(path, options, loaded);
    }
  }
  return loaded;
}

}  // namespace getmesh::validate
