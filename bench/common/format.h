#pragma once
// One number in a printf pattern ("%.3f s"), for the benchmarks' reports. The pattern must take
// exactly one double; the text is cut at 63 characters.

#include <string>

namespace tro::bench {

std::string format(const char* pattern, double value);

}  // namespace tro::bench
