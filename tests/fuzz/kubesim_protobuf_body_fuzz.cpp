// kubesim's protobuf request bodies (kubesim/http/protobuf_body.h): what kubectl's typed clients
// send, transcoded to JSON by the HTTP front before the API core sees the request. Input: the
// body. Invariants: a transcoded body is a JSON object that serialises; transcodeProtobufRequest
// either rewrites body and content type to JSON or leaves both as they were.

#include "kubesim/http/protobuf_body.h"
#include "tests/fuzz/kubesim_fuzz_util.h"

using namespace tro::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  const std::string body(asText(data, size));
  const auto json = kubesim::http::protobufBodyToJson(body);
  if (json.ok()) {
    require(json->is_object());
    requireSerialisable(*json);
  }
  kubesim::api::Request request;
  request.method = "POST";
  request.path = "/api/v1/namespaces/default/configmaps";
  request.headers["content-type"] = kubesim::http::kProtobufContentType;
  request.body = body;
  const auto kept = kubesim::http::transcodeProtobufRequest(request);
  if (kept || body.empty()) {
    require(request.body == body);
    require(request.headers["content-type"] == kubesim::http::kProtobufContentType);
  } else {
    require(request.headers["content-type"] == "application/json");
    require(!kubesim::Json::parse(request.body, nullptr, false).is_discarded());
  }
  return 0;
}
