#include "kubesim/http/protobuf_body.h"

#include <string_view>

#include "kubesim/http/protobuf_kinds.h"
#include "operator/base/untrusted_text.h"

namespace kubesim::http {
namespace {

using tro::base::fail;

ProtobufError malformed(std::string message) { return {false, std::move(message)}; }

constexpr std::string_view kMagic{"k8s\0", 4};

}  // namespace

tro::base::Result<Json, ProtobufError> protobufBodyToJson(const std::string& body) {
  std::string_view data(body);
  if (data.substr(0, kMagic.size()) != kMagic) return fail(malformed("missing k8s envelope"));
  data.remove_prefix(kMagic.size());
  Json envelope = Json::object();
  std::string raw;
  namespace pb = protobuf;
  const bool ok = pb::decodeMessage(
      data,
      {{1, pb::message("typeMeta", {{1, pb::str("apiVersion")}, {2, pb::str("kind")}})},
       {2,
        [&raw](const pb::Field& f, Json&) {
          raw = std::string(f.bytes);
          return f.wireType == 2;
        }},
       {3, pb::str("contentEncoding")}},
      envelope);
  if (!ok) return fail(malformed("malformed protobuf envelope"));
  if (envelope.contains("contentEncoding")) return fail(malformed("encoded content"));
  const auto typeMeta = envelope.find("typeMeta");
  if (typeMeta == envelope.end()) return fail(malformed("protobuf envelope without typeMeta"));
  const std::string apiVersion = typeMeta->value("apiVersion", "");
  const std::string kind = typeMeta->value("kind", "");
  const pb::Fields* fields = pb::kindTable(apiVersion, kind);
  if (!fields) {
    return fail(ProtobufError{
        true, "unsupported protobuf kind " + tro::base::quoteExcerpt(apiVersion + "/" + kind, 64)});
  }
  Json object = {{"apiVersion", apiVersion}, {"kind", kind}};
  if (!pb::decodeMessage(raw, *fields, object))
    return fail(malformed("malformed protobuf " + kind));
  return object;
}

std::optional<ProtobufError> transcodeProtobufRequest(api::Request& request) {
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
