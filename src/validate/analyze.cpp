#include "validate/checks/checks.hpp"
#include "validate/index.hpp"

#include <getmesh/validate/analyze.hpp>

namespace getmesh::validate {

std::vector<Finding> analyze(const std::vector<Resource>& resources,
                             const AnalyzeOptions& options) {
  const ResourceIndex index(resources, options);
  Sink sink;
  const CheckContext context{index, sink};
  for (const auto check : {
           check_schemas,
       }) {
    check(context);
  }
  auto findings = sink.take();
  sort_and_deduplicate(findings);
  return findings;
}

}  // namespace getmesh::validate
