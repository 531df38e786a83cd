#pragma once

#include <getmesh/core/result.hpp>

#include <nlohmann/json.hpp>

#include <string>

// Helm release values in an upgrade record. They may hold secrets (passwords, tokens, keys given to
// a chart), so the record's ConfigMap never holds them: they live in a Secret the ConfigMap owns,
// and are put back into the plan when the record is read.
namespace getmesh::upgrade::record_values {

// The Secret of one stored set of values: "getmesh-upgrade-values-<id>".
std::string secret_name(const std::string& id);

// Takes every value set out of the Helm part of `record` (the record's JSON, as to_json(Record)
// writes it): each key named "values" or ending in "_values" below plan.helm, whatever release
// it belongs to. Returns them by JSON pointer ({"/plan/helm/base/values": {...}, ...}).
nlohmann::json take_values(nlohmann::ordered_json& record);

// Puts what take_values took back into `record`. A pointer outside plan.helm, or one whose parent
// is not an object of the record, is an error (values that belong to another record).
Status put_values(nlohmann::json& record, const nlohmann::json& values);

// The Secret holding `values` for the record whose ConfigMap names `id`.
nlohmann::json secret(const std::string& istio_namespace, const std::string& id,
                      const nlohmann::json& values);

// The values in Secret `object` when it holds those of `id`; an error saying what is wrong
// otherwise.
Result<nlohmann::json> values_of_secret(const nlohmann::json& object, const std::string& id);

}  // namespace getmesh::upgrade::record_values
