#include "kubesim/http/flags.h"

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
  if (text == "error") return LogLevel::kError;
  if (text == "info") return LogLevel::kInfo;
  if (text == "debug") return LogLevel::kDebug;
  return std::nullopt;
}

// Applies one "--name value" pair; error text names the flag.
tro::base::Result<void, std::string> apply(Flags& flags, const std::string& name,
                                           const std::string& value) {
  const std::string bad = "invalid value \"" + value + "\" for " + name;
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
  return flags;
}

std::string usage() {
  return "usage: kubesim [--port N] [--bind ADDR] [--token T] [--kubeconfig-out FILE]\n"
         "               [--watch-history N] [--plain-http] [--log-level error|info|debug]\n";
}

}  // namespace kubesim::http
