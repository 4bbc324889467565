#include "bench/common/args.h"

#include <charconv>

namespace tro::bench {

base::Result<Args, std::string> parseArgs(const std::vector<std::string>& argv,
                                          const std::set<std::string>& known) {
  Args args;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("--", 0) != 0) return base::fail("unexpected argument " + arg);
    std::string name = arg.substr(2);
    if (name == "help") {
      args["help"] = "";
      continue;
    }
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (!known.contains(name)) return base::fail("unknown flag --" + name);
    if (!value) {
      if (i + 1 >= argv.size()) return base::fail("--" + name + " needs a value");
      value = argv[++i];
    }
    args[name] = *value;
  }
  return args;
}

std::vector<std::string> splitCommas(const std::string& text) {
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

std::optional<std::vector<int>> parsePositiveList(const std::string& text) {
  std::vector<int> out;
  for (const std::string& item : splitCommas(text)) {
    int v = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec != std::errc() || end != item.data() + item.size() || v <= 0) return std::nullopt;
    out.push_back(v);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace tro::bench
