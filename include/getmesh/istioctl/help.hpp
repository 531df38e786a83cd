#pragma once

#include <getmesh/exec/process.hpp>

#include <optional>
#include <string>
#include <vector>

namespace getmesh::istioctl {

// The commands an istioctl binary offers, read from its `--help` (and `x --help`, where older
// releases keep experimental commands), each asked at most once.
class Help {
 public:
  Help(std::string istioctl, exec::EnvironmentOverrides overrides)
      : istioctl_(std::move(istioctl)), overrides_(std::move(overrides)) {}

  // The words that run `command`: {command} when the top-level help lists it, {"x", command} when
  // only `istioctl x` does, empty when neither.
  std::vector<std::string> locate(const std::string& command);
  // Whether the top-level help lists `command`.
  bool has(const std::string& command);

 private:
  const std::string& text(std::optional<std::string>& cache, const std::vector<std::string>& args);

  std::string istioctl_;
  exec::EnvironmentOverrides overrides_;
  std::optional<std::string> top_;
  std::optional<std::string> experimental_;
};

}  // namespace getmesh::istioctl
