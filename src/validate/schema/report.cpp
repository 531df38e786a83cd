#include "validate/schema/report.hpp"

namespace getmesh::validate::schema {

void Report::error(const Node& at, std::string_view path, std::string_view message) {
  sink_.add(resource_, "IST0106",
            "Schema validation error: " + std::string(path) + ": " + std::string(message),
            at.line());
}

void Report::warning(const Node& at, std::string_view path, std::string_view message) {
  sink_.add(resource_, "IST0133",
            "Schema validation warning: " + std::string(path) + ": " + std::string(message),
            at.line());
}

void Report::unreachable(const Node& at, std::string message) {
  sink_.add(resource_, "IST0130", std::move(message), at.line());
}

void Report::ineffective(const Node& at, std::string message) {
  sink_.add(resource_, "IST0131", std::move(message), at.line());
}

std::string item(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

}  // namespace getmesh::validate::schema
