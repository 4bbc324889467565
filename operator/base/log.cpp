#include "operator/base/log.h"

#include <charconv>
#include <cmath>
#include <ctime>
#include <mutex>
#include <ostream>

namespace tro::base {

struct Logger::Sink {
  // A constructor, not an aggregate: make_shared of an aggregate needs clang 16 (scripts/fuzz).
  Sink(const Clock& c, std::ostream& o, LogOptions opts)
      : clock(c), out(o), options(std::move(opts)) {}
  const Clock& clock;
  std::ostream& out;
  LogOptions options;
  std::mutex mu;  // guards writes to `out`
};

namespace {

// RFC 3339 in UTC with milliseconds, e.g. 2026-11-21T05:58:51.123Z.
std::string formatTimestamp(TimePoint t) {
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
  if (secs > t) secs -= std::chrono::seconds(1);  // floor for times before the epoch
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(t - secs).count();
  std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  char ms[8];
  std::snprintf(ms, sizeof(ms), ".%03d", static_cast<int>(millis % 1000));
  return std::string(buf) + ms + "Z";
}

std::string formatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

void appendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof(esc), "\\u%04x", static_cast<unsigned>(c));
          out += esc;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void appendJsonValue(std::string& out, const LogValue& v) {
  if (auto* s = std::get_if<std::string>(&v)) {
    appendJsonString(out, *s);
  } else if (auto* i = std::get_if<std::int64_t>(&v)) {
    out += std::to_string(*i);
  } else if (auto* b = std::get_if<bool>(&v)) {
    out += *b ? "true" : "false";
  } else {
    double d = std::get<double>(v);
    // JSON has no NaN/Inf: write them as strings so the line stays parseable.
    if (std::isfinite(d)) {
      out += formatDouble(d);
    } else {
      appendJsonString(out, formatDouble(d));
    }
  }
}

bool needsQuotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

void appendTextValue(std::string& out, std::string_view s) {
  if (!needsQuotes(s)) {
    out += s;
    return;
  }
  appendJsonString(out, s);  // same escaping rules as logfmt's quoted values
}

std::string textOf(const LogValue& v) {
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return formatDouble(std::get<double>(v));
}

class LineBuilder {
 public:
  explicit LineBuilder(LogFormat format) : json_(format == LogFormat::Json) {
    if (json_) line_ += '{';
  }
  void add(std::string_view key, const LogValue& value) {
    if (json_) {
      if (line_.size() > 1) line_ += ',';
      appendJsonString(line_, key);
      line_ += ':';
      appendJsonValue(line_, value);
    } else {
      if (!line_.empty()) line_ += ' ';
      appendTextValue(line_, key);
      line_ += '=';
      appendTextValue(line_, textOf(value));
    }
  }
  std::string finish() && {
    if (json_) line_ += '}';
    line_ += '\n';
    return std::move(line_);
  }

 private:
  bool json_;
  std::string line_;
};

}  // namespace

Result<LogLevel, std::string> parseLogLevel(std::string_view s) {
  if (s == "debug") return LogLevel::Debug;
  if (s == "info") return LogLevel::Info;
  if (s == "warn") return LogLevel::Warn;
  if (s == "error") return LogLevel::Error;
  return fail("unknown log level \"" + std::string(s) + "\" (want debug, info, warn or error)");
}

Result<LogFormat, std::string> parseLogFormat(std::string_view s) {
  if (s == "json") return LogFormat::Json;
  if (s == "text") return LogFormat::Text;
  return fail("unknown log format \"" + std::string(s) + "\" (want json or text)");
}

std::string_view toString(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warn:
      return "warn";
    case LogLevel::Error:
      return "error";
  }
  return "unknown";
}

Logger::Logger(const Clock& clock, std::ostream& out, LogOptions options)
    : sink_(std::make_shared<Sink>(clock, out, options)) {}

Logger::Logger(std::shared_ptr<Sink> sink, std::string name, LogFields bound)
    : sink_(std::move(sink)), name_(std::move(name)), bound_(std::move(bound)) {}

Logger Logger::withName(std::string_view name) const {
  std::string full = name_.empty() ? std::string(name) : name_ + "." + std::string(name);
  return Logger(sink_, std::move(full), bound_);
}

Logger Logger::withValues(LogFields fields) const {
  LogFields all = bound_;
  all.insert(all.end(), std::make_move_iterator(fields.begin()),
             std::make_move_iterator(fields.end()));
  return Logger(sink_, name_, std::move(all));
}

bool Logger::enabled(LogLevel level) const { return level >= sink_->options.level; }

void Logger::log(LogLevel level, std::string_view msg, const LogFields& fields) const {
  if (!enabled(level)) return;
  LineBuilder line(sink_->options.format);
  line.add("ts", formatTimestamp(sink_->clock.now()));
  line.add("level", std::string(toString(level)));
  if (!name_.empty()) line.add("logger", name_);
  line.add("msg", std::string(msg));
  for (const auto& f : bound_) line.add(f.key, f.value);
  for (const auto& f : fields) line.add(f.key, f.value);
  std::string text = std::move(line).finish();
  std::lock_guard lock(sink_->mu);
  sink_->out << text << std::flush;
}

void Logger::debug(std::string_view msg, const LogFields& fields) const {
  log(LogLevel::Debug, msg, fields);
}
void Logger::info(std::string_view msg, const LogFields& fields) const {
  log(LogLevel::Info, msg, fields);
}
void Logger::warn(std::string_view msg, const LogFields& fields) const {
  log(LogLevel::Warn, msg, fields);
}
void Logger::error(std::string_view msg, const LogFields& fields) const {
  log(LogLevel::Error, msg, fields);
}

}  // namespace tro::base
