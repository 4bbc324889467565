#include "tests/support/fake_api_client.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace tro::testing {
namespace {

using kube::Json;

struct Requirement {
  std::string key;
  std::string value;
  enum class Op { Equals, NotEquals, Exists, NotExists } op;
};

std::vector<Requirement> parseSelector(const std::string& selector) {
  std::vector<Requirement> out;
  size_t start = 0;
  while (start < selector.size()) {
    size_t end = selector.find(',', start);
    if (end == std::string::npos) end = selector.size();
    std::string term = selector.substr(start, end - start);
    start = end + 1;
    if (term.empty()) continue;
    if (auto p = term.find("!="); p != std::string::npos) {
      out.push_back({term.substr(0, p), term.substr(p + 2), Requirement::Op::NotEquals});
    } else if (auto q = term.find("=="); q != std::string::npos) {
      out.push_back({term.substr(0, q), term.substr(q + 2), Requirement::Op::Equals});
    } else if (auto r = term.find('='); r != std::string::npos) {
      out.push_back({term.substr(0, r), term.substr(r + 1), Requirement::Op::Equals});
    } else if (term[0] == '!') {
      out.push_back({term.substr(1), "", Requirement::Op::NotExists});
    } else {
      out.push_back({term, "", Requirement::Op::Exists});
    }
  }
  return out;
}

std::string metaString(const Json& object, const char* field) {
  auto md = object.find("metadata");
  if (md == object.end() || !md->is_object()) return "";
  auto it = md->find(field);
  return it != md->end() && it->is_string() ? it->get<std::string>() : "";
}

bool selects(const std::vector<Requirement>& selector, const Json& object) {
  Json labels = object.value("/metadata/labels"_json_pointer, Json::object());
  for (const auto& req : selector) {
    auto it = labels.find(req.key);
    bool has = it != labels.end() && it->is_string();
    std::string value = has ? it->get<std::string>() : "";
    bool ok = req.op == Requirement::Op::Equals      ? has && value == req.value
              : req.op == Requirement::Op::NotEquals ? !has || value != req.value
              : req.op == Requirement::Op::Exists    ? has
                                                     : !has;
    if (!ok) return false;
  }
  return true;
}

std::string typeKeyOf(const kube::ResourceType& type) {
  return type.apiVersion() + "/" + type.resource;
}

std::string groupResource(const kube::ResourceType& type) {
  return type.group.empty() ? type.resource : type.resource + "." + type.group;
}

std::string keyOf(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "/" + name;
}

bool inNamespace(const std::string& ns, const Json& object) {
  return ns.empty() || metaString(object, "namespace") == ns;
}

kube::Error cancelled() {
  return kube::Error{kube::ErrorKind::Cancelled, 0, "", "watch cancelled", {}, std::nullopt};
}

std::optional<uint64_t> parseVersion(const std::string& text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), ::isdigit)) return std::nullopt;
  return std::stoull(text);
}

}  // namespace

kube::Error apiError(int code, const std::string& reason, const std::string& message) {
  return kube::Error{kube::ErrorKind::Api, code, reason, message, {}, std::nullopt};
}

// --- watch streams ---

struct FakeApiClient::Stream {
  std::string typeKey;
  std::string ns;
  std::vector<Requirement> selector;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<kube::Result<std::optional<kube::WatchEvent>>> queue;  // guarded by mu
  bool closed = false;                                              // guarded by mu
  bool cancelled = false;                                           // guarded by mu

  bool wants(const std::string& key, const kube::WatchEvent& e) const {
    if (key != typeKey) return false;
    if (e.type == kube::WatchEventType::Bookmark) return true;
    return inNamespace(ns, e.object) && selects(selector, e.object);
  }
  void push(kube::Result<std::optional<kube::WatchEvent>> item, bool thenClose) {
    std::lock_guard l(mu);
    if (closed || cancelled) return;
    queue.push_back(std::move(item));
    closed = thenClose;
    cv.notify_all();
  }
  bool open() {
    std::lock_guard l(mu);
    return !closed && !cancelled;
  }
};

namespace {

class FakeWatchStream final : public kube::WatchStream {
 public:
  explicit FakeWatchStream(std::shared_ptr<FakeApiClient::Stream> s) : s_(std::move(s)) {}
  ~FakeWatchStream() override { cancel(); }

  kube::Result<std::optional<kube::WatchEvent>> next() override {
    std::unique_lock l(s_->mu);
    s_->cv.wait(l, [this] { return s_->cancelled || !s_->queue.empty() || s_->closed; });
    if (s_->cancelled) return kube::fail(cancelled());
    if (s_->queue.empty()) return std::optional<kube::WatchEvent>{};
    auto item = std::move(s_->queue.front());
    s_->queue.pop_front();
    return item;
  }
  void cancel() override {
    std::lock_guard l(s_->mu);
    s_->cancelled = true;
    s_->cv.notify_all();
  }

 private:
  std::shared_ptr<FakeApiClient::Stream> s_;
};

}  // namespace

// --- FakeApiClient ---

FakeApiClient::FakeApiClient(size_t retainedHistory) : retained_(retainedHistory) {}

FakeApiClient::~FakeApiClient() { closeWatches(); }

void FakeApiClient::failNext(Verb verb, kube::Error error, int times) {
  std::lock_guard l(mu_);
  for (int i = 0; i < times; ++i) injected_[verb].push_back(error);
}

void FakeApiClient::compact() {
  std::lock_guard l(mu_);
  history_.clear();
  compactedThrough_ = resourceVersion_;
}

void FakeApiClient::setRetainedHistory(size_t events) {
  std::lock_guard l(mu_);
  retained_ = events;
  trimHistory();
}

void FakeApiClient::closeWatches() {
  std::lock_guard l(mu_);
  for (auto& weak : streams_) {
    if (auto s = weak.lock()) {
      std::lock_guard sl(s->mu);
      s->closed = true;
      s->cv.notify_all();
    }
  }
  streams_.clear();
}

void FakeApiClient::sendBookmark() {
  std::lock_guard l(mu_);
  for (auto& weak : streams_) {
    if (auto s = weak.lock()) {
      Json object = {{"metadata", {{"resourceVersion", std::to_string(resourceVersion_)}}}};
      s->push(std::optional<kube::WatchEvent>(
                  kube::WatchEvent{kube::WatchEventType::Bookmark, std::move(object)}),
              false);
    }
  }
}

void FakeApiClient::sendWatchError(kube::Error error) {
  std::lock_guard l(mu_);
  for (auto& weak : streams_) {
    if (auto s = weak.lock()) s->push(kube::fail(error), true);  // the server closes after ERROR
  }
}

size_t FakeApiClient::openWatches() const {
  std::lock_guard l(mu_);
  return std::count_if(streams_.begin(), streams_.end(), [](const std::weak_ptr<Stream>& w) {
    auto s = w.lock();
    return s && s->open();
  });
}

int FakeApiClient::calls(Verb verb) const {
  std::lock_guard l(mu_);
  auto it = calls_.find(verb);
  return it == calls_.end() ? 0 : it->second;
}

std::string FakeApiClient::currentResourceVersion() const {
  std::lock_guard l(mu_);
  return std::to_string(resourceVersion_);
}

kube::ListOptions FakeApiClient::lastListOptions() const {
  std::lock_guard l(mu_);
  return lastList_;
}

kube::WatchOptions FakeApiClient::lastWatchOptions() const {
  std::lock_guard l(mu_);
  return lastWatch_;
}

bool FakeApiClient::takeInjected(Verb verb, kube::Error& error) {
  calls_[verb]++;
  auto it = injected_.find(verb);
  if (it == injected_.end() || it->second.empty()) return false;
  error = std::move(it->second.front());
  it->second.pop_front();
  return true;
}

FakeApiClient::Objects& FakeApiClient::objectsOf(const kube::ResourceType& type) {
  return objects_[typeKeyOf(type)];
}

kube::Json FakeApiClient::stamp(const kube::ResourceType& type, kube::Json object) {
  object["apiVersion"] = type.apiVersion();
  object["kind"] = type.kind;
  object["metadata"]["resourceVersion"] = std::to_string(++resourceVersion_);
  return object;
}

void FakeApiClient::trimHistory() {
  while (history_.size() > retained_) {
    compactedThrough_ = history_.front().resourceVersion;
    history_.pop_front();
  }
}

void FakeApiClient::record(const kube::ResourceType& type, kube::WatchEventType kind,
                           const kube::Json& object) {
  LoggedEvent logged{typeKeyOf(type), kube::WatchEvent{kind, object}, resourceVersion_};
  streams_.erase(std::remove_if(streams_.begin(), streams_.end(),
                                [](const std::weak_ptr<Stream>& w) { return w.expired(); }),
                 streams_.end());
  for (auto& weak : streams_) {
    auto s = weak.lock();
    if (s && s->wants(logged.typeKey, logged.event)) {
      s->push(std::optional<kube::WatchEvent>(logged.event), false);
    }
  }
  history_.push_back(std::move(logged));
  trimHistory();
}

kube::Result<kube::Json> FakeApiClient::get(const kube::ResourceType& type, const std::string& ns,
                                            const std::string& name) {
  std::lock_guard l(mu_);
  if (kube::Error e; takeInjected(Verb::Get, e)) return kube::fail(std::move(e));
  auto& objects = objectsOf(type);
  auto it = objects.find(keyOf(type.namespaced ? ns : "", name));
  if (it == objects.end()) {
    return kube::fail(
        apiError(404, "NotFound", groupResource(type) + " \"" + name + "\" not found"));
  }
  return it->second;
}

kube::Result<kube::Json> FakeApiClient::list(const kube::ResourceType& type, const std::string& ns,
                                             const kube::ListOptions& options) {
  std::lock_guard l(mu_);
  lastList_ = options;
  if (kube::Error e; takeInjected(Verb::List, e)) return kube::fail(std::move(e));
  uint64_t snapshot = resourceVersion_;
  std::string after;
  if (!options.continueToken.empty()) {
    auto slash = options.continueToken.find('/');
    auto tokenVersion = parseVersion(options.continueToken.substr(0, slash));
    if (slash == std::string::npos || !tokenVersion) {
      return kube::fail(apiError(400, "BadRequest", "invalid continue token"));
    }
    if (*tokenVersion < compactedThrough_) {
      return kube::fail(apiError(410, "Expired",
                                 "The provided continue parameter is too old to display a "
                                 "consistent list result. You can start a new list without the "
                                 "continue parameter."));
    }
    snapshot = *tokenVersion;
    after = options.continueToken.substr(slash + 1);
  }
  auto selector = parseSelector(options.labelSelector);
  Json items = Json::array();
  std::string last;
  bool more = false;
  for (const auto& [key, object] : objectsOf(type)) {
    if ((!after.empty() && key <= after) || !inNamespace(type.namespaced ? ns : "", object) ||
        !selects(selector, object)) {
      continue;
    }
    if (options.limit > 0 && static_cast<int>(items.size()) == options.limit) {
      more = true;
      break;
    }
    items.push_back(object);
    last = key;
  }
  Json metadata = {{"resourceVersion", std::to_string(snapshot)}};
  if (more) metadata["continue"] = std::to_string(snapshot) + "/" + last;
  return Json{{"apiVersion", type.apiVersion()},
              {"kind", type.kind + "List"},
              {"metadata", std::move(metadata)},
              {"items", std::move(items)}};
}

kube::Result<kube::WatchStreamPtr> FakeApiClient::watch(const kube::ResourceType& type,
                                                        const std::string& ns,
                                                        const kube::WatchOptions& options) {
  std::lock_guard l(mu_);
  lastWatch_ = options;
  if (kube::Error e; takeInjected(Verb::Watch, e)) return kube::fail(std::move(e));
  auto stream = std::make_shared<Stream>();
  stream->typeKey = typeKeyOf(type);
  stream->ns = type.namespaced ? ns : "";
  stream->selector = parseSelector(options.labelSelector);
  const std::string& rv = options.resourceVersion;
  if (rv.empty() || rv == "0") {
    for (const auto& [key, object] : objectsOf(type)) {
      kube::WatchEvent added{kube::WatchEventType::Added, object};
      if (stream->wants(stream->typeKey, added)) stream->push(std::optional(added), false);
    }
  } else if (auto from = parseVersion(rv); !from) {
    return kube::fail(apiError(400, "BadRequest", "invalid resourceVersion " + rv));
  } else if (*from < compactedThrough_) {
    // Like the real server (reference §25): 200, then an ERROR event with 410 Expired.
    stream->push(kube::fail(apiError(410, "Expired",
                                     "too old resource version: " + rv + " (" +
                                         std::to_string(compactedThrough_) + ")")),
                 true);
  } else {
    for (const auto& logged : history_) {
      if (logged.resourceVersion > *from && stream->wants(logged.typeKey, logged.event)) {
        stream->push(std::optional(logged.event), false);
      }
    }
  }
  streams_.push_back(stream);
  return kube::WatchStreamPtr(std::make_unique<FakeWatchStream>(stream));
}

kube::Result<kube::Json> FakeApiClient::create(const kube::ResourceType& type,
                                               const std::string& ns, const kube::Json& object,
                                               const kube::WriteOptions&) {
  std::lock_guard l(mu_);
  if (kube::Error e; takeInjected(Verb::Create, e)) return kube::fail(std::move(e));
  Json stored = object;
  if (type.namespaced) {
    std::string own = metaString(stored, "namespace");
    if (!own.empty() && own != ns) {
      return kube::fail(apiError(400, "BadRequest",
                                 "the namespace of the provided object does not match the "
                                 "namespace sent on the request"));
    }
    stored["metadata"]["namespace"] = ns;
  } else if (stored.contains("metadata")) {
    stored["metadata"].erase("namespace");
  }
  std::string name = metaString(stored, "name");
  if (name.empty()) return kube::fail(apiError(422, "Invalid", "metadata.name: Required value"));
  std::string key = keyOf(metaString(stored, "namespace"), name);
  auto& objects = objectsOf(type);
  if (objects.contains(key)) {
    return kube::fail(
        apiError(409, "AlreadyExists", groupResource(type) + " \"" + name + "\" already exists"));
  }
  stored["metadata"]["uid"] = "fake-uid-" + std::to_string(nextUid_++);
  stored["metadata"]["generation"] = 1;
  stored = stamp(type, std::move(stored));
  objects[key] = stored;
  record(type, kube::WatchEventType::Added, stored);
  return stored;
}

kube::Result<kube::Json> FakeApiClient::write(const kube::ResourceType& type, const std::string& ns,
                                              kube::Json object, bool statusOnly) {
  std::string name = metaString(object, "name");
  std::string objectNs = ns.empty() ? metaString(object, "namespace") : ns;
  std::string key = keyOf(type.namespaced ? objectNs : "", name);
  auto& objects = objectsOf(type);
  auto it = objects.find(key);
  if (it == objects.end()) {
    return kube::fail(
        apiError(404, "NotFound", groupResource(type) + " \"" + name + "\" not found"));
  }
  std::string rv = metaString(object, "resourceVersion");
  if (!rv.empty() && rv != metaString(it->second, "resourceVersion")) {
    return kube::fail(apiError(409, "Conflict",
                               "Operation cannot be fulfilled on " + groupResource(type) + " \"" +
                                   name +
                                   "\": the object has been modified; please apply your changes "
                                   "to the latest version and try again"));
  }
  const Json& old = it->second;
  Json next = statusOnly ? old : object;
  if (statusOnly) {
    if (object.contains("status")) next["status"] = object["status"];
  } else if (old.contains("status")) {
    next["status"] = old["status"];  // status subresource: PUT of the main resource keeps it
  }
  for (const char* kept : {"uid", "namespace", "creationTimestamp", "generation"}) {
    if (old["metadata"].contains(kept)) next["metadata"][kept] = old["metadata"][kept];
  }
  if (!statusOnly && object.value("spec", Json()) != old.value("spec", Json())) {
    next["metadata"]["generation"] = old["metadata"].value("generation", 0) + 1;
  }
  next = stamp(type, std::move(next));
  it->second = next;
  record(type, kube::WatchEventType::Modified, next);
  return next;
}

kube::Result<kube::Json> FakeApiClient::update(const kube::ResourceType& type,
                                               const std::string& ns, const kube::Json& object,
                                               const kube::WriteOptions&) {
  std::lock_guard l(mu_);
  if (kube::Error e; takeInjected(Verb::Update, e)) return kube::fail(std::move(e));
  return write(type, ns, object, false);
}

kube::Result<kube::Json> FakeApiClient::updateStatus(const kube::ResourceType& type,
                                                     const std::string& ns,
                                                     const kube::Json& object,
                                                     const kube::WriteOptions&) {
  std::lock_guard l(mu_);
  if (kube::Error e; takeInjected(Verb::UpdateStatus, e)) return kube::fail(std::move(e));
  return write(type, ns, object, true);
}

kube::Result<kube::Json> FakeApiClient::patch(const kube::ResourceType& type, const std::string& ns,
                                              const std::string& name, kube::PatchType patchType,
                                              const std::string& body,
                                              const kube::PatchOptions& options) {
  std::lock_guard l(mu_);
  if (kube::Error e; takeInjected(Verb::Patch, e)) return kube::fail(std::move(e));
  auto& objects = objectsOf(type);
  auto it = objects.find(keyOf(type.namespaced ? ns : "", name));
  if (it == objects.end()) {
    return kube::fail(
        apiError(404, "NotFound", groupResource(type) + " \"" + name + "\" not found"));
  }
  Json patched = it->second;
  try {
    Json document = Json::parse(body);
    if (patchType == kube::PatchType::Json) {
      patched = patched.patch(document);
    } else {
      patched.merge_patch(document);
    }
  } catch (const nlohmann::json::exception& e) {
    return kube::fail(apiError(422, "Invalid", std::string("patch: ") + e.what()));
  }
  patched["metadata"]["resourceVersion"] = it->second["metadata"]["resourceVersion"];
  return write(type, ns, std::move(patched), options.subresource == "status");
}

kube::Result<kube::Json> FakeApiClient::remove(const kube::ResourceType& type,
                                               const std::string& ns, const std::string& name,
                                               const kube::DeleteOptions&) {
  std::lock_guard l(mu_);
  if (kube::Error e; takeInjected(Verb::Remove, e)) return kube::fail(std::move(e));
  auto& objects = objectsOf(type);
  auto it = objects.find(keyOf(type.namespaced ? ns : "", name));
  if (it == objects.end()) {
    return kube::fail(
        apiError(404, "NotFound", groupResource(type) + " \"" + name + "\" not found"));
  }
  Json removed = stamp(type, it->second);
  objects.erase(it);
  record(type, kube::WatchEventType::Deleted, removed);
  return removed;
}

}  // namespace tro::testing
