#include <getmesh/core/strings.hpp>
#include <getmesh/validate/istioctl.hpp>

namespace getmesh::validate {

namespace {

// "file:line" → Origin; the line is the digits after the last colon.
Origin origin_of(std::string_view reference) {
  const auto colon = reference.rfind(':');
  if (colon != std::string_view::npos) {
    if (const auto line = parse_non_negative(reference.substr(colon + 1));
        line && *line < 1'000'000'000) {
      return {std::string(reference.substr(0, colon)), static_cast<int>(*line)};
    }
  }
  return {std::string(reference), 0};
}

std::optional<Finding> parse_line(std::string_view line) {
  line = trim(line);
  const auto space = line.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto severity = parse_severity(line.substr(0, space));
  if (!severity) return std::nullopt;
  auto rest = trim(line.substr(space + 1));
  if (!rest.starts_with("[")) return std::nullopt;
  const auto code_end = rest.find(']');
  if (code_end == std::string_view::npos) return std::nullopt;
  Finding finding;
  finding.severity = *severity;
  finding.code = std::string(rest.substr(1, code_end - 1));
  finding.analyzer = "istioctl";
  rest = trim(rest.substr(code_end + 1));
  if (rest.starts_with("[")) {  // multi-cluster runs: "[cluster-id]"
    const auto end = rest.find(']');
    if (end == std::string_view::npos) return std::nullopt;
    rest = trim(rest.substr(end + 1));
  }
  if (!rest.starts_with("(")) return std::nullopt;
  const auto close = rest.find(") ");
  const auto resource =
      rest.substr(1, (close == std::string_view::npos ? rest.size() - 1 : close) - 1);
  finding.message =
      close == std::string_view::npos ? std::string() : std::string(trim(rest.substr(close + 2)));
  const auto kind_end = resource.find(' ');
  if (kind_end == std::string_view::npos) return std::nullopt;
  finding.object.kind = std::string(resource.substr(0, kind_end));
  auto id = resource.substr(kind_end + 1);
  if (const auto reference = id.find(' '); reference != std::string_view::npos) {
    finding.origin = origin_of(trim(id.substr(reference + 1)));
    id = id.substr(0, reference);
  }
  if (const auto slash = id.find('/'); slash != std::string_view::npos) {
    finding.object.namespace_ = std::string(id.substr(0, slash));
    finding.object.name = std::string(id.substr(slash + 1));
  } else if (const auto dot = id.find('.');
             dot != std::string_view::npos && finding.object.kind != "Namespace") {
    finding.object.name = std::string(id.substr(0, dot));
    finding.object.namespace_ = std::string(id.substr(dot + 1));
  } else {
    finding.object.name = std::string(id);
  }
  return finding;
}

}  // namespace

std::vector<Finding> parse_istioctl_analyze(std::string_view output) {
  std::vector<Finding> findings;
  for (const auto& line : split(output, '\n')) {
    if (auto finding = parse_line(line)) findings.push_back(std::move(*finding));
  }
  return findings;
}

}  // namespace getmesh::validate
