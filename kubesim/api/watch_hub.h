#pragma once
// Fan-out of store changes to watch streams. Each stream has its own bounded queue of rendered
// event lines; a stream whose queue overflows is finished (the client resumes from its last
// resourceVersion, as with a real server that drops a slow watcher).
// publish()/add() are called under the ApiServer mutex; streams are consumed from other threads.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kubesim/api/api_server.h"
#include "kubesim/api/object_store.h"

namespace kubesim::api {

// Filter and rendering of one watch: which changes it sees and how objects are shown.
struct WatchSpec {
  std::string groupResource;
  std::optional<std::string> ns;
  std::function<bool(const Json&)> matches;  // label + field selectors
  std::function<Json(const Json&)> render;   // stored object -> client's apiVersion
  std::string apiVersion;
  std::string kind;
  bool bookmarks = false;
  std::chrono::milliseconds bookmarkInterval{60000};
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::size_t queueLimit = 10000;
};

class WatchStream {
 public:
  WatchStream(WatchSpec spec, std::uint64_t startRv);

  // Producer side (under the ApiServer mutex).
  void deliver(const Change& change);
  void pushLine(std::string line);
  void finish();

  // The event object for a stored object (the spec's rendering: plain object or Table).
  Json render(const Json& stored) const { return spec_.render(stored); }

  // Consumer side.
  std::optional<std::string> nextLine(std::chrono::milliseconds wait);
  bool finished() const;

 private:
  std::optional<std::string> eventFor(const Change& change) const;
  void pushLocked(std::string line);

  WatchSpec spec_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> lines_;
  bool done_ = false;
  std::uint64_t latestRv_;
  std::chrono::steady_clock::time_point lastBookmark_;
};

class WatchHub {
 public:
  void add(const std::shared_ptr<WatchStream>& stream);
  void publish(const Change& change);

 private:
  std::vector<std::weak_ptr<WatchStream>> streams_;
};

// The Watch handed to the HTTP layer; cancels its stream when destroyed.
WatchPtr makeWatchHandle(std::shared_ptr<WatchStream> stream);

// {"type": "ERROR", "object": <Status>} line.
std::string errorEventLine(const ApiError& error);

}  // namespace kubesim::api
