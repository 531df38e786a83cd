#pragma once

#include <chrono>
#include <cstdint>
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
// `text` with control characters (C0 but newline and tab, DEL, and C1 in UTF-8) escaped as \xNN /
// \u00NN, so text from servers and files cannot rewrite the terminal it is printed on. The one
// escaping function for everything printed: messages, logs, tables and status. `single_line`
// (table cells) escapes newline and tab too.
std::string escape_control(std::string_view text, bool single_line = false);
// `text` with what may be a secret replaced by "[redacted]": the value after "Bearer " or after
// token/password/secret followed by ':' or '=', and every run of 24 or more token characters
// (letters, digits, +/=_.~-) that holds both letters and digits (JWTs, access keys, hashes).
std::string redact_secrets(std::string_view text);
// "512 B", "1.5 KiB", "35.2 MiB": a size for messages.
std::string describe_bytes(std::uint64_t bytes);
// "30 s", "500 ms", "5 min": a duration for messages.
std::string describe_duration(std::chrono::milliseconds duration);

}  // namespace getmesh
