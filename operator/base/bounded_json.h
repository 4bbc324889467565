#pragma once
// JSON from outside (API server answers, watch lines, Prometheus and Alertmanager bodies),
// parsed within limits: at most maxBytes of text and maxDepth levels of nesting, checked by one
// linear scan before the parser allocates anything. A body of 100,000 '[' is refused here in
// microseconds instead of building a tree that later code could recurse through. Errors quote at
// most a short, cleaned prefix of the input (untrusted_text.h), never the input itself.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "operator/base/result.h"

namespace tro::base {

struct JsonLimits {
  size_t maxBytes = 64u << 20;
  int maxDepth = 128;  // Kubernetes objects with managedFields nest about 20 deep
};

// The nesting depth of `text` (outside strings), or -1 past `limit` (then scanning stops and
// `exceededAt`, when given, receives the offset of the bracket that went past it).
int jsonDepth(std::string_view text, int limit, size_t* exceededAt = nullptr);

Result<nlohmann::json, std::string> parseJsonBounded(std::string_view text, JsonLimits limits = {});
// The same with nlohmann's parser callback (it sees each value as it is parsed and may drop it).
Result<nlohmann::json, std::string> parseJsonBounded(
    std::string_view text, JsonLimits limits, const nlohmann::json::parser_callback_t& callback);

}  // namespace tro::base
