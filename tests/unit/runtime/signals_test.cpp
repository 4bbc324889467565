// In its own binary: the signal mask must be set before any other thread exists.
#include "operator/runtime/signals.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <sstream>

#include "operator/base/simulated_clock.h"

namespace tro::runtime {
namespace {

TEST(ShutdownSignalTest, SigtermBecomesAStopRequest) {
  base::SimulatedClock clock;
  std::ostringstream logs;
  ShutdownSignal signal(
      base::Logger(clock, logs, {.level = base::LogLevel::Info, .format = base::LogFormat::Text}));
  std::stop_token token = signal.token();
  EXPECT_FALSE(token.stop_requested());

  std::mutex mu;
  std::condition_variable_any cv;
  bool stopped = false;
  std::stop_callback onStop(token, [&] {
    std::lock_guard l(mu);
    stopped = true;
    cv.notify_all();
  });
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  std::unique_lock l(mu);
  ASSERT_TRUE(cv.wait_for(l, std::chrono::seconds(20), [&] { return stopped; }));
  EXPECT_TRUE(token.stop_requested());
  EXPECT_NE(logs.str().find("signal=15"), std::string::npos) << logs.str();
}

bool waitForStop(std::stop_token token) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock l(mu);
  return cv.wait_for(l, token, std::chrono::seconds(20), [] { return false; }) ||
         token.stop_requested();
}

// The child process gets its own ShutdownSignal; its exit code shows the second signal's effect.
TEST(ShutdownSignalDeathTest, SecondSignalExitsImmediately) {
  EXPECT_EXIT(
      {
        base::SimulatedClock clock;
        std::ostringstream logs;
        ShutdownSignal signal(base::Logger(clock, logs));
        ::kill(::getpid(), SIGTERM);
        if (!waitForStop(signal.token())) std::_Exit(1);
        ::kill(::getpid(), SIGINT);
        waitForStop(std::stop_token{});  // only the exit can end this child early
        std::_Exit(2);
      },
      ::testing::ExitedWithCode(128 + SIGINT), "");
}

TEST(ShutdownSignalTest, RequestStopWithoutASignal) {
  base::SimulatedClock clock;
  std::ostringstream logs;
  ShutdownSignal signal(base::Logger(clock, logs));
  signal.requestStop();
  EXPECT_TRUE(signal.token().stop_requested());
  EXPECT_EQ(logs.str(), "");
}

}  // namespace
}  // namespace tro::runtime
