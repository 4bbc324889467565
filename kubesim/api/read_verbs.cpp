// get, list (selectors, paging with consistent snapshots, Table output) and watch.

#include <algorithm>
#include <functional>

#include "kubesim/api/continue_token.h"
#include "kubesim/api/errors.h"
#include "kubesim/api/server_impl.h"
#include "kubesim/api/stored_text.h"
#include "kubesim/patch/json_text.h"
#include "kubesim/patch/managed_fields.h"
#include "kubesim/schema/selectors.h"
#include "kubesim/schema/table.h"

namespace kubesim::api {
namespace {

constexpr const char* kContinueExpired =
    "The provided continue parameter is too old to display a consistent list result. You can "
    "start a new list without the continue parameter, or use the continue token in this response "
    "to retrieve the remainder of the results. Continuing with the provided token results in an "
    "inconsistent list - objects that were created, modified, or deleted between the time the "
    "first chunk was returned and now may show up in the list.";

bool wantsTable(const Request& r) {
  return r.header("accept").find("as=Table") != std::string::npos;
}

Response tableResponse(const Json& table) {
  Response r = jsonResponse(200, table);
  r.headers = {{"Content-Type", "application/json;as=Table;v=v1;g=meta.k8s.io"}};
  return r;
}

schema::TableOptions tableOptions(const Request& r) {
  schema::TableOptions o;
  auto inc = r.param("includeObject");
  if (inc == "None") o.includeObject = schema::IncludeObject::None;
  if (inc == "Object") o.includeObject = schema::IncludeObject::Object;
  return o;
}

// A watch asked for Tables gets one single-row Table per event, as the real server sends them;
// only the first carries columnDefinitions (kubectl reuses them, "to save bandwidth"). Runs under
// the ApiServer mutex, which guards `headersSent`.
std::function<Json(const Json&)> tableRender(
    const schema::KindInfo& kind, std::function<std::chrono::system_clock::time_point()> clock,
    schema::TableOptions options) {
  return [kind, clock = std::move(clock), options, headersSent = false](const Json& obj) mutable {
    Json rendered = obj;
    patch::unpackManagedFields(rendered);
    rendered["apiVersion"] = kind.apiVersion();
    rendered["kind"] = kind.kind;
    Json md = {{"resourceVersion", obj.contains("metadata")
                                       ? obj["metadata"].value("resourceVersion", "")
                                       : std::string()}};
    Json table = schema::toTable(kind, {rendered}, md, clock(), options);
    if (headersSent) table["columnDefinitions"] = nullptr;
    headersSent = true;
    return table;
  };
}

struct Selectors {
  schema::LabelSelector labels;
  schema::FieldSelector fields;
  bool empty() const { return labels.empty() && fields.empty(); }
  bool matches(const Json& obj) const {
    return labels.matches(obj.contains("metadata") ? obj["metadata"].value("labels", Json())
                                                   : Json()) &&
           fields.matches(obj);
  }
};

Result<Selectors> parseSelectors(const Target& t) {
  Selectors s;
  if (auto l = t.request->param("labelSelector")) {
    auto parsed = schema::LabelSelector::parse(*l);
    if (!parsed) return fail(parsed.error());
    s.labels = std::move(parsed).value();
  }
  std::string fieldText = t.request->param("fieldSelector").value_or("");
  if (!t.route.name.empty()) {  // a watch/list on one object's path
    fieldText = "metadata.name=" + t.route.name + (fieldText.empty() ? "" : "," + fieldText);
  }
  if (!fieldText.empty()) {
    auto parsed = schema::FieldSelector::parse(fieldText, *t.kind);
    if (!parsed) return fail(parsed.error());
    s.fields = std::move(parsed).value();
  }
  return s;
}

std::string listKey(const Target& t, const Json& obj) {
  const Json& md = obj["metadata"];
  std::string name = md.value("name", "");
  std::string ns = md.value("namespace", "");
  return t.route.ns || ns.empty() ? name : ns + "/" + name;
}

}  // namespace

Json ApiServer::Impl::render(const Target& t, const Json& stored) const {
  Json out = stored;
  patch::unpackManagedFields(out);
  out["apiVersion"] = t.kind->apiVersion();
  out["kind"] = t.kind->kind;
  return out;
}

Result<Response> ApiServer::Impl::get(const Target& t) {
  const Json* obj = store_.get(t.groupResource, t.key());
  if (obj == nullptr)
    return fail(notFound(t.kind->qualifiedResource(), t.kind->group, t.route.name));
  if (wantsTable(*t.request)) {
    Json out = render(t, *obj);
    Json md = {{"resourceVersion", out["metadata"].value("resourceVersion", "")}};
    return tableResponse(
        schema::toTable(*t.kind, {out}, md, options_.clock(), tableOptions(*t.request)));
  }
  std::string body;
  appendStoredText(body, *obj, t.kind->apiVersion(), t.kind->kind);
  return Response{200, {{"Content-Type", "application/json"}}, std::move(body)};
}

Result<Response> ApiServer::Impl::list(const Target& t) {
  const Request& r = *t.request;
  auto selectors = parseSelectors(t);
  if (!selectors) return fail(selectors.error());
  std::uint64_t snapshot = store_.currentRv();
  std::string start;
  if (auto c = r.param("continue"); c && !c->empty()) {
    auto token = decodeContinue(*c);
    if (!token) return fail(badRequest("continue key is not valid: illegal base64 data"));
    snapshot = token->rv;
    start = token->start;
  } else if (auto rv = r.param("resourceVersion");
             rv && !rv->empty() && *rv != "0" && r.param("resourceVersionMatch") == "Exact") {
    snapshot = std::strtoull(rv->c_str(), nullptr, 10);
  }
  std::vector<ObjectPtr> objects;
  if (snapshot == store_.currentRv()) {
    objects = store_.list(t.groupResource, t.route.ns);
  } else if (auto old = store_.listAt(t.groupResource, t.route.ns, snapshot)) {
    objects = std::move(*old);
  } else {
    return fail(expired(kContinueExpired));
  }
  // The real server's order: by the key "<namespace>/<name>" (or the name alone).
  std::vector<std::pair<std::string, ObjectPtr>> keyed;
  keyed.reserve(objects.size());
  for (auto& obj : objects) {
    std::string key = listKey(t, *obj);
    if (!start.empty() && key < start) continue;
    keyed.emplace_back(std::move(key), std::move(obj));
  }
  std::sort(keyed.begin(), keyed.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t limit = 0;
  if (auto l = r.param("limit")) limit = std::strtoull(l->c_str(), nullptr, 10);
  std::vector<const Json*> page;  // stored objects, kept alive by `keyed`
  std::string next;
  std::size_t remaining = 0;
  std::string lastKey;
  for (const auto& [key, obj] : keyed) {
    if (!selectors->matches(*obj)) continue;
    if (limit > 0 && page.size() == limit) {
      if (next.empty()) next = encodeContinue({snapshot, lastKey + '\0'});
      ++remaining;
      continue;
    }
    page.push_back(obj.get());
    lastKey = key;
  }
  // No selfLink: servers stopped returning it in 1.24 (reference: real-apiserver-responses.md).
  Json md = {{"resourceVersion", std::to_string(snapshot)}};
  if (!next.empty()) {
    md["continue"] = next;
    if (selectors->empty()) md["remainingItemCount"] = remaining;
  }
  if (wantsTable(r)) {
    std::vector<Json> items;
    items.reserve(page.size());
    for (const Json* obj : page) items.push_back(render(t, *obj));
    return tableResponse(schema::toTable(*t.kind, items, md, options_.clock(), tableOptions(r)));
  }
  // The List's text, item by item: the same bytes as dumping one List object (keys in order),
  // without building (and copying) a tree of the whole page first.
  std::string body = "{\"apiVersion\":" + patch::compactJson(t.kind->apiVersion()) + ",\"items\":[";
  body.reserve(body.size() + page.size() * 4096);  // about one Deployment's text each
  for (std::size_t i = 0; i < page.size(); ++i) {
    if (i > 0) body += ',';
    appendStoredText(body, *page[i], t.kind->apiVersion(), t.kind->kind);
  }
  body += "],\"kind\":" + patch::compactJson(t.kind->listKind) +
          ",\"metadata\":" + patch::compactJson(md) + "}";
  return Response{200, {{"Content-Type", "application/json"}}, std::move(body)};
}

Result<WatchPtr> ApiServer::Impl::startWatch(const Target& t) {
  const Request& r = *t.request;
  auto selectors = parseSelectors(t);
  if (!selectors) return fail(selectors.error());
  WatchSpec spec;
  spec.groupResource = t.groupResource;
  spec.ns = t.route.ns;
  spec.matches = [s = *selectors](const Json& obj) { return s.matches(obj); };
  spec.render = [apiVersion = t.kind->apiVersion(), kind = t.kind->kind](const Json& obj) {
    Json out = obj;
    patch::unpackManagedFields(out);
    out["apiVersion"] = apiVersion;
    out["kind"] = kind;
    return out;
  };
  if (wantsTable(r)) spec.render = tableRender(*t.kind, options_.clock, tableOptions(r));
  spec.apiVersion = t.kind->apiVersion();
  spec.kind = t.kind->kind;
  auto bm = r.param("allowWatchBookmarks");
  spec.bookmarks = bm == "true" || bm == "1";
  spec.bookmarkInterval = options_.bookmarkInterval;
  spec.queueLimit = options_.watchQueueLimit;
  if (auto ts = r.param("timeoutSeconds")) {
    spec.deadline = std::chrono::steady_clock::now() +
                    std::chrono::seconds(std::strtoll(ts->c_str(), nullptr, 10));
  }
  std::string rv = r.param("resourceVersion").value_or("");
  auto stream = std::make_shared<WatchStream>(std::move(spec), store_.currentRv());
  if (rv.empty() || rv == "0") {
    for (const auto& obj : store_.list(t.groupResource, t.route.ns)) {
      if (!selectors->matches(*obj)) continue;
      stream->pushLine(
          patch::compactJson(Json({{"type", "ADDED"}, {"object", stream->render(*obj)}})));
    }
  } else {
    char* end = nullptr;
    std::uint64_t from = std::strtoull(rv.c_str(), &end, 10);
    if (end == rv.c_str() || *end != '\0') {
      return fail(badRequest("invalid resource version: " + rv));
    }
    if (from < store_.compactedRv()) {
      stream->pushLine(errorEventLine(expired("too old resource version: " + rv + " (" +
                                              std::to_string(store_.compactedRv() + 1) + ")")));
      stream->finish();
      return makeWatchHandle(std::move(stream));
    }
    for (const Change* c : store_.changesSince(from)) stream->deliver(*c);
  }
  hub_.add(stream);
  return makeWatchHandle(std::move(stream));
}

}  // namespace kubesim::api
