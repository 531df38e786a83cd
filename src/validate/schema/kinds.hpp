#pragma once

#include "validate/schema/report.hpp"

namespace getmesh::validate::schema {

// Per-kind semantic rules beyond the CRD's field types (Istio's pkg/config/validation).
void check_virtual_service(Report& report, const Resource& resource);
void check_destination_rule(Report& report, const Resource& resource);
void check_gateway(Report& report, const Resource& resource);
void check_service_entry(Report& report, const Resource& resource);
void check_sidecar(Report& report, const Resource& resource);
void check_authorization_policy(Report& report, const Resource& resource);
void check_peer_authentication(Report& report, const Resource& resource);
void check_request_authentication(Report& report, const Resource& resource);
void check_telemetry(Report& report, const Resource& resource);
void check_envoy_filter(Report& report, const Resource& resource);
void check_workload_entry(Report& report, const Resource& resource);
void check_workload_group(Report& report, const Resource& resource);
// The Gateway API kinds: the CEL rules of their CRDs.
void check_gateway_api(Report& report, const Resource& resource);

// IST0130/IST0131 on the http, tcp and tls rules of a VirtualService.
void check_unreachable_rules(Report& report, const Resource& resource);

// A canonical text of a YAML value (map keys sorted, `skip_key` left out), to compare matches.
std::string canonical(const Node& node, std::string_view skip_key = {});

}  // namespace getmesh::validate::schema
