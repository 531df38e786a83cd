#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace getmesh {

// A snapshot of the process environment, passed down explicitly so code stays testable.
class Environment {
 public:
  Environment() = default;
  explicit Environment(std::map<std::string, std::string, std::less<>> variables)
      : variables_(std::move(variables)) {}
  static Environment from_process();

  // The value of `name` when set and non-empty.
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  void set(std::string name, std::string value) { variables_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> variables_;
};

}  // namespace getmesh
