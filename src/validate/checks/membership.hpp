#pragma once

#include "validate/index.hpp"

namespace getmesh::validate {

// Whether a namespace enrols its pods in ambient mode: labelled `istio.io/dataplane-mode=ambient`
// and not also for sidecar injection (`istio-injection=enabled` or `istio.io/rev`), which wins.
bool ambient_namespace(const Resource& ns);

// Whether a workload runs in ambient mode: its own `istio.io/dataplane-mode` label decides, a
// sidecar excludes it, else its namespace's mode.
bool in_ambient(const ResourceIndex& index, const Workload& workload);

// Whether a workload has (or will be injected with) a sidecar: an `istio-proxy` container with an
// image, else its `sidecar.istio.io/inject` label or annotation, else its namespace's injection
// label. A namespace the input does not describe counts as injected, so that checks about
// in-mesh workloads keep running on partial input.
bool in_mesh(const ResourceIndex& index, const Workload& workload);

}  // namespace getmesh::validate
