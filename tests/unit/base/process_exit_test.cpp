#include "operator/base/process_exit.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

namespace tro::base {
namespace {

TEST(ExitProcessDeathTest, ExitsWithTheCodeItIsGiven) {
  EXPECT_EXIT(exitProcess(3), ::testing::ExitedWithCode(3), "");
  EXPECT_EXIT(exitProcess(0), ::testing::ExitedWithCode(0), "");
}

TEST(ExitProcessDeathTest, ExitsWhileAThreadOfAStaticIsStillBlocked) {
  // What cpprestsdk's pool can do at exit: a static whose destructor joins a thread that never
  // returns. Returning from main would hang; exitProcess must not run that destructor.
  EXPECT_EXIT(
      {
        struct Joiner {
          std::thread t{[] {
            for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
          }};
          ~Joiner() { t.join(); }
        };
        static Joiner joiner;
        std::fputs("buffered", stderr);
        exitProcess(5);
      },
      ::testing::ExitedWithCode(5), "buffered");
}

}  // namespace
}  // namespace tro::base
