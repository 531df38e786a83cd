#include <getmesh/core/fs.hpp>
#include <getmesh/core/sha256.hpp>
#include <getmesh/download/chart.hpp>

namespace getmesh::download {

namespace {

Result<std::string> get(const net::Client& http, const std::string& url, std::size_t max_bytes,
                        const std::string& what) {
  net::Request request;
  request.url = url;
  request.max_body_bytes = max_bytes;
  auto response = http.send(request);
  if (!response) {
    return response.error().with_context("the chart repository could not be read (" + what + " " +
                                         net::redact_url(url) + ")");
  }
  if (response->status != 200) {
    return runtime_error("the chart repository answered " + net::describe_status(response->status) +
                             " for " + what + " " + net::redact_url(url),
                         "check --chart-repo or the chart_repo setting (default " +
                             std::string(helm::kIstioChartRepository) +
                             "); a mirror serves Istio's charts when it was made with \"getmesh "
                             "mirror create --charts\"");
  }
  return std::move(response->body);
}

}  // namespace

std::string chart_file_name(const std::string& name, const std::string& version) {
  return name + "-" + version + ".tgz";
}

Result<ChartIndex> read_chart_index(const net::Client& http, const std::string& repository) {
  const auto url = helm::index_url(repository);
  auto text = get(http, url, kMaxChartIndexBytes, "its index");
  if (!text) return text.error();
  auto entries = helm::parse_index(*text, net::redact_url(url));
  if (!entries) return entries.error();
  return ChartIndex{repository, std::move(*text), std::move(*entries)};
}

Result<std::filesystem::path> fetch_chart(const net::Client& http, const ChartIndex& index,
                                          const std::string& name, const std::string& version,
                                          const std::filesystem::path& directory,
                                          std::filesystem::perms mode) {
  const auto where = net::redact_url(helm::index_url(index.repository));
  auto entry = helm::find_chart(index.entries, name, version, where);
  if (!entry) return entry.error();
  const auto url = helm::archive_url(index.repository, *entry);
  auto bytes = get(http, url, kMaxChartBytes, "chart " + name + " " + version);
  if (!bytes) return bytes.error();
  Sha256 hasher;
  hasher.update(*bytes);
  const auto actual = hasher.finish();
  if (actual != entry->digest) {
    return runtime_error("the chart archive " + net::redact_url(url) + " has SHA-256 " + actual +
                             ", but the repository index " + where + " says " + entry->digest +
                             "; nothing was installed from it",
                         "the chart was changed after it was published (or the download was "
                         "altered on the way): use Istio's repository or a verified mirror");
  }
  if (auto made = ensure_directory(directory); !made) return made.error();
  const auto path = directory / chart_file_name(name, version);
  if (auto written = write_file_atomic(path, *bytes, mode); !written) {
    return written.error();
  }
  return path;
}

}  // namespace getmesh::download
