#include "operator/runtime/watcher.h"

#include <algorithm>
#include <utility>

#include "operator/runtime/store.h"

namespace tro::runtime {
namespace {

WatcherEvent event(WatcherEvent::Kind kind) { return WatcherEvent{kind, {}, {}, {}, {}}; }

std::string listResourceVersion(const kube::Json& list) {
  return list.value("/metadata/resourceVersion"_json_pointer, std::string());
}

}  // namespace

Watcher::Watcher(kube::ApiClient& client, WatcherConfig config)
    : client_(client), config_(std::move(config)) {}

StepResult Watcher::step() {
  switch (state_) {
    case WatcherState::Empty:
      return stepEmpty();
    case WatcherState::InitListing:
      return stepListing();
    case WatcherState::InitListed:
      return stepOpenWatch();
    case WatcherState::Watching:
      return stepWatching();
  }
  return {};
}

void Watcher::cancel() {
  std::lock_guard l(streamMu_);
  cancelled_ = true;
  if (stream_) stream_->cancel();
}

void Watcher::setStream(kube::WatchStreamPtr stream) {
  std::lock_guard l(streamMu_);
  if (stream && cancelled_) stream->cancel();
  stream_ = std::move(stream);
}

StepResult Watcher::failed(kube::Error error) {
  StepResult result;
  if (kube::isGone(error)) {
    // The resume point is compacted (or the continue token expired): start over.
    relists_++;
    if (config_.onRestart) config_.onRestart();
    setStream(nullptr);
    state_ = WatcherState::Empty;
    continueToken_.clear();
    backoff_ = base::Duration{0};
  } else {
    backoff_ = backoff_ == base::Duration{0} ? config_.initialBackoff
                                             : std::min(backoff_ * 2, config_.maxBackoff);
    result.backoff = backoff_;
  }
  WatcherEvent e = event(WatcherEvent::Kind::Error);
  e.error = std::move(error);
  result.events.push_back(std::move(e));
  return result;
}

StepResult Watcher::stepEmpty() {
  state_ = WatcherState::InitListing;
  continueToken_.clear();
  StepResult result;
  result.events.push_back(event(WatcherEvent::Kind::InitBegin));
  return result;
}

StepResult Watcher::stepListing() {
  kube::ListOptions options;
  options.labelSelector = config_.labelSelector;
  options.fieldSelector = config_.fieldSelector;
  options.limit = config_.pageSize;
  options.continueToken = continueToken_;
  auto page = listSink_ ? client_.listEach(config_.type, config_.ns, options, listSink_)
                        : client_.list(config_.type, config_.ns, options);
  if (!page.ok()) {
    auto error = std::move(page).error();
    return failed(std::move(error.withContext("list " + config_.type.resource)));
  }
  if (!page->is_object()) {
    return failed(kube::Error{kube::ErrorKind::Decode,
                              0,
                              "",
                              "list " + config_.type.resource + ": response is not an object",
                              {},
                              std::nullopt});
  }
  backoff_ = base::Duration{0};
  StepResult result;
  WatcherEvent apply = event(WatcherEvent::Kind::InitApply);
  if (auto items = page->find("items"); items != page->end() && items->is_array()) {
    // Moved, not copied: a copy per item doubled each page in memory and left the page's tree
    // behind as fragments between the stored objects.
    apply.objects.reserve(items->size());
    for (auto& item : *items) apply.objects.push_back(std::move(item));
  }
  result.events.push_back(std::move(apply));
  continueToken_ = page->value("/metadata/continue"_json_pointer, std::string());
  if (continueToken_.empty()) {
    resourceVersion_ = listResourceVersion(*page);
    state_ = WatcherState::InitListed;
    WatcherEvent done = event(WatcherEvent::Kind::InitDone);
    done.resourceVersion = resourceVersion_;
    result.events.push_back(std::move(done));
  }
  return result;
}

StepResult Watcher::stepOpenWatch() {
  kube::WatchOptions options;
  options.labelSelector = config_.labelSelector;
  options.fieldSelector = config_.fieldSelector;
  options.resourceVersion = resourceVersion_;
  options.timeoutSeconds = config_.watchTimeoutSeconds;
  options.allowBookmarks = true;
  auto stream = client_.watch(config_.type, config_.ns, options);
  if (!stream.ok()) {
    auto error = std::move(stream).error();
    return failed(std::move(error.withContext("watch " + config_.type.resource)));
  }
  setStream(std::move(stream).value());
  state_ = WatcherState::Watching;
  return {};
}

StepResult Watcher::stepWatching() {
  auto next = stream_->next();
  if (!next.ok()) {
    auto error = std::move(next).error();
    if (!kube::isGone(error)) {
      setStream(nullptr);
      state_ = WatcherState::InitListed;  // re-open from the last resourceVersion after backoff
      watchRestarts_++;
      if (config_.onRestart) config_.onRestart();
    }
    return failed(std::move(error.withContext("watch " + config_.type.resource)));
  }
  backoff_ = base::Duration{0};
  if (!next->has_value()) {  // clean close: resume from the last resourceVersion, no relist
    setStream(nullptr);
    state_ = WatcherState::InitListed;
    watchRestarts_++;
    if (config_.onRestart) config_.onRestart();
    return {};
  }
  kube::WatchEvent& e = **next;
  if (auto rv = resourceVersionOf(e.object); !rv.empty()) resourceVersion_ = rv;
  StepResult result;
  switch (e.type) {
    case kube::WatchEventType::Added:
    case kube::WatchEventType::Modified: {
      WatcherEvent apply = event(WatcherEvent::Kind::Apply);
      apply.object = std::move(e.object);
      result.events.push_back(std::move(apply));
      break;
    }
    case kube::WatchEventType::Deleted: {
      WatcherEvent del = event(WatcherEvent::Kind::Delete);
      del.object = std::move(e.object);
      result.events.push_back(std::move(del));
      break;
    }
    case kube::WatchEventType::Bookmark:
      break;
  }
  return result;
}

}  // namespace tro::runtime
