#pragma once

#include "validate/sink.hpp"

#include <getmesh/validate/resource.hpp>

#include <string>
#include <string_view>

namespace getmesh::validate::schema {

// The schema findings of one object: IST0106 errors (the API server or istiod rejects the object)
// and IST0133 warnings, each naming the field path and written at the field's line.
class Report {
 public:
  Report(const Resource& resource, Sink& sink) : resource_(resource), sink_(sink) {}

  void error(const Node& at, std::string_view path, std::string_view message);
  void warning(const Node& at, std::string_view path, std::string_view message);
  // IST0130 / IST0131: rules of a VirtualService that never match.
  void unreachable(const Node& at, std::string message);
  void ineffective(const Node& at, std::string message);
  [[nodiscard]] const Resource& resource() const { return resource_; }

 private:
  const Resource& resource_;
  Sink& sink_;
};

// "spec.http[2]"
std::string item(std::string_view path, std::size_t index);

}  // namespace getmesh::validate::schema
