#pragma once
// The pod-template-hash of a Deployment's pod template: FNV-1a 32-bit over a canonical JSON
// rendering of the template (keys sorted, the pod-template-hash label itself excluded), printed
// in decimal and mapped character by character to Kubernetes' safe alphabet
// "bcdfghjklmnpqrstvwxz2456789" (rand.SafeEncodeString), like the real controller. Stable across
// runs and processes; not byte-identical to Go's hash of the Go struct.

#include <cstdint>
#include <string>

#include "kubesim/common/api_error.h"

namespace kubesim::world {

std::uint32_t fnv32a(const std::string& bytes);
std::string safeEncode(const std::string& s);
std::string podTemplateHash(const Json& podTemplate);

}  // namespace kubesim::world
