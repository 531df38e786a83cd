#pragma once

#include "validate/index.hpp"

namespace getmesh::validate {

// Whether a Kubernetes LabelSelector (`matchLabels` and `matchExpressions` with In, NotIn, Exists,
// DoesNotExist) selects `labels`. An absent (null) selector selects everything, as webhook
// selectors do; a malformed one (unknown operator, non-string values) selects nothing.
bool label_selector_matches(const Node& selector, const Labels& labels);

}  // namespace getmesh::validate
