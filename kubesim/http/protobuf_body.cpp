#include "kubesim/http/protobuf_body.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string_view>

#include "operator/base/untrusted_text.h"
#include "operator/base/utf8.h"

namespace kubesim::http {
namespace {

using tro::base::fail;
constexpr std::string_view kMagic{"k8s\0", 4};

// One protobuf field: its number and either a varint or a length-delimited payload.
struct Field {
  std::uint32_t number = 0;
  int wireType = 0;
  std::uint64_t varint = 0;
  std::string_view bytes;
};

// Iterates the fields of one encoded message; fixed32/64 payloads are skipped.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  // nullopt at the end; sets failed() on malformed input.
  std::optional<Field> next() {
    while (!data_.empty() && !failed_) {
      auto key = varint();
      if (!key) break;
      Field f{static_cast<std::uint32_t>(*key >> 3), static_cast<int>(*key & 7), 0, {}};
      if (f.wireType == 0) {
        auto v = varint();
        if (!v) break;
        f.varint = *v;
      } else if (f.wireType == 2) {
        auto len = varint();
        if (!len || *len > data_.size()) break;
        f.bytes = data_.substr(0, *len);
        data_.remove_prefix(*len);
      } else if (f.wireType == 1 || f.wireType == 5) {
        const std::size_t n = f.wireType == 1 ? 8 : 4;
        if (data_.size() < n) break;
        data_.remove_prefix(n);
        continue;
      } else {
        break;
      }
      return f;
    }
    if (!data_.empty()) failed_ = true;
    return std::nullopt;
  }
  bool failed() const { return failed_; }

 private:
  std::optional<std::uint64_t> varint() {
    std::uint64_t out = 0;
    for (int shift = 0; shift < 64 && !data_.empty(); shift += 7) {
      const auto byte = static_cast<std::uint8_t>(data_.front());
      data_.remove_prefix(1);
      out |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return out;
    }
    failed_ = true;
    return std::nullopt;
  }

  std::string_view data_;
  bool failed_ = false;
};

using Decoder = std::function<bool(const Field&, Json&)>;

// Decodes a message with per-field handlers; unknown fields are ignored (as protobuf does).
bool decodeMessage(std::string_view data, const std::map<std::uint32_t, Decoder>& fields,
                   Json& out) {
  Reader reader(data);
  while (auto f = reader.next()) {
    auto it = fields.find(f->number);
    if (it != fields.end() && !it->second(*f, out)) return false;
  }
  return !reader.failed();
}

std::string base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < data.size(); i += 3) {
    std::uint32_t n = static_cast<std::uint8_t>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<std::uint8_t>(data[i + 1]) << 8;
    if (i + 2 < data.size()) n |= static_cast<std::uint8_t>(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < data.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// A protobuf string field as Go's JSON encoder writes it: every byte that does not start
// well-formed UTF-8 becomes U+FFFD, so the decoded object always serialises.
std::string utf8Text(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    const std::size_t n = tro::base::utf8SequenceLength(bytes, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  return out;
}

Decoder str(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    if (!f.bytes.empty()) out[key] = utf8Text(f.bytes);
    return true;
  };
}

Decoder boolean(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType != 0) return false;
    out[key] = f.varint != 0;
    return true;
  };
}

Decoder repeatedStr(const char* key) {
  return [key](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    out[key].push_back(utf8Text(f.bytes));
    return true;
  };
}

// map<string, string|bytes>: repeated entries {1: key, 2: value}.
Decoder mapEntry(const char* key, bool bytesValue) {
  return [key, bytesValue](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    Json entry = Json::object();
    if (!decodeMessage(f.bytes, {{1, str("k")}, {2, str("v")}}, entry)) return false;
    const std::string value = entry.value("v", "");
    out[key][entry.value("k", "")] = bytesValue ? base64(value) : value;
    return true;
  };
}

Decoder message(const char* key, std::map<std::uint32_t, Decoder> fields, bool repeated = false) {
  return [key, fields = std::move(fields), repeated](const Field& f, Json& out) {
    if (f.wireType != 2) return false;
    Json value = Json::object();
    if (!decodeMessage(f.bytes, fields, value)) return false;
    if (repeated)
      out[key].push_back(std::move(value));
    else
      out[key] = std::move(value);
    return true;
  };
}

Decoder objectMeta() {
  return message("metadata", {{1, str("name")},
                              {2, str("generateName")},
                              {3, str("namespace")},
                              {5, str("uid")},
                              {6, str("resourceVersion")},
                              {11, mapEntry("labels", false)},
                              {12, mapEntry("annotations", false)},
                              {13, message("ownerReferences",
                                           {{1, str("kind")},
                                            {3, str("name")},
                                            {4, str("uid")},
                                            {5, str("apiVersion")},
                                            {6, boolean("controller")},
                                            {7, boolean("blockOwnerDeletion")}},
                                           true)},
                              {14, repeatedStr("finalizers")}});
}

// authorization.k8s.io/v1 SelfSubjectAccessReview (`kubectl auth can-i`).
std::map<std::uint32_t, Decoder> selfSubjectAccessReview() {
  std::map<std::uint32_t, Decoder> requirement = {
      {1, str("key")}, {2, str("operator")}, {3, repeatedStr("values")}};
  std::map<std::uint32_t, Decoder> selector = {{1, str("rawSelector")},
                                               {2, message("requirements", requirement, true)}};
  return {
      {1, objectMeta()},
      {2, message("spec",
                  {{1, message("resourceAttributes", {{1, str("namespace")},
                                                      {2, str("verb")},
                                                      {3, str("group")},
                                                      {4, str("version")},
                                                      {5, str("resource")},
                                                      {6, str("subresource")},
                                                      {7, str("name")},
                                                      {8, message("fieldSelector", selector)},
                                                      {9, message("labelSelector", selector)}})},
                   {2, message("nonResourceAttributes", {{1, str("path")}, {2, str("verb")}})}})},
      {3, message("status", {{1, boolean("allowed")},
                             {2, str("reason")},
                             {3, str("evaluationError")},
                             {4, boolean("denied")}})}};
}

// rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding (`kubectl
// create role/clusterrole/rolebinding/clusterrolebinding`).
std::optional<std::map<std::uint32_t, Decoder>> rbacFields(const std::string& kind) {
  const std::map<std::uint32_t, Decoder> rule = {{1, repeatedStr("verbs")},
                                                 {2, repeatedStr("apiGroups")},
                                                 {3, repeatedStr("resources")},
                                                 {4, repeatedStr("resourceNames")},
                                                 {5, repeatedStr("nonResourceURLs")}};
  if (kind == "Role")
    return std::map<std::uint32_t, Decoder>{{1, objectMeta()}, {2, message("rules", rule, true)}};
  if (kind == "ClusterRole") {
    const std::map<std::uint32_t, Decoder> selector = {
        {1, mapEntry("matchLabels", false)},
        {2, message("matchExpressions",
                    {{1, str("key")}, {2, str("operator")}, {3, repeatedStr("values")}}, true)}};
    return std::map<std::uint32_t, Decoder>{
        {1, objectMeta()},
        {2, message("rules", rule, true)},
        {3, message("aggregationRule", {{1, message("clusterRoleSelectors", selector, true)}})}};
  }
  if (kind == "RoleBinding" || kind == "ClusterRoleBinding") {
    return std::map<std::uint32_t, Decoder>{
        {1, objectMeta()},
        {2,
         message("subjects",
                 {{1, str("kind")}, {2, str("apiGroup")}, {3, str("name")}, {4, str("namespace")}},
                 true)},
        {3, message("roleRef", {{1, str("apiGroup")}, {2, str("kind")}, {3, str("name")}})}};
  }
  return std::nullopt;
}

std::optional<std::map<std::uint32_t, Decoder>> kindFields(const std::string& apiVersion,
                                                           const std::string& kind) {
  if (apiVersion == "authorization.k8s.io/v1" && kind == "SelfSubjectAccessReview") {
    return selfSubjectAccessReview();
  }
  if (apiVersion == "rbac.authorization.k8s.io/v1") return rbacFields(kind);
  if (apiVersion != "v1") return std::nullopt;
  if (kind == "Namespace")
    return std::map<std::uint32_t, Decoder>{{1, objectMeta()},
                                            {2, message("spec", {{1, repeatedStr("finalizers")}})}};
  if (kind == "ConfigMap")
    return std::map<std::uint32_t, Decoder>{{1, objectMeta()},
                                            {2, mapEntry("data", false)},
                                            {3, mapEntry("binaryData", true)},
                                            {4, boolean("immutable")}};
  if (kind == "ServiceAccount") {
    return std::map<std::uint32_t, Decoder>{
        {1, objectMeta()},
        {2, message("secrets",
                    {{1, str("kind")},
                     {2, str("namespace")},
                     {3, str("name")},
                     {4, str("uid")},
                     {5, str("apiVersion")},
                     {6, str("resourceVersion")},
                     {7, str("fieldPath")}},
                    true)},
        {3, message("imagePullSecrets", {{1, str("name")}}, true)},
        {4, boolean("automountServiceAccountToken")}};
  }
  if (kind == "Secret")
    return std::map<std::uint32_t, Decoder>{{1, objectMeta()},
                                            {2, mapEntry("data", true)},
                                            {3, str("type")},
                                            {4, mapEntry("stringData", false)},
                                            {5, boolean("immutable")}};
  return std::nullopt;
}

}  // namespace

tro::base::Result<Json, std::string> protobufBodyToJson(const std::string& body) {
  std::string_view data(body);
  if (data.substr(0, kMagic.size()) != kMagic) return fail(std::string("missing k8s envelope"));
  data.remove_prefix(kMagic.size());
  Json envelope = Json::object();
  std::string raw;
  const bool ok =
      decodeMessage(data,
                    {{1, message("typeMeta", {{1, str("apiVersion")}, {2, str("kind")}})},
                     {2,
                      [&raw](const Field& f, Json&) {
                        raw = std::string(f.bytes);
                        return f.wireType == 2;
                      }},
                     {3, str("contentEncoding")}},
                    envelope);
  if (!ok) return fail(std::string("malformed protobuf envelope"));
  if (envelope.contains("contentEncoding")) return fail(std::string("encoded content"));
  const auto typeMeta = envelope.find("typeMeta");
  if (typeMeta == envelope.end()) return fail(std::string("protobuf envelope without typeMeta"));
  const std::string apiVersion = typeMeta->value("apiVersion", "");
  const std::string kind = typeMeta->value("kind", "");
  auto fields = kindFields(apiVersion, kind);
  if (!fields) {
    return fail("unsupported protobuf kind " +
                tro::base::quoteExcerpt(apiVersion + "/" + kind, 64));
  }
  Json object = {{"apiVersion", apiVersion}, {"kind", kind}};
  if (!decodeMessage(raw, *fields, object)) return fail("malformed protobuf " + kind);
  return object;
}

std::optional<std::string> transcodeProtobufRequest(api::Request& request) {
  auto it = request.headers.find("content-type");
  if (it == request.headers.end() || !it->second.starts_with(kProtobufContentType) ||
      request.body.empty())
    return std::nullopt;
  auto json = protobufBodyToJson(request.body);
  if (!json) return json.error();
  request.body = json->dump();
  it->second = "application/json";
  return std::nullopt;
}

}  // namespace kubesim::http
