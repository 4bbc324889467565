#include "operator/base/process_exit.h"

#include <cstdio>
#include <cstdlib>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TRO_LEAK_CHECK 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TRO_LEAK_CHECK 1
#endif

#ifdef TRO_LEAK_CHECK
#include <sanitizer/lsan_interface.h>
#endif

namespace tro::base {

void exitProcess(int code) {
  std::fflush(nullptr);
#ifdef TRO_LEAK_CHECK
  // _Exit skips the atexit hook that runs it; a leak still fails the process.
  if (__lsan_do_recoverable_leak_check() != 0 && code == 0) code = 23;
#endif
  std::_Exit(code);
}

}  // namespace tro::base
