#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace getmesh {

std::vector<std::string> split(std::string_view text, char separator);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
std::string_view trim(std::string_view text);
std::string to_lower(std::string_view text);
// Parses a whole string as a non-negative decimal integer; nullopt on anything else or overflow.
std::optional<std::int64_t> parse_non_negative(std::string_view text);
// Renders `text` in double quotes with control characters escaped, for messages about user input.
std::string quote(std::string_view text);
bool is_hex(std::string_view text);

}  // namespace getmesh
