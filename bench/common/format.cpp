#include "bench/common/format.h"

#include <cstdio>

namespace tro::bench {

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

}  // namespace tro::bench
