#pragma once
// Command-line flags of the benchmark programs: "--name value" or "--name=value", each name
// from a known set; "--help" is always known. Pure.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "operator/base/result.h"

namespace tro::bench {

using Args = std::map<std::string, std::string>;  // name (without "--") -> value

// Error: a message naming the unknown or incomplete flag.
base::Result<Args, std::string> parseArgs(const std::vector<std::string>& argv,
                                          const std::set<std::string>& known);
// "1,10,100" -> {1, 10, 100}; nullopt unless every item is a positive integer.
std::optional<std::vector<int>> parsePositiveList(const std::string& text);
std::vector<std::string> splitCommas(const std::string& text);

}  // namespace tro::bench
