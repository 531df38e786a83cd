#include "validate/sink.hpp"

#include <getmesh/core/strings.hpp>
#include <getmesh/validate/codes.hpp>

#include <stdexcept>

namespace getmesh::validate {

bool suppressed(const Resource& resource, std::string_view code) {
  const auto* annotation = resource.annotation("galley.istio.io/analyze-suppress");
  if (annotation == nullptr) return false;
  for (const auto& part : split(*annotation, ',')) {
    const auto entry = trim(part);
    if (entry == "*" || entry == code) return true;
  }
  return false;
}

void Sink::add(const Resource& resource, std::string_view code, std::string message, int line) {
  const auto info = code_info(code);
  if (!info) throw std::logic_error("code missing from the catalogue: " + std::string(code));
  add(resource, code, info->severity, std::move(message), line);
}

void Sink::add(const Resource& resource, std::string_view code, Severity severity,
               std::string message, int line) {
  if (!code_info(code))
    throw std::logic_error("code missing from the catalogue: " + std::string(code));
  if (suppressed(resource, code)) return;
  Origin origin = resource.origin;
  if (origin.from_file() && line > 0) origin.line = line;
  findings_.push_back(
      {std::string(code), severity, std::move(message), ref_of(resource), origin, "getmesh"});
}

}  // namespace getmesh::validate
