#include "kubesim/http/request_facts.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace kubesim::http {
namespace {

std::vector<std::string> splitPath(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

std::string queryValue(const api::Request& request, const std::string& name) {
  auto it = request.query.find(name);
  return it == request.query.end() ? std::string() : it->second;
}

std::string lowerMethod(std::string method) {
  for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return method;
}

std::string resourceVerb(const api::Request& request, bool watchPath, bool named) {
  const std::string& m = request.method;
  const std::string watch = queryValue(request, "watch");
  if (m == "GET" || m == "HEAD") {
    if (watchPath || watch == "true" || watch == "1") return "watch";
    return named ? "get" : "list";
  }
  if (m == "POST") return "create";
  if (m == "PUT") return "update";
  if (m == "PATCH") return "patch";
  if (m == "DELETE") return named ? "delete" : "deletecollection";
  return lowerMethod(m);
}

// Namespace subresources that are not a namespaced collection (kube-apiserver's list).
bool isNamespaceSubresource(const std::string& part) {
  return part == "status" || part == "finalize";
}

}  // namespace

bool RequestFacts::isWrite() const {
  return verb == "create" || verb == "update" || verb == "patch" || verb == "delete" ||
         verb == "deletecollection";
}

RequestFacts describeRequest(const api::Request& request) {
  RequestFacts facts;
  facts.fieldManager = queryValue(request, "fieldManager");
  if (auto ua = request.headers.find("user-agent"); ua != request.headers.end())
    facts.userAgent = ua->second;

  std::vector<std::string> parts = splitPath(request.path);
  std::size_t skip = 0;
  if (parts.size() >= 2 && parts[0] == "api") {
    skip = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    facts.group = parts[1];
    skip = 3;
  }
  if (skip == 0 || parts.size() <= skip) {  // non-resource path
    facts.group.clear();
    facts.verb = lowerMethod(request.method);
    return facts;
  }
  parts.erase(parts.begin(), parts.begin() + static_cast<std::ptrdiff_t>(skip));
  bool watchPath = false;
  if (parts.front() == "watch") {  // deprecated /watch/ prefix
    watchPath = true;
    parts.erase(parts.begin());
  }
  if (parts.size() >= 2 && parts[0] == "namespaces") {
    facts.ns = parts[1];
    if (parts.size() >= 3 && !isNamespaceSubresource(parts[2]))
      parts.erase(parts.begin(), parts.begin() + 2);
  }
  if (!parts.empty()) facts.resource = parts[0];
  if (parts.size() >= 2) facts.name = parts[1];
  if (parts.size() >= 3) facts.subresource = parts[2];
  if (facts.resource == "namespaces" && !facts.name.empty()) facts.ns = facts.name;
  if (facts.resource.empty()) facts.group.clear();
  facts.verb = resourceVerb(request, watchPath, !facts.name.empty());
  return facts;
}

}  // namespace kubesim::http
