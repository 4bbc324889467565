#pragma once

namespace tro::base {

// Ends the process with `code` once everything it owns has stopped: flushes stdio, runs
// LeakSanitizer's check in an ASan build, and exits without running static destructors.
//
// Why not return from main: cpprestsdk's shared HTTP thread pool is a function-local static
// whose destructor stops its io_service and joins its threads. A continuation still queued by a
// connection that closed just before (a server's reply, a client's TLS shutdown) can keep one of
// those threads from returning, and exit then never ends (a unit test that passed in 200 ms hung
// for 120 s after main returned). The objects that matter are stopped and joined by their owners
// before this is called; what the static destructors would free, the kernel frees.
[[noreturn]] void exitProcess(int code);

}  // namespace tro::base
