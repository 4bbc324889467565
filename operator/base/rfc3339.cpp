#include "operator/base/rfc3339.h"

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace tro::base {
namespace {

using namespace std::chrono;

// Reads exactly `width` decimal digits at `pos`; advances `pos`.
std::optional<int> digits(std::string_view s, size_t& pos, size_t width) {
  if (pos + width > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += width;
  return v;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

// "+hh:mm" / "-hh:mm" / "Z" at pos: the offset east of UTC, or nullopt when malformed.
std::optional<minutes> zone(std::string_view s, size_t& pos) {
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
    return minutes(0);
  }
  if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-')) return std::nullopt;
  int sign = s[pos++] == '-' ? -1 : 1;
  auto hh = digits(s, pos, 2);
  if (!hh || !expect(s, pos, ':')) return std::nullopt;
  auto mm = digits(s, pos, 2);
  if (!mm || *hh > 23 || *mm > 59) return std::nullopt;
  return minutes(sign * (*hh * 60 + *mm));
}

// The fraction after "." in nanoseconds (0 when there is none); nullopt for a "." without digits.
std::optional<nanoseconds> fraction(std::string_view s, size_t& pos) {
  if (pos >= s.size() || s[pos] != '.') return nanoseconds(0);
  ++pos;
  int64_t num = 0, den = 1;
  size_t start = pos;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (den < 1'000'000'000) {
      num = num * 10 + (s[pos] - '0');
      den *= 10;
    }
    ++pos;
  }
  if (pos == start) return std::nullopt;
  return nanoseconds(num * (1'000'000'000 / den));
}

// "YYYY-MM-DDTHH:MM:SS" of a whole second, UTC.
std::string wholeSeconds(sys_seconds secs) {
  auto day = floor<days>(secs);
  year_month_day ymd{day};
  hh_mm_ss<seconds> hms{secs - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

}  // namespace

std::optional<TimePoint> parseRfc3339(std::string_view text) {
  size_t pos = 0;
  auto y = digits(text, pos, 4);
  if (!y || !expect(text, pos, '-')) return std::nullopt;
  auto mo = digits(text, pos, 2);
  if (!mo || !expect(text, pos, '-')) return std::nullopt;
  auto d = digits(text, pos, 2);
  if (!d || pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
  ++pos;
  auto h = digits(text, pos, 2);
  if (!h || !expect(text, pos, ':')) return std::nullopt;
  auto mi = digits(text, pos, 2);
  if (!mi || !expect(text, pos, ':')) return std::nullopt;
  auto s = digits(text, pos, 2);
  if (!s) return std::nullopt;
  auto frac = fraction(text, pos);
  auto offset = frac ? zone(text, pos) : std::nullopt;
  if (!offset || pos != text.size()) return std::nullopt;
  year_month_day ymd{year(*y), month(static_cast<unsigned>(*mo)), day(static_cast<unsigned>(*d))};
  if (!ymd.ok() || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  // Four-digit years always fit in seconds; the clock's finer duration does not hold them all,
  // so the range is checked in seconds before converting.
  const sys_seconds at = sys_days(ymd) + hours(*h) + minutes(*mi) + seconds(*s) - *offset;
  constexpr auto kFirst = ceil<seconds>(TimePoint::min().time_since_epoch()) + seconds(1);
  constexpr auto kLast = floor<seconds>(TimePoint::max().time_since_epoch()) - seconds(1);
  if (at.time_since_epoch() < kFirst || at.time_since_epoch() > kLast) return std::nullopt;
  return time_point_cast<Duration>(at) + duration_cast<Duration>(*frac);
}

std::string formatRfc3339(TimePoint t) { return wholeSeconds(floor<seconds>(t)) + "Z"; }

std::string formatRfc3339Micro(TimePoint t) {
  const auto us = floor<microseconds>(t);
  const auto secs = floor<seconds>(us);
  char fraction[32];
  std::snprintf(fraction, sizeof fraction, ".%06lldZ", static_cast<long long>((us - secs).count()));
  return wholeSeconds(secs) + fraction;
}

TimePoint truncateToSeconds(TimePoint t) { return time_point_cast<Duration>(floor<seconds>(t)); }

}  // namespace tro::base
