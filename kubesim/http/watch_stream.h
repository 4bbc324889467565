#pragma once
// WatchStream (internal to kubesim/http): moves the lines of one api::Watch into the chunked body
// of an HTTP response, one JSON event per line, flushed per line, on a thread it owns. The
// stream ends when the watch finishes, the deadline passes, the client stops reading (its unsent
// backlog has not drained for `stallLimit`), or stop is requested; the body is then closed and
// the watch cancelled. Destruction requests stop and joins.

#include <cpprest/producerconsumerstream.h>
#include <atomic>
#include <thread>

#include "kubesim/api/api_server.h"
#include "kubesim/http/log.h"
#include "operator/base/clock.h"

namespace kubesim::http {

class WatchStream {
 public:
  using Buffer = concurrency::streams::producer_consumer_buffer<std::uint8_t>;
  struct Limits {
    tro::base::MonoTime deadline;
    tro::base::Duration stallLimit;
  };

  WatchStream(api::WatchPtr watch, Buffer body, Limits limits, const tro::base::Clock& clock,
              Logger& log);
  ~WatchStream() = default;  // the jthread member requests stop and joins
  WatchStream(const WatchStream&) = delete;
  WatchStream& operator=(const WatchStream&) = delete;

  bool done() const { return done_.load(); }
  void requestStop() { thread_.request_stop(); }

 private:
  void run(std::stop_token stop);
  // Returns false when the client is considered gone.
  bool clientKeepsUp();

  api::WatchPtr watch_;
  Buffer body_;
  Limits limits_;
  const tro::base::Clock& clock_;
  Logger& log_;
  std::size_t lastBacklog_ = 0;
  tro::base::MonoTime lastProgress_;
  std::atomic<bool> done_{false};
  std::jthread thread_;  // last member: started after everything it uses is initialised
};

}  // namespace kubesim::http
