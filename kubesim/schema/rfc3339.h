#pragma once
// RFC 3339 timestamps as Kubernetes writes them ("2026-11-21T05:39:24Z", with optional
// fractional seconds and numeric offsets). Internal to kubesim_schema.

#include <chrono>
#include <optional>
#include <string>

namespace kubesim::schema::detail {

std::optional<std::chrono::system_clock::time_point> parseRfc3339(const std::string& s);

}  // namespace kubesim::schema::detail
