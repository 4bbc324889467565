#pragma once
// WatchStream (internal to kubesim/http): moves the lines of one api::Watch into the chunked body
// of an HTTP response, one JSON event per line, flushed per line, on a thread it owns. The
// stream ends when the watch finishes, the deadline passes, the client stops reading (its unsent
// backlog has not drained for `stallLimit`), or stop is requested; the body is then closed and
// the watch cancelled. Destruction requests stop and joins. The server attaches the task that
// sends the response so that a graceful stop can wait until the last chunk is on the wire.

#include <cpprest/producerconsumerstream.h>
#include <atomic>
#include <future>
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
  // The task of `request.reply(...)` for this stream's response.
  void attachReply(pplx::task<void> reply);
  // Waits until the response has been sent to its end (or failed: the client is gone), at most
  // `limit`; false if it was still being sent. Call once.
  bool waitSent(std::chrono::milliseconds limit);

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
  std::future<std::string> sent_;  // what failed while sending, or ""
  std::jthread thread_;            // last member: started after everything it uses is initialised
};

}  // namespace kubesim::http
