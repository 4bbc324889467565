#pragma once
// Picks a currently free TCP port on `bind` by binding a probe socket to port 0. Needed because
// cpprestsdk's listener cannot report the port the OS chose. Racy by nature: the caller retries
// when opening the listener on the port fails.

#include <cstdint>
#include <string>

#include "operator/base/result.h"

namespace kubesim::http {

tro::base::Result<std::uint16_t, std::string> findFreePort(const std::string& bind);

}  // namespace kubesim::http
