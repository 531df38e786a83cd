#pragma once

#include <getmesh/core/result.hpp>

#include <cstdint>
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

// The value of `name` as a positive whole number, `fallback` when it is unset; anything else is a
// usage error naming the variable.
Result<std::int64_t> positive_number(const Environment& environment, std::string_view name,
                                     std::int64_t fallback);

}  // namespace getmesh
