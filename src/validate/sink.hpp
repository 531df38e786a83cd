#pragma once

#include <getmesh/validate/finding.hpp>
#include <getmesh/validate/resource.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace getmesh::validate {

// Collects findings; drops those the object suppresses with `galley.istio.io/analyze-suppress`
// ("IST0101,KIA1104" or "*"). Severity comes from the code catalogue.
class Sink {
 public:
  // `line` is the line of the offending field when known, else the object's.
  void add(const Resource& resource, std::string_view code, std::string message, int line = 0);
  // The same with a severity of the check's own instead of the catalogue's.
  void add(const Resource& resource, std::string_view code, Severity severity, std::string message,
           int line = 0);
  std::vector<Finding> take() { return std::move(findings_); }

 private:
  std::vector<Finding> findings_;
};

// Whether `resource`'s suppression annotation covers `code`.
bool suppressed(const Resource& resource, std::string_view code);

}  // namespace getmesh::validate
