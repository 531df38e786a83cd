#include "upgrade/json_texts.hpp"
#include "upgrade/record_values.hpp"

#include <getmesh/core/date.hpp>
#include <getmesh/core/posix.hpp>
#include <getmesh/core/strings.hpp>
#include <getmesh/kube/object.hpp>
#include <getmesh/upgrade/record.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <random>
#include <unistd.h>

namespace getmesh::upgrade {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::array<std::pair<Phase, const char*>, 7> kPhases{{
    {Phase::kInProgress, "in-progress"},
    {Phase::kStopped, "stopped"},
    {Phase::kFailed, "failed"},
    {Phase::kMoved, "moved"},
    {Phase::kRollingBack, "rolling-back"},
    {Phase::kRolledBack, "rolled-back"},
    {Phase::kFinished, "finished"},
}};

std::optional<Phase> phase_named(const std::string& text) {
  for (const auto& [phase, name] : kPhases) {
    if (text == name) return phase;
  }
  return std::nullopt;
}

std::string host_name() {
  std::array<char, 256> buffer{};
  if (::gethostname(buffer.data(), buffer.size() - 1) != 0) return "unknown";
  return buffer.data();
}

std::string random_id() {
  std::random_device device;
  std::uniform_int_distribution<unsigned> digit(0, 15);
  std::string id;
  for (int i = 0; i < 16; ++i) id.push_back("0123456789abcdef"[digit(device)]);
  return id;
}

// Whether the values Secret `object` has an owner (the record's ConfigMap, once it was written).
bool record_secret_owned(const json& object) {
  const auto metadata = object.value("metadata", json::object());
  const auto owners = metadata.value("ownerReferences", json::array());
  return owners.is_array() && !owners.empty();
}

Result<Record> read_record(const json& document) {
  if (!document.is_object()) return runtime_error("the record is not a JSON object");
  auto plan = plan_from_json(document.contains("plan") ? document["plan"] : json());
  if (!plan) return plan.error();
  Record record;
  record.plan = std::move(*plan);
  const auto phase = phase_named(document.value("phase", ""));
  if (!phase) return runtime_error("the record has no valid phase");
  record.phase = *phase;
  record.done = texts_at(document, "done");
  record.moved_tags = texts_at(document, "moved_tags");
  record.moved_namespaces = texts_at(document, "moved_namespaces");
  if (document.contains("installed_revisions")) {
    const auto& installed = document["installed_revisions"];
    if (!installed.is_array() ||
        !std::all_of(installed.begin(), installed.end(),
                     [](const json& value) { return value.is_string(); })) {
      return runtime_error("the record's installed_revisions is not a list of revision names");
    }
  }
  record.installed_revisions = texts_at(document, "installed_revisions");
  for (const auto& revision : record.installed_revisions) {
    if (revision != record.plan.target.revision) {  // getmesh only ever installs the target
      return runtime_error("the record's installed_revisions names revision " + quote(revision) +
                           ", which is not the upgrade's target revision " +
                           quote(record.plan.target.revision));
    }
  }
  record.cordoned_nodes = texts_at(document, "cordoned_nodes");
  for (const auto& node : record.cordoned_nodes) {
    if (node.empty() || node.find('/') != std::string::npos || node.size() > 253) {
      return runtime_error("the record's cordoned_nodes names no node: " + quote(node));
    }
  }
  record.default_revision_moved = document.value("default_revision_moved", false);
  record.batches_done = document.value("batches_done", 0);
  record.restart_stamp = document.value("restart_stamp", "");
  record.rollback_stamp = document.value("rollback_stamp", "");
  record.message = document.value("message", "");
  record.started_at = document.value("started_at", "");
  record.updated_at = document.value("updated_at", "");
  if (document.contains("holder") && document["holder"].is_object()) {
    const auto& holder = document["holder"];
    record.holder =
        Holder{holder.value("id", ""), holder.value("host", ""), holder.value("pid", 0L),
               holder.value("renewed_at", std::int64_t{0}), holder.value("child", 0L)};
    if (record.holder->child < 0) {
      return runtime_error("the record's holder.child is not a process id: " +
                           std::to_string(record.holder->child));
    }
  }
  return record;
}

}  // namespace

std::string to_string(Phase phase) {
  for (const auto& [candidate, name] : kPhases) {
    if (candidate == phase) return name;
  }
  return "in-progress";
}

bool Record::is_done(const std::string& step) const {
  return std::find(done.begin(), done.end(), step) != done.end();
}

bool Record::installed(const std::string& revision) const {
  return std::find(installed_revisions.begin(), installed_revisions.end(), revision) !=
         installed_revisions.end();
}

void Record::mark_done(const std::string& step) {
  if (!is_done(step)) done.push_back(step);
}

ordered_json to_json(const Record& record) {
  ordered_json document;
  document["phase"] = to_string(record.phase);
  document["source"] = record.plan.source.revision;
  document["target"] = record.plan.target.revision;
  document["done"] = record.done;
  document["moved_tags"] = record.moved_tags;
  document["moved_namespaces"] = record.moved_namespaces;
  document["installed_revisions"] = record.installed_revisions;
  document["cordoned_nodes"] = record.cordoned_nodes;
  document["default_revision_moved"] = record.default_revision_moved;
  document["batches_done"] = record.batches_done;
  document["restart_stamp"] = record.restart_stamp;
  document["rollback_stamp"] = record.rollback_stamp;
  document["message"] = record.message;
  document["started_at"] = record.started_at;
  document["updated_at"] = record.updated_at;
  if (record.holder) {
    document["holder"] = {{"id", record.holder->id},
                          {"host", record.holder->host},
                          {"pid", record.holder->pid},
                          {"renewed_at", record.holder->renewed_at},
                          {"child", record.holder->child}};
  } else {
    document["holder"] = nullptr;
  }
  document["plan"] = to_json(record.plan);
  return document;
}

Result<Record> record_from_json(const json& document) {
  try {
    return read_record(document);
  } catch (const json::exception& error) {  // value() of a field with the wrong type
    return runtime_error(std::string("the record has a field of the wrong type: ") + error.what());
  }
}

Holder current_holder(std::int64_t now) {
  return {random_id(), host_name(), static_cast<long>(::getpid()), now};
}

bool holder_alive(const Holder& holder, const std::string& this_host, std::int64_t now) {
  if (holder.host == this_host && holder.pid > 0) {
    return ::kill(static_cast<pid_t>(holder.pid), 0) == 0 || errno == EPERM ||
           (holder.child > 0 && posix::process_running(holder.child));
  }
  // A claim dated in the future (a clock ahead, or an edited record) is trusted no longer than a
  // lease from now: past that distance it cannot be the mark of a live run.
  return now - holder.renewed_at < kLeaseSeconds && holder.renewed_at - now < kLeaseSeconds;
}

std::string RecordStore::describe() const {
  return "ConfigMap " + istio_namespace_ + "/" + kRecordName;
}

std::string RecordStore::secrets_path(const std::string& name) const {
  return kube::resource_path("", "secrets", istio_namespace_, name);
}

std::pair<json, json> RecordStore::config_map(const Record& record) const {
  auto document = to_json(record);
  auto values = record_values::take_values(document);
  if (!record.values_id.empty()) {
    document["helm_values"] = {{"secret", record_values::secret_name(record.values_id)},
                               {"id", record.values_id}};
  }
  json object{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata",
               {{"name", kRecordName},
                {"namespace", istio_namespace_},
                {"labels", {{"app.kubernetes.io/managed-by", "getmesh"}}}}},
              {"data", {{kRecordKey, document.dump(2)}}}};
  if (!record.resource_version.empty())
    object["metadata"]["resourceVersion"] = record.resource_version;
  return {std::move(object), std::move(values)};
}

Result<std::optional<Record>> RecordStore::load() const {
  auto object =
      client_.get_if_exists(kube::resource_path("", "configmaps", istio_namespace_, kRecordName));
  if (!object) return object.error();
  if (!*object) return std::optional<Record>();
  const auto& map = **object;
  const auto text = kube::text_at(map, {"data", kRecordKey});
  const auto unreadable = [&](const std::string& why) {
    return runtime_error("the upgrade record " + describe() + " is not readable: " + why,
                         "if no upgrade is in progress, delete it (kubectl -n " + istio_namespace_ +
                             " delete configmap " + kRecordName + ")");
  };
  auto document = json::parse(text, nullptr, false);
  if (document.is_discarded()) return unreadable("its " + std::string(kRecordKey) + " is not JSON");
  const auto values_id = document.is_object() ? kube::text_at(document, {"helm_values", "id"}) : "";
  bool values_stored = false;
  bool values_owned = true;
  if (!values_id.empty()) {
    auto secret = client_.get_if_exists(secrets_path(record_values::secret_name(values_id)));
    if (!secret) return secret.error();
    auto values = *secret
                      ? record_values::values_of_secret(**secret, values_id)
                      : Result<json>(runtime_error("Secret " + istio_namespace_ + "/" +
                                                   record_values::secret_name(values_id) +
                                                   " with the Helm values of its plan is missing"));
    if (values) {
      if (auto put = record_values::put_values(document, *values); !put) {
        return unreadable(put.error().message);
      }
      values_stored = true;
      values_owned = record_secret_owned(**secret);
    } else if (const auto phase = phase_named(kube::text_at(document, {"phase"}));
               !phase || (*phase != Phase::kFinished && *phase != Phase::kRolledBack)) {
      return unreadable(values.error().message);  // a finished record needs no values
    }
  }
  auto record = record_from_json(document);
  if (!record) return unreadable(record.error().message);
  record->resource_version = kube::text_at(map, {"metadata", "resourceVersion"});
  record->values_id = values_id;
  record->values_stored = values_stored;
  record->values_owned = values_owned;
  return std::optional<Record>(std::move(*record));
}

// Writes the ConfigMap (created or replaced); a plan whose values are not stored yet gets a new
// values Secret first, removed again when the ConfigMap write fails, and owned by the ConfigMap
// once it succeeded (as is a stored one read without an owner). The values Secret of the plan it
// replaced is deleted then.
Status RecordStore::write(Record& record, bool create) const {
  const auto previous_id = record.values_id;
  const bool new_values = record.plan.helm.has_value() && !record.values_stored;
  if (!record.plan.helm) record.values_id.clear();
  if (new_values) record.values_id = random_id();
  const auto [object, values] = config_map(record);
  const auto secret_path = secrets_path(record_values::secret_name(record.values_id));
  if (new_values) {
    auto created = client_.create(
        secrets_path(), record_values::secret(istio_namespace_, record.values_id, values));
    if (!created) {
      record.values_id = previous_id;
      return created.error();
    }
  }
  auto written =
      create ? client_.create(kube::resource_path("", "configmaps", istio_namespace_), object)
             : client_.replace(kube::resource_path("", "configmaps", istio_namespace_, kRecordName),
                               object);
  if (!written) {
    // The Secret belongs to a ConfigMap that was not written: best effort, as the error wins.
    if (new_values) static_cast<void>(client_.remove(secret_path));
    record.values_id = previous_id;
    return written.error();
  }
  record.resource_version = kube::text_at(*written, {"metadata", "resourceVersion"});
  if (new_values || (record.values_stored && !record.values_owned && !record.values_id.empty())) {
    const json owner{{"metadata",
                      {{"ownerReferences",
                        json::array({{{"apiVersion", "v1"},
                                      {"kind", "ConfigMap"},
                                      {"name", kRecordName},
                                      {"uid", kube::text_at(*written, {"metadata", "uid"})}}})}}}};
    if (auto owned = client_.patch(secret_path, owner, kube::PatchType::kMerge); !owned) {
      return owned.error();
    }
    record.values_stored = true;
    record.values_owned = true;
  }
  if (!previous_id.empty() && previous_id != record.values_id) {
    // The replaced plan's values; it is owned by the ConfigMap too, so it goes with it at worst.
    static_cast<void>(client_.remove(secrets_path(record_values::secret_name(previous_id))));
  }
  return {};
}

Status RecordStore::create(Record& record) const {
  record.resource_version.clear();
  return write(record, true);
}

Status RecordStore::save(Record& record) const { return write(record, false); }

}  // namespace getmesh::upgrade
