#include "kubesim/http/flags.h"

#include <cctype>
#include <charconv>
#include <limits>
#include <optional>

namespace kubesim::http {
namespace {

using tro::base::fail;

template <typename T>
std::optional<T> parseUnsigned(const std::string& text, T max) {
  unsigned long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value > max)
    return std::nullopt;
  return static_cast<T>(value);
}

std::optional<LogLevel> parseLogLevel(const std::string& text) {
  if (text == "error") return LogLevel::Error;
  if (text == "info") return LogLevel::Info;
  if (text == "debug") return LogLevel::Debug;
  return std::nullopt;
}

std::optional<double> parseDouble(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// The --fault-* flags; false when `name` is not one of them. Range checks come afterwards.
bool applyFault(FaultSettings& f, const std::string& name, const std::string& value, bool& ok) {
  ok = true;
  auto share = [&](double& out) {
    auto v = parseDouble(value);
    ok = v.has_value();
    if (ok) out = *v;
  };
  auto millis = [&](std::chrono::milliseconds& out) {
    auto d = parseDuration(value);
    ok = d.has_value();
    if (ok) out = *d;
  };
  if (name == "--fault-seed") {
    auto v = parseUnsigned<std::uint64_t>(value, std::numeric_limits<std::uint64_t>::max());
    ok = v.has_value();
    if (ok) f.seed = *v;
  } else if (name == "--fault-error-share") {
    share(f.errorShare);
  } else if (name == "--fault-error-code") {
    auto v = parseUnsigned<unsigned>(value, 999u);
    ok = v.has_value();
    if (ok) f.errorCode = static_cast<int>(*v);
  } else if (name == "--fault-retry-after") {
    auto v = parseUnsigned<unsigned>(value, 3600u);
    ok = v.has_value();
    if (ok) f.retryAfterSeconds = static_cast<int>(*v);
  } else if (name == "--fault-conflict-share") {
    share(f.conflictShare);
  } else if (name == "--fault-verbs") {
    f.verbs = splitList(value);
  } else if (name == "--fault-resources") {
    f.resources = splitList(value);
  } else if (name == "--fault-latency") {
    millis(f.latency);
  } else if (name == "--fault-watch-cut-share") {
    share(f.watchCutShare);
  } else if (name == "--fault-watch-cut-after") {
    millis(f.watchCutAfter);
  } else {
    return false;
  }
  return true;
}

// The simulated cluster's flags; false when `name` is not one of them.
bool applyWorld(Flags& flags, const std::string& name, const std::string& value, bool& ok) {
  ok = true;
  std::optional<std::chrono::milliseconds> d;
  if (name == "--pod-start-delay" || name == "--pod-ready-delay") {
    d = parseDuration(value);
    ok = d.has_value();
    if (ok) (name == "--pod-start-delay" ? flags.podStartDelay : flags.podReadyDelay) = *d;
  } else if (name == "--metrics-port") {
    auto port = parseUnsigned<std::uint16_t>(value, std::numeric_limits<std::uint16_t>::max());
    ok = port.has_value();
    if (ok) flags.metricsPort = *port;
  } else if (name == "--metrics-port-file") {
    ok = !value.empty();
    flags.metricsPortFile = value;
  } else {
    return false;
  }
  return true;
}

// Applies one "--name value" pair; error text names the flag.
tro::base::Result<void, std::string> apply(Flags& flags, const std::string& name,
                                           const std::string& value) {
  const std::string bad = "invalid value \"" + value + "\" for " + name;
  bool ok = true;
  if (applyFault(flags.faults, name, value, ok) || applyWorld(flags, name, value, ok)) {
    if (!ok) return fail(bad);
    return {};
  }
  if (name == "--port") {
    auto port = parseUnsigned<std::uint16_t>(value, std::numeric_limits<std::uint16_t>::max());
    if (!port) return fail(bad);
    flags.port = *port;
  } else if (name == "--bind") {
    if (value.empty()) return fail(bad);
    flags.bind = value;
  } else if (name == "--token") {
    if (value.empty()) return fail(bad);
    flags.token = value;
  } else if (name == "--kubeconfig-out") {
    flags.kubeconfigOut = value;
  } else if (name == "--audit-log-path") {
    if (value.empty()) return fail(bad);
    flags.auditLogPath = value;
  } else if (name == "--watch-history") {
    auto n = parseUnsigned<std::size_t>(value, std::numeric_limits<std::size_t>::max());
    if (!n || *n == 0) return fail(bad);
    flags.watchHistory = *n;
  } else if (name == "--log-level") {
    auto level = parseLogLevel(value);
    if (!level) return fail(bad + " (want error, info or debug)");
    flags.logLevel = *level;
  } else {
    return fail("unknown flag " + name);
  }
  return {};
}

}  // namespace

tro::base::Result<Flags, std::string> parseFlags(const std::vector<std::string>& args) {
  Flags flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    if (name == "--plain-http") {
      flags.plainHttp = true;
      continue;
    }
    if (name == "--no-controllers") {
      flags.noControllers = true;
      continue;
    }
    if (name == "--help" || name == "-h") {
      flags.help = true;
      continue;
    }
    std::string value;
    if (auto eq = name.find('='); eq != std::string::npos && name.starts_with("--")) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return fail("flag " + name + " needs a value");
    }
    if (auto r = apply(flags, name, value); !r) return fail(r.error());
  }
  if (auto problem = checkFaultSettings(flags.faults); !problem.empty())
    return fail("invalid --fault-* flags: " + problem);
  return flags;
}

std::string usage() {
  return "usage: kubesim [--port N] [--bind ADDR] [--token T] [--kubeconfig-out FILE]\n"
         "               [--watch-history N] [--plain-http] [--log-level error|info|debug]\n"
         "               [--audit-log-path FILE]\n"
         "               [--no-controllers] [--pod-start-delay D] [--pod-ready-delay D]\n"
         "               [--metrics-port N] [--metrics-port-file FILE]\n"
         "               [--fault-seed N] [--fault-error-share F] [--fault-error-code C]\n"
         "               [--fault-retry-after S] [--fault-conflict-share F]\n"
         "               [--fault-verbs V,...] [--fault-resources R,...] [--fault-latency D]\n"
         "               [--fault-watch-cut-share F] [--fault-watch-cut-after D]\n"
         "  D is a Go duration (200ms, 1.5s, 1m30s); control at run time: /kubesim/faults,\n"
         "  /kubesim/requests, /kubesim/metrics (same bearer token as the API)\n";
}

std::optional<std::chrono::milliseconds> parseDuration(const std::string& text) {
  if (text == "0") return std::chrono::milliseconds(0);
  static const std::pair<const char*, double> kUnits[] = {{"ns", 1e-6}, {"us", 1e-3}, {"ms", 1.0},
                                                          {"s", 1e3},   {"m", 6e4},   {"h", 3.6e6}};
  double total = 0;
  std::size_t i = 0;
  if (text.empty()) return std::nullopt;
  while (i < text.size()) {
    std::size_t numEnd = i;
    while (numEnd < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[numEnd])) || text[numEnd] == '.'))
      ++numEnd;
    auto number = parseDouble(text.substr(i, numEnd - i));
    if (!number) return std::nullopt;
    std::size_t unitEnd = numEnd;
    while (unitEnd < text.size() && !std::isdigit(static_cast<unsigned char>(text[unitEnd])) &&
           text[unitEnd] != '.')
      ++unitEnd;
    const std::string unit = text.substr(numEnd, unitEnd - numEnd);
    bool known = false;
    for (const auto& [name, ms] : kUnits) {
      if (unit == name) {
        total += *number * ms;
        known = true;
      }
    }
    if (!known) return std::nullopt;
    i = unitEnd;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(total + 0.5));
}

}  // namespace kubesim::http
