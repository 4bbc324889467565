#pragma once
// Logger: one line per message on stderr, filtered by level; thread-safe. Owned by main() and
// passed by reference (no global logger).

#include <iostream>
#include <mutex>
#include <string_view>

namespace kubesim::http {

enum class LogLevel { Error, Info, Debug };

class Logger {
 public:
  explicit Logger(LogLevel level, std::ostream& out = std::cerr) : level_(level), out_(out) {}
  bool enabled(LogLevel level) const { return level <= level_; }
  void log(LogLevel level, std::string_view message) {
    if (!enabled(level)) return;
    std::lock_guard lock(mutex_);
    out_ << "kubesim: " << message << '\n' << std::flush;
  }

 private:
  const LogLevel level_;
  std::mutex mutex_;
  std::ostream& out_;  // guarded by mutex_
};

}  // namespace kubesim::http
