#include "controllers/rollout/json_patch_diff.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace tro::controllers {
namespace {

using Json = nlohmann::json;

// Beyond this many element pairs the edit-script alignment is too costly; arrays that large
// do not occur in pod templates, so they are compared index by index instead.
constexpr std::size_t kMaxAlignmentPairs = 4096;

Json op(const char* name, const std::string& path) { return Json{{"op", name}, {"path", path}}; }

Json op(const char* name, const std::string& path, const Json& value) {
  return Json{{"op", name}, {"path", path}, {"value", value}};
}

void append(Json& ops, Json more) {
  for (Json& o : more) ops.push_back(std::move(o));
}

void diffInto(Json& ops, const Json& from, const Json& to, const std::string& path);

void diffObjects(Json& ops, const Json& from, const Json& to, const std::string& path) {
  for (auto it = from.begin(); it != from.end(); ++it) {
    const std::string child = path + "/" + escapePointerToken(it.key());
    auto there = to.find(it.key());
    if (there == to.end()) {
      ops.push_back(op("remove", child));
    } else {
      diffInto(ops, *it, *there, child);
    }
  }
  for (auto it = to.begin(); it != to.end(); ++it) {
    if (!from.contains(it.key())) {
      ops.push_back(op("add", path + "/" + escapePointerToken(it.key()), *it));
    }
  }
}

void diffSameLengthArrays(Json& ops, const Json& from, const Json& to, const std::string& path) {
  for (std::size_t i = 0; i < from.size(); ++i) {
    diffInto(ops, from[i], to[i], path + "/" + std::to_string(i));
  }
}

// Edit-distance alignment where keeping a changed element costs the ops of its own diff,
// removing or adding one costs one op. Produces the cheapest script in the order documented
// in the header.
void diffArraysByAlignment(Json& ops, const Json& from, const Json& to, const std::string& path) {
  const std::size_t n = from.size();
  const std::size_t m = to.size();
  std::vector<std::vector<Json>> pairOps(n, std::vector<Json>(m));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      pairOps[i][j] = jsonDiff(from[i], to[j], path + "/" + std::to_string(i));
    }
  }
  // cost[i][j]: cheapest script turning from[i..] into to[j..].
  std::vector<std::vector<std::size_t>> cost(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n + 1; i-- > 0;) {
    for (std::size_t j = m + 1; j-- > 0;) {
      if (i == n || j == m) {
        cost[i][j] = (n - i) + (m - j);
        continue;
      }
      const std::size_t keep = pairOps[i][j].size() + cost[i + 1][j + 1];
      const std::size_t drop = 1 + cost[i + 1][j];
      const std::size_t insert = 1 + cost[i][j + 1];
      cost[i][j] = std::min({keep, drop, insert});
    }
  }
  std::vector<std::size_t> removed;
  std::vector<std::size_t> added;
  Json inPlace = Json::array();
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && cost[i][j] == pairOps[i][j].size() + cost[i + 1][j + 1]) {
      append(inPlace, pairOps[i][j]);
      ++i;
      ++j;
    } else if (i < n && (j == m || cost[i][j] == 1 + cost[i + 1][j])) {
      removed.push_back(i++);
    } else {
      added.push_back(j++);
    }
  }
  append(ops, std::move(inPlace));
  for (auto it = removed.rbegin(); it != removed.rend(); ++it) {
    ops.push_back(op("remove", path + "/" + std::to_string(*it)));
  }
  std::size_t size = n - removed.size();
  for (std::size_t index : added) {
    const std::string where = index == size ? "-" : std::to_string(index);
    ops.push_back(op("add", path + "/" + where, to[index]));
    ++size;
  }
}

void diffInto(Json& ops, const Json& from, const Json& to, const std::string& path) {
  if (from == to) return;
  if (from.type() != to.type()) {
    ops.push_back(op("replace", path, to));
  } else if (from.is_object()) {
    diffObjects(ops, from, to, path);
  } else if (from.is_array()) {
    if (from.size() == to.size() || from.size() * to.size() > kMaxAlignmentPairs) {
      if (from.size() == to.size()) {
        diffSameLengthArrays(ops, from, to, path);
      } else {
        ops.push_back(op("replace", path, to));
      }
    } else {
      diffArraysByAlignment(ops, from, to, path);
    }
  } else {
    ops.push_back(op("replace", path, to));
  }
}

}  // namespace

std::string escapePointerToken(const std::string& token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

Json jsonDiff(const Json& from, const Json& to, const std::string& path) {
  Json ops = Json::array();
  diffInto(ops, from, to, path);
  return ops;
}

Json makeJsonPatch(const Json& live, const Json& desired) {
  Json patch = Json::array();
  if (live.is_object() && live.contains("metadata") && live["metadata"].is_object()) {
    const Json& metadata = live["metadata"];
    if (auto rv = metadata.find("resourceVersion"); rv != metadata.end()) {
      patch.push_back(op("test", "/metadata/resourceVersion", *rv));
    }
  }
  append(patch, jsonDiff(live, desired));
  return patch;
}

bool isNoOpPatch(const Json& patch) {
  if (!patch.is_array()) return false;
  return std::all_of(patch.begin(), patch.end(),
                     [](const Json& o) { return o.is_object() && o.value("op", "") == "test"; });
}

}  // namespace tro::controllers
