// The JSONPath subset used by printer columns: .a.b, .a[0].b, .a[*].b, ['key'],
// [?(@.type=="Ready")].status, with optional surrounding {braces}.

#include <cctype>

#include "kubesim/schema/table.h"

namespace kubesim::schema {

namespace {

struct Filter {
  std::vector<std::string> path;  // after "@."
  bool equals = true;
  Json value;
};

std::vector<std::string> splitDots(const std::string& s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out.back() += s[++i];
    } else if (s[i] == '.') {
      out.emplace_back();
    } else {
      out.back() += s[i];
    }
  }
  return out;
}

const Json* walk(const Json& node, const std::vector<std::string>& path) {
  const Json* cur = &node;
  for (const auto& p : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(p);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::optional<Filter> parseFilter(std::string expr) {
  // expr: @.type=="Ready"  or  @.type!='x'  or  @.ready==true
  Filter f;
  auto op = expr.find("==");
  if (op == std::string::npos) {
    op = expr.find("!=");
    f.equals = false;
  }
  if (op == std::string::npos || expr.rfind("@.", 0) != 0) return std::nullopt;
  f.path = splitDots(expr.substr(2, op - 2));
  while (!f.path.empty() && !f.path.back().empty() && f.path.back().back() == ' ') {
    f.path.back().pop_back();
  }
  std::string lit = expr.substr(op + 2);
  while (!lit.empty() && lit.front() == ' ') lit.erase(lit.begin());
  while (!lit.empty() && lit.back() == ' ') lit.pop_back();
  if (lit.size() >= 2 && (lit.front() == '"' || lit.front() == '\'') && lit.back() == lit.front()) {
    f.value = lit.substr(1, lit.size() - 2);
  } else {
    try {
      f.value = Json::parse(lit);
    } catch (const Json::exception&) {
      return std::nullopt;
    }
  }
  return f;
}

}  // namespace

std::optional<Json> evalJsonPath(const Json& obj, const std::string& rawPath) {
  std::string path = rawPath;
  if (path.size() >= 2 && path.front() == '{' && path.back() == '}') {
    path = path.substr(1, path.size() - 2);
  }
  std::vector<const Json*> nodes = {&obj};
  size_t i = 0;
  if (!path.empty() && path[0] == '$') ++i;
  while (i < path.size()) {
    std::vector<const Json*> next;
    if (path[i] == '.') {
      size_t j = ++i;
      std::string name;
      while (j < path.size() && path[j] != '.' && path[j] != '[') {
        if (path[j] == '\\' && j + 1 < path.size()) ++j;
        name += path[j++];
      }
      i = j;
      if (name.empty()) continue;
      for (const Json* n : nodes) {
        if (name == "*" && (n->is_object() || n->is_array())) {
          for (const auto& e : *n) next.push_back(&e);
        } else if (n->is_object() && n->contains(name)) {
          next.push_back(&(*n)[name]);
        }
      }
    } else if (path[i] == '[') {
      const auto close = path.find(']', i);
      if (close == std::string::npos) return std::nullopt;
      std::string inner = path.substr(i + 1, close - i - 1);
      i = close + 1;
      if (inner.rfind("?(", 0) == 0 && inner.back() == ')') {
        auto f = parseFilter(inner.substr(2, inner.size() - 3));
        if (!f) return std::nullopt;
        for (const Json* n : nodes) {
          if (!n->is_array()) continue;
          for (const auto& e : *n) {
            const Json* v = walk(e, f->path);
            if ((v && *v == f->value) == f->equals) next.push_back(&e);
          }
        }
      } else if (inner == "*") {
        for (const Json* n : nodes) {
          if (n->is_object() || n->is_array()) {
            for (const auto& e : *n) next.push_back(&e);
          }
        }
      } else if (!inner.empty() && (inner.front() == '\'' || inner.front() == '"')) {
        const std::string key = inner.substr(1, inner.size() - 2);
        for (const Json* n : nodes) {
          if (n->is_object() && n->contains(key)) next.push_back(&(*n)[key]);
        }
      } else {
        long idx = 0;
        try {
          idx = std::stol(inner);
        } catch (const std::exception&) {
          return std::nullopt;
        }
        for (const Json* n : nodes) {
          if (!n->is_array()) continue;
          const long size = static_cast<long>(n->size());
          const long k = idx < 0 ? size + idx : idx;
          if (k >= 0 && k < size) next.push_back(&(*n)[static_cast<size_t>(k)]);
        }
      }
    } else {
      return std::nullopt;
    }
    nodes = std::move(next);
    if (nodes.empty()) return std::nullopt;
  }
  if (nodes.size() == 1) return *nodes.front();
  Json all = Json::array();
  for (const Json* n : nodes) all.push_back(*n);
  return all;
}

}  // namespace kubesim::schema
