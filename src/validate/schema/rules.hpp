#pragma once

#include "validate/schema/report.hpp"

#include <getmesh/validate/node.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace getmesh::validate::schema {

// Field rules shared by the kinds (Istio's pkg/config/validation helpers). Each returns what is
// wrong with the value, or nullopt when it is valid.
std::optional<std::string> dns1123_label_problem(std::string_view text);
std::optional<std::string> fqdn_problem(std::string_view text);
// Hosts of routes, rules and service entries: an FQDN whose first label may be "*", "*foo".
std::optional<std::string> wildcard_domain_problem(std::string_view text);
// "1.5s", "100ms", "1h2m": at least 1 ms and a whole number of milliseconds.
std::optional<std::string> duration_problem(std::string_view text);
// RE2 syntax, at most 1024 characters.
std::optional<std::string> regex_problem(std::string_view text);
std::optional<std::string> label_key_problem(std::string_view text);
std::optional<std::string> label_value_problem(std::string_view text);
bool is_ip(std::string_view text);
std::string to_upper_ascii(std::string_view text);
bool is_cidr(std::string_view text);

// Checks that apply a rule to a node and report into `report` at `path`.
void check_port_number(Report& report, const Node& port, std::string_view path);
void check_duration(Report& report, const Node& value, std::string_view path);
void check_percent(Report& report, const Node& value, std::string_view path);
void check_regex(Report& report, const Node& value, std::string_view path);
// matchLabels-style selector maps: valid keys and values, no wildcards; empty warns.
void check_selector(Report& report, const Node& selector, std::string_view path);
void check_labels(Report& report, const Node& labels, std::string_view path);
// exportTo lists: ".", "*", "~" (when `allow_none`) or namespace names; no duplicates.
void check_export_to(Report& report, const Node& export_to, std::string_view path, bool allow_none);
// Known protocol names of Istio ports (HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP, TLS, ...).
bool is_known_protocol(std::string_view protocol);
// `selector`, `targetRef` and `targetRefs` are mutually exclusive; targetRef needs kind and name.
void check_policy_target(Report& report, const Node& spec, std::string_view selector_field);

}  // namespace getmesh::validate::schema
