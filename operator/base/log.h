#pragma once
// Structured logging (logr/zap style) without a global logger: a Logger is a cheap value that is
// passed to whoever logs. Children made with withName()/withValues() share the parent's sink
// (output stream, level, format, clock), so all writes to one stream are serialised by one mutex
// and a line is never interleaved with another.
//
//   Logger log(clock, std::cerr, {.level = LogLevel::Info, .format = LogFormat::Json});
//   auto rlog = log.withName("rollout").withValues({{"controller", "telemetryrollout"}});
//   rlog.info("reconciled", {{"rollout", key}, {"phase", "Progressing"}});
//
// JSON lines carry ts (RFC 3339, UTC, milliseconds, from the Clock), level, logger (omitted when
// the logger has no name), msg, then bound fields, then call fields, in that order. Text lines are
// logfmt: ts=... level=... logger=... msg=... key=value, values quoted when they need it.
// Caveat: the stream must outlive every Logger that shares it.

#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "operator/base/clock.h"
#include "operator/base/result.h"

namespace tro::base {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 };
enum class LogFormat { Json, Text };

// For command-line flags: "debug|info|warn|error" and "json|text".
Result<LogLevel, std::string> parseLogLevel(std::string_view s);
Result<LogFormat, std::string> parseLogFormat(std::string_view s);
std::string_view toString(LogLevel level);

using LogValue = std::variant<std::string, std::int64_t, double, bool>;

// One key/value pair. Any string-like, integral, floating-point or bool value converts.
struct LogField {
  template <typename V>
  LogField(std::string k, V&& v) : key(std::move(k)), value(toValue(std::forward<V>(v))) {}

  std::string key;
  LogValue value;

 private:
  template <typename V>
  static LogValue toValue(V&& v) {
    using D = std::remove_cvref_t<V>;
    if constexpr (std::same_as<D, bool>) {
      return LogValue(v);
    } else if constexpr (std::integral<D>) {
      return LogValue(static_cast<std::int64_t>(v));
    } else if constexpr (std::floating_point<D>) {
      return LogValue(static_cast<double>(v));
    } else {
      static_assert(std::convertible_to<V, std::string_view>, "log values: string, number, bool");
      return LogValue(std::string(std::string_view(v)));
    }
  }
};

using LogFields = std::vector<LogField>;

struct LogOptions {
  LogLevel level = LogLevel::Info;
  LogFormat format = LogFormat::Json;
};

class Logger {
 public:
  // Writes to `out` (e.g. std::cerr); `clock` and `out` must outlive the logger and its children.
  Logger(const Clock& clock, std::ostream& out, LogOptions options = {});

  // A child whose name is this logger's name joined with `name` by '.'.
  Logger withName(std::string_view name) const;
  // A child that adds `fields` to every line it writes.
  Logger withValues(LogFields fields) const;

  bool enabled(LogLevel level) const;
  void log(LogLevel level, std::string_view msg, const LogFields& fields = {}) const;
  void debug(std::string_view msg, const LogFields& fields = {}) const;
  void info(std::string_view msg, const LogFields& fields = {}) const;
  void warn(std::string_view msg, const LogFields& fields = {}) const;
  void error(std::string_view msg, const LogFields& fields = {}) const;

 private:
  struct Sink;  // shared output: stream, mutex, clock, options

  Logger(std::shared_ptr<Sink> sink, std::string name, LogFields bound);

  std::shared_ptr<Sink> sink_;
  std::string name_;
  LogFields bound_;
};

}  // namespace tro::base
