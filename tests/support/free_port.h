#pragma once
// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, released), for
// servers that cannot report the port they chose. Another process may take it in between; tests
// that use it start the server right away and fail clearly if the bind fails.

#include <cstdint>

namespace tro::testing {

// 0 when no socket could be bound.
std::uint16_t freeLoopbackPort();

}  // namespace tro::testing
