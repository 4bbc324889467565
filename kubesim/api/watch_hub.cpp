#include "kubesim/api/watch_hub.h"

#include <algorithm>

#include "kubesim/patch/json_text.h"

namespace kubesim::api {

WatchStream::WatchStream(WatchSpec spec, std::uint64_t startRv)
    : spec_(std::move(spec)), latestRv_(startRv), lastBookmark_(std::chrono::steady_clock::now()) {}

std::optional<std::string> WatchStream::eventFor(const Change& change) const {
  if (change.groupResource != spec_.groupResource) return std::nullopt;
  if (spec_.ns && change.key.ns != *spec_.ns) return std::nullopt;
  bool nowMatches = change.type != ChangeType::Deleted && spec_.matches(*change.object);
  bool wasMatching =
      change.type != ChangeType::Added && change.previous != nullptr &&
      spec_.matches(change.type == ChangeType::Deleted ? *change.object : *change.previous);
  const char* type = nullptr;
  if (change.type == ChangeType::Deleted) {
    if (wasMatching) type = "DELETED";
  } else if (nowMatches) {
    type = wasMatching ? "MODIFIED" : "ADDED";
  } else if (wasMatching) {
    type = "DELETED";  // stopped matching the selector: the filtering watch reports a deletion
  }
  if (type == nullptr) return std::nullopt;
  Json ev = {{"type", type}, {"object", spec_.render(*change.object)}};
  return patch::compactJson(ev);  // never throws, even on a string that is not UTF-8
}

void WatchStream::deliver(const Change& change) {
  auto line = eventFor(change);
  std::lock_guard lock(mutex_);
  latestRv_ = std::max(latestRv_, change.rv);
  if (line) pushLocked(std::move(*line));
}

void WatchStream::pushLine(std::string line) {
  std::lock_guard lock(mutex_);
  pushLocked(std::move(line));
}

void WatchStream::pushLocked(std::string line) {
  if (done_) return;
  if (lines_.size() >= spec_.queueLimit) {
    done_ = true;  // too far behind: close, the client resumes
    lines_.clear();
  } else {
    lines_.push_back(std::move(line));
  }
  cv_.notify_all();
}

void WatchStream::finish() {
  std::lock_guard lock(mutex_);
  done_ = true;
  cv_.notify_all();
}

bool WatchStream::finished() const {
  std::lock_guard lock(mutex_);
  return lines_.empty() &&
         (done_ || (spec_.deadline && std::chrono::steady_clock::now() >= *spec_.deadline));
}

std::optional<std::string> WatchStream::nextLine(std::chrono::milliseconds wait) {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lock(mutex_);
  auto until = Clock::now() + wait;
  if (spec_.deadline) until = std::min(until, *spec_.deadline);
  if (spec_.bookmarks) until = std::min(until, lastBookmark_ + spec_.bookmarkInterval);
  cv_.wait_until(lock, until, [&] { return !lines_.empty() || done_; });
  if (!lines_.empty()) {
    std::string line = std::move(lines_.front());
    lines_.pop_front();
    return line;
  }
  if (done_ || (spec_.deadline && Clock::now() >= *spec_.deadline)) {
    done_ = true;
    return std::nullopt;
  }
  if (spec_.bookmarks && Clock::now() >= lastBookmark_ + spec_.bookmarkInterval) {
    lastBookmark_ = Clock::now();
    Json ev = {{"type", "BOOKMARK"},
               {"object",
                {{"apiVersion", spec_.apiVersion},
                 {"kind", spec_.kind},
                 {"metadata", {{"resourceVersion", std::to_string(latestRv_)}}}}}};
    return ev.dump();
  }
  return std::nullopt;
}

void WatchHub::add(const std::shared_ptr<WatchStream>& stream) { streams_.push_back(stream); }

void WatchHub::publish(const Change& change) {
  std::erase_if(streams_, [](const auto& w) { return w.expired(); });
  for (const auto& w : streams_) {
    if (auto s = w.lock()) s->deliver(change);
  }
}

namespace {

class WatchHandle : public Watch {
 public:
  explicit WatchHandle(std::shared_ptr<WatchStream> stream) : stream_(std::move(stream)) {}
  ~WatchHandle() override { stream_->finish(); }
  std::optional<std::string> nextLine(std::chrono::milliseconds wait) override {
    return stream_->nextLine(wait);
  }
  bool finished() const override { return stream_->finished(); }
  void cancel() override { stream_->finish(); }

 private:
  std::shared_ptr<WatchStream> stream_;
};

}  // namespace

WatchPtr makeWatchHandle(std::shared_ptr<WatchStream> stream) {
  return std::make_unique<WatchHandle>(std::move(stream));
}

std::string errorEventLine(const ApiError& error) {
  Json ev = {{"type", "ERROR"}, {"object", error.toStatus()}};
  return ev.dump();
}

}  // namespace kubesim::api
