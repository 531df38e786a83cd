#include <getmesh/core/strings.hpp>
#include <getmesh/core/version.hpp>

namespace getmesh {

namespace {

Result<std::vector<std::int64_t>> parse_numbers(std::string_view text, std::size_t min_parts,
                                                std::size_t max_parts, std::string_view form) {
  auto parts = split(text, '.');
  auto invalid = [&] {
    return runtime_error("version " + quote(text) + " is not of the form " + std::string(form));
  };
  if (parts.size() < min_parts || parts.size() > max_parts) return invalid();
  std::vector<std::int64_t> numbers;
  for (const auto& part : parts) {
    auto number = parse_non_negative(part);
    if (!number) return invalid();
    numbers.push_back(*number);
  }
  return numbers;
}

}  // namespace

Result<Version> Version::parse(std::string_view text) {
  auto numbers = parse_numbers(text, 3, 3, "X.Y.Z");
  if (!numbers) return numbers.error();
  return Version{(*numbers)[0], (*numbers)[1], (*numbers)[2]};
}

std::string Version::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::string Version::minor_string() const { return MinorVersion::of(*this).to_string(); }

Result<MinorVersion> MinorVersion::parse(std::string_view text, bool allow_patch) {
  auto numbers = parse_numbers(text, 2, allow_patch ? 3 : 2, allow_patch ? "X.Y or X.Y.Z" : "X.Y");
  if (!numbers) return numbers.error();
  return MinorVersion{(*numbers)[0], (*numbers)[1]};
}

std::string MinorVersion::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

}  // namespace getmesh
