#pragma once

#include <getmesh/core/result.hpp>

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace getmesh {

// A calendar date in UTC, as used by end-of-life dates (`YYYY-MM-DD`).
struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;

  // Strict `YYYY-MM-DD` with a real calendar day.
  static Result<CivilDate> parse(std::string_view text);
  static CivilDate today_utc();
  static CivilDate from_days(std::int64_t days_since_epoch);
  [[nodiscard]] std::int64_t days_since_epoch() const;
  [[nodiscard]] std::string to_string() const;

  auto operator<=>(const CivilDate&) const = default;
};

// Whole days from `from` to `to` (negative when `to` is earlier).
inline std::int64_t days_between(const CivilDate& from, const CivilDate& to) {
  return to.days_since_epoch() - from.days_since_epoch();
}

// `2026-01-31T12:00:00Z` (RFC 3339, UTC) for a time in seconds since the epoch.
std::string format_rfc3339(std::int64_t seconds_since_epoch);

}  // namespace getmesh
