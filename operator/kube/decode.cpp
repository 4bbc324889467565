#include "operator/kube/decode.h"

#include "operator/base/bounded_json.h"
#include "operator/base/untrusted_text.h"
#include "operator/kube/json_fields.h"

#include <charconv>

namespace tro::kube {
namespace {

constexpr size_t kExcerptLength = 256;

Error decodeError(std::string message) {
  Error e;
  e.kind = ErrorKind::Decode;
  e.reason = "DecodeError";
  e.message = std::move(message);
  return e;
}

std::string excerpt(const std::string& body) { return base::quoteExcerpt(body, kExcerptLength); }

std::optional<int> parseSeconds(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::vector<StatusCause> causesOf(const Json& details) {
  std::vector<StatusCause> causes;
  auto it = details.find("causes");
  if (it == details.end() || !it->is_array()) return causes;
  for (const Json& cause : *it) {
    if (!cause.is_object()) continue;
    causes.push_back(
        {stringAt(cause, "reason"), stringAt(cause, "message"), stringAt(cause, "field")});
  }
  return causes;
}

bool isStatus(const Json& body) {
  return body.is_object() && (stringAt(body, "kind") == "Status" || body.contains("reason") ||
                              body.contains("message"));
}

std::optional<WatchEventType> eventType(const std::string& type) {
  if (type == "ADDED") return WatchEventType::Added;
  if (type == "MODIFIED") return WatchEventType::Modified;
  if (type == "DELETED") return WatchEventType::Deleted;
  if (type == "BOOKMARK") return WatchEventType::Bookmark;
  return std::nullopt;
}

// API server answers are bounded too: the transport caps their size, this their nesting.
std::optional<Json> parse(const std::string& text) {
  auto value = base::parseJsonBounded(text, {text.size(), 128});
  if (!value.ok()) return std::nullopt;
  return std::move(value).value();
}

}  // namespace

std::string reasonForCode(int code) {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 405:
      return "MethodNotAllowed";
    case 406:
      return "NotAcceptable";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "RequestEntityTooLarge";
    case 415:
      return "UnsupportedMediaType";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 500:
      return "InternalError";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return code >= 500 ? "InternalError" : "Unknown";
  }
}

Error errorFromStatus(const Json& status, int httpCode) {
  Error e;
  e.kind = ErrorKind::Api;
  auto code = status.find("code");
  e.code = code != status.end() && code->is_number_integer() && code->get<int>() != 0
               ? code->get<int>()
               : httpCode;
  e.reason = stringAt(status, "reason");
  if (e.reason.empty()) e.reason = reasonForCode(e.code);
  e.message = stringAt(status, "message");
  if (e.message.empty()) e.message = "the server responded with status " + std::to_string(e.code);
  auto details = status.find("details");
  if (details != status.end() && details->is_object()) {
    e.causes = causesOf(*details);
    auto retry = details->find("retryAfterSeconds");
    if (retry != details->end() && retry->is_number_integer()) {
      e.retryAfterSeconds = retry->get<int>();
    }
  }
  return e;
}

Result<Json> decodeResponse(const HttpResponse& response) {
  if (response.status >= 200 && response.status < 300) {
    if (response.body.empty()) return Json::object();
    auto body = parse(response.body);
    if (!body) {
      return fail(decodeError("invalid JSON in " + std::to_string(response.status) +
                              " response: " + excerpt(response.body)));
    }
    return std::move(*body);
  }
  Error e;
  auto body = parse(response.body);
  if (body && isStatus(*body)) {
    e = errorFromStatus(*body, response.status);
    e.code = response.status;  // the HTTP code is authoritative for classification
  } else {
    e.kind = ErrorKind::Api;
    e.code = response.status;
    e.reason = reasonForCode(response.status);
    e.message = "the server responded with status " + std::to_string(response.status);
    if (!response.body.empty()) e.message += ": " + excerpt(response.body);
  }
  if (auto header = parseSeconds(response.header("retry-after"))) e.retryAfterSeconds = header;
  return fail(std::move(e));
}

Result<Json> decodeListResponse(const HttpResponse& response,
                                const std::function<void(Json&&)>& onItem) {
  if (response.status < 200 || response.status >= 300 || response.body.empty()) {
    return decodeResponse(response);
  }
  // Depth 1 holds the List's fields; an object that ends at depth 2 inside the "items" array is
  // one item.
  std::string field;
  bool inItems = false;
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth == 1) {
      if (event == Json::parse_event_t::key) field = parsed.get<std::string>();
      if (event == Json::parse_event_t::array_start) inItems = field == "items";
      if (event == Json::parse_event_t::array_end) inItems = false;
    }
    if (event == Json::parse_event_t::object_end && depth == 2 && inItems) {
      onItem(std::move(parsed));
      return false;  // dropped from the page: the caller has it
    }
    return true;
  };
  auto body = base::parseJsonBounded(response.body, {response.body.size(), 128}, callback);
  if (!body.ok()) {
    return fail(decodeError("invalid JSON in " + std::to_string(response.status) +
                            " response: " + excerpt(response.body)));
  }
  return std::move(body).value();
}

Result<std::optional<WatchEvent>> decodeWatchLine(const std::string& line) {
  if (line.find_first_not_of(" \t\r\n") == std::string::npos) return std::optional<WatchEvent>();
  auto event = parse(line);
  if (!event || !event->is_object()) {
    return fail(decodeError("invalid watch event: " + excerpt(line)));
  }
  std::string type = stringAt(*event, "type");
  auto object = event->find("object");
  if (object == event->end() || !object->is_object()) {
    return fail(decodeError("watch event without an object: " + excerpt(line)));
  }
  if (type == "ERROR") return fail(errorFromStatus(*object, 0));
  auto known = eventType(type);
  if (!known) return fail(decodeError("unknown watch event type \"" + type + "\""));
  return std::optional<WatchEvent>(WatchEvent{*known, std::move(*object)});
}

}  // namespace tro::kube
