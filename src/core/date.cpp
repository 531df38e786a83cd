#include <getmesh/core/date.hpp>
#include <getmesh/core/strings.hpp>

#include <cstdio>
#include <ctime>

namespace getmesh {

namespace {

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

}  // namespace

Result<CivilDate> CivilDate::parse(std::string_view text) {
  const auto invalid = runtime_error("date " + quote(text) + " is not a calendar date YYYY-MM-DD");
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return invalid;
  const auto year = parse_non_negative(text.substr(0, 4));
  const auto month = parse_non_negative(text.substr(5, 2));
  const auto day = parse_non_negative(text.substr(8, 2));
  if (!year || !month || !day || *month < 1 || *month > 12) return invalid;
  const CivilDate date{static_cast<int>(*year), static_cast<int>(*month), static_cast<int>(*day)};
  if (date.day < 1 || date.day > days_in_month(date.year, date.month)) return invalid;
  return date;
}

CivilDate CivilDate::today_utc() {
  return from_days(static_cast<std::int64_t>(std::time(nullptr)) / 86400);
}

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
std::int64_t CivilDate::days_since_epoch() const {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t shifted_month = month > 2 ? month - 3 : month + 9;
  const std::int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

CivilDate CivilDate::from_days(std::int64_t days_since_epoch) {
  const std::int64_t z = days_since_epoch + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const auto month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  const auto year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return CivilDate{year, month, day};
}

std::string CivilDate::to_string() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
  return text;
}

std::string format_rfc3339(std::int64_t seconds_since_epoch) {
  constexpr std::int64_t kDay = 86400;
  auto days = seconds_since_epoch / kDay;
  auto rest = seconds_since_epoch % kDay;
  if (rest < 0) {
    rest += kDay;
    --days;
  }
  char time[16];
  std::snprintf(time, sizeof time, "T%02d:%02d:%02dZ", static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60));
  return CivilDate::from_days(days).to_string() + time;
}

}  // namespace getmesh
