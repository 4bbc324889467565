#include "operator/kube/decode.h"

#include "operator/base/untrusted_text.h"

#include <gtest/gtest.h>

namespace tro::kube {
namespace {

HttpResponse response(int status, std::string body, std::map<std::string, std::string> h = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(h);
  return r;
}

// Status bodies as a real kube-apiserver returns them (reference/real-apiserver-responses.md).
const char* kAlreadyExists = R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "gadgets.example.test \"g1\" already exists", "reason": "AlreadyExists",
 "details": {"name": "g1", "group": "example.test", "kind": "gadgets"}, "code": 409})";
const char* kNotFound = R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "gadgets.example.test \"nope\" not found", "reason": "NotFound",
 "details": {"name": "nope", "group": "example.test", "kind": "gadgets"}, "code": 404})";
const char* kInvalid = R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "Gadget.example.test \"g2\" is invalid: [spec.color: Unsupported value: \"pink\": supported values: \"blue\", \"red\", spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 0]",
 "reason": "Invalid",
 "details": {"name": "g2", "group": "example.test", "kind": "Gadget", "causes": [
   {"reason": "FieldValueNotSupported", "message": "Unsupported value: \"pink\": supported values: \"blue\", \"red\"", "field": "spec.color"},
   {"reason": "FieldValueInvalid", "message": "Invalid value: 0: spec.size in body should be greater than or equal to 0", "field": "spec.size"}]},
 "code": 422})";
const char* kConflict = R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "Operation cannot be fulfilled on gadgets.example.test \"g1\": the object has been modified; please apply your changes to the latest version and try again",
 "reason": "Conflict", "details": {"name": "g1", "group": "example.test", "kind": "gadgets"},
 "code": 409})";
const char* kApplyConflict = R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "Apply failed with 1 conflict: conflict with \"alice\": .spec.size",
 "reason": "Conflict", "details": {"causes": [
   {"reason": "FieldManagerConflict", "message": "conflict with \"alice\"", "field": ".spec.size"}]},
 "code": 409})";
const char* kUnsupportedMedia = R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
 "reason": "UnsupportedMediaType", "code": 415})";
const char* kBadRequest = R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "\"spec.bogus\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
 "reason": "BadRequest", "code": 400})";
const char* kUnauthorized = R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "Unauthorized", "reason": "Unauthorized", "code": 401})";
const char* kTooMany = R"({
 "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
 "message": "Too many requests, please try again later.", "reason": "TooManyRequests",
 "details": {"causes": [{"reason": "", "message": ""}], "retryAfterSeconds": 2}, "code": 429})";

TEST(DecodeResponse, SuccessBodies) {
  auto ok = decodeResponse(response(200, R"({"kind":"Gadget","spec":{"size":3}})"));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["spec"]["size"], 3);
  auto created = decodeResponse(response(201, R"({"kind":"Gadget"})"));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ((*created)["kind"], "Gadget");
  auto empty = decodeResponse(response(204, ""));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->is_object());
  EXPECT_TRUE(empty->empty());
}

TEST(DecodeResponse, GarbageSuccessBodyIsDecodeError) {
  auto bad = decodeResponse(response(200, "<html>proxy</html>"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::Decode);
  EXPECT_NE(bad.error().message.find("<html>proxy</html>"), std::string::npos);
}

TEST(DecodeResponse, RealStatusBodiesTable) {
  struct Case {
    int status;
    const char* body;
    std::string reason;
    std::string messageStart;
    bool (*classify)(const Error&);
    size_t causes;
  };
  const std::vector<Case> cases = {
      {409, kAlreadyExists, "AlreadyExists", "gadgets.example.test \"g1\" already exists",
       isAlreadyExists, 0},
      {404, kNotFound, "NotFound", "gadgets.example.test \"nope\" not found", isNotFound, 0},
      {422, kInvalid, "Invalid", "Gadget.example.test \"g2\" is invalid", isInvalid, 2},
      {409, kConflict, "Conflict", "Operation cannot be fulfilled", isConflict, 0},
      {409, kApplyConflict, "Conflict", "Apply failed with 1 conflict", isConflict, 1},
      {415, kUnsupportedMedia, "UnsupportedMediaType", "the body of the request", nullptr, 0},
      {400, kBadRequest, "BadRequest", "\"spec.bogus\" is not a known field selector", nullptr, 0},
      {401, kUnauthorized, "Unauthorized", "Unauthorized", isUnauthorized, 0},
  };
  for (const auto& c : cases) {
    auto r = decodeResponse(response(c.status, c.body));
    ASSERT_FALSE(r.ok()) << c.reason;
    const Error& e = r.error();
    EXPECT_EQ(e.kind, ErrorKind::Api);
    EXPECT_EQ(e.code, c.status);
    EXPECT_EQ(e.reason, c.reason);
    EXPECT_EQ(e.message.rfind(c.messageStart, 0), 0u) << e.message;
    EXPECT_EQ(e.causes.size(), c.causes) << c.reason;
    if (c.classify != nullptr) {
      EXPECT_TRUE(c.classify(e)) << c.reason;
    }
    EXPECT_FALSE(isRetryable(e)) << c.reason;
    EXPECT_FALSE(e.retryAfterSeconds.has_value());
  }
}

TEST(DecodeResponse, CausesAreKeptInOrder) {
  auto r = decodeResponse(response(422, kInvalid));
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.error().causes.size(), 2u);
  EXPECT_EQ(r.error().causes[0],
            (StatusCause{"FieldValueNotSupported",
                         "Unsupported value: \"pink\": supported values: \"blue\", \"red\"",
                         "spec.color"}));
  EXPECT_EQ(r.error().causes[1].field, "spec.size");
  auto apply = decodeResponse(response(409, kApplyConflict));
  ASSERT_FALSE(apply.ok());
  EXPECT_EQ(apply.error().causes.at(0),
            (StatusCause{"FieldManagerConflict", "conflict with \"alice\"", ".spec.size"}));
}

TEST(DecodeResponse, RetryAfterFromDetailsAndHeader) {
  auto fromDetails = decodeResponse(response(429, kTooMany));
  ASSERT_FALSE(fromDetails.ok());
  EXPECT_TRUE(isTooManyRequests(fromDetails.error()));
  EXPECT_TRUE(isRetryable(fromDetails.error()));
  EXPECT_EQ(fromDetails.error().retryAfterSeconds, 2);

  auto fromHeader = decodeResponse(response(429, kTooMany, {{"retry-after", "7"}}));
  ASSERT_FALSE(fromHeader.ok());
  EXPECT_EQ(fromHeader.error().retryAfterSeconds, 7);

  auto badHeader = decodeResponse(response(503, "", {{"retry-after", "soon"}}));
  ASSERT_FALSE(badHeader.ok());
  EXPECT_FALSE(badHeader.error().retryAfterSeconds.has_value());
}

TEST(DecodeResponse, NonStatusErrorBodiesStillUseful) {
  struct Case {
    int status;
    std::string body;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {503, "upstream connect error", "ServiceUnavailable"},
      {502, "<html><body>Bad Gateway</body></html>", "InternalError"},
      {404, "404 page not found\n", "NotFound"},
      {500, "", "InternalError"},
      {418, "[1,2]", "Unknown"},
  };
  for (const auto& c : cases) {
    auto r = decodeResponse(response(c.status, c.body));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::Api);
    EXPECT_EQ(r.error().code, c.status);
    EXPECT_EQ(r.error().reason, c.reason);
    EXPECT_NE(r.error().message.find(std::to_string(c.status)), std::string::npos);
    // Quoted and cleaned (a newline becomes a space), never raw.
    EXPECT_NE(r.error().message.find(base::cleanExcerpt(c.body)), std::string::npos)
        << r.error().message;
  }
  auto longBody = decodeResponse(response(500, std::string(10000, 'x')));
  ASSERT_FALSE(longBody.ok());
  EXPECT_LT(longBody.error().message.size(), 400u);
}

// A LIST answer's items go to the callback one by one and leave the page; everything else of
// the page (metadata, continue token, kind) stays, and so do items nested deeper or elsewhere.
TEST(DecodeListResponse, ItemsStreamOutOfThePage) {
  const char* page = R"({"kind": "DeploymentList", "apiVersion": "apps/v1",
    "metadata": {"resourceVersion": "42", "continue": "next"},
    "items": [{"metadata": {"name": "a", "labels": {"x": "1"}}, "spec": {"list": [{"k": 1}]}},
              {"metadata": {"name": "b"}}],
    "extra": {"items": [{"metadata": {"name": "not-an-item"}}]}})";
  std::vector<Json> items;
  auto decoded = decodeListResponse(response(200, page), [&](Json&& i) { items.push_back(i); });
  ASSERT_TRUE(decoded.ok()) << decoded.error().toString();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0], Json::parse(R"({"metadata": {"name": "a", "labels": {"x": "1"}},
                                      "spec": {"list": [{"k": 1}]}})"));
  EXPECT_EQ(items[1]["metadata"]["name"], "b");
  Json whole = Json::parse(page);
  whole["items"] = Json::array();
  EXPECT_EQ(*decoded, whole) << "the page without its items";
}

TEST(DecodeListResponse, ErrorsAreDecodeResponsesErrors) {
  int calls = 0;
  auto count = [&](Json&&) { ++calls; };
  const char* expired = R"({"kind": "Status", "apiVersion": "v1", "metadata": {},
    "status": "Failure", "message": "The provided continue parameter is too old",
    "reason": "Expired", "code": 410})";
  auto status = decodeListResponse(response(410, expired), count);
  ASSERT_FALSE(status.ok());
  EXPECT_TRUE(isGone(status.error())) << status.error().toString();
  auto garbage = decodeListResponse(response(200, "{\"items\": [{\"a\": 1}, oops"), count);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().kind, ErrorKind::Decode);
  auto deep =
      decodeListResponse(response(200, std::string(200, '[') + std::string(200, ']')), count);
  EXPECT_FALSE(deep.ok()) << "nesting beyond the bound is refused before parsing";
  EXPECT_LE(calls, 1) << "at most the item parsed before the garbage";
}

TEST(DecodeWatchLine, EventTypesFromARealStream) {
  const std::vector<std::pair<std::string, WatchEventType>> cases = {
      {R"({"type":"MODIFIED","object":{"apiVersion":"example.test/v1","kind":"Gadget","metadata":{"name":"p2","namespace":"default","resourceVersion":"62"},"spec":{"color":"blue","size":7}}})",
       WatchEventType::Modified},
      {R"({"type":"DELETED","object":{"apiVersion":"example.test/v1","kind":"Gadget","metadata":{"name":"p3","namespace":"default","resourceVersion":"63"}}})",
       WatchEventType::Deleted},
      {R"({"type":"ADDED","object":{"apiVersion":"example.test/v1","kind":"Gadget","metadata":{"name":"p9","namespace":"default","resourceVersion":"64"}}})",
       WatchEventType::Added},
      {R"({"type":"BOOKMARK","object":{"apiVersion":"example.test/v1","kind":"Gadget","metadata":{"resourceVersion":"64"}}})",
       WatchEventType::Bookmark},
  };
  for (const auto& [line, type] : cases) {
    auto event = decodeWatchLine(line);
    ASSERT_TRUE(event.ok()) << event.error().toString();
    ASSERT_TRUE(event->has_value());
    EXPECT_EQ((*event)->type, type);
    EXPECT_EQ((*event)->object["kind"], "Gadget");
    EXPECT_TRUE((*event)->object["metadata"]["resourceVersion"].is_string());
  }
}

TEST(DecodeWatchLine, ExpiredErrorEventIsGone) {
  auto event = decodeWatchLine(
      R"json({"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 1 (50)","reason":"Expired","code":410}})json");
  ASSERT_FALSE(event.ok());
  EXPECT_TRUE(isGone(event.error()));
  EXPECT_EQ(event.error().code, 410);
  EXPECT_EQ(event.error().reason, "Expired");
  EXPECT_EQ(event.error().message, "too old resource version: 1 (50)");
}

TEST(DecodeWatchLine, BlankAndGarbageLines) {
  for (const std::string blank : {"", "\r", "  \t"}) {
    auto event = decodeWatchLine(blank);
    ASSERT_TRUE(event.ok());
    EXPECT_FALSE(event->has_value());
  }
  for (const std::string garbage :
       {"{not json", "[]", R"({"type":"ADDED"})", R"({"type":"RENAMED","object":{}})",
        R"({"type":"ADDED","object":"x"})"}) {
    auto event = decodeWatchLine(garbage);
    ASSERT_FALSE(event.ok()) << garbage;
    EXPECT_EQ(event.error().kind, ErrorKind::Decode) << garbage;
  }
}

}  // namespace
}  // namespace tro::kube
