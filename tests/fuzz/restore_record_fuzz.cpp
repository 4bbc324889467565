// The restore record (restore_record.h): the annotation rollout.telemetry.io/restore on a
// Deployment, which anyone allowed to edit the Deployment can rewrite, read before every restore.
// Input: the annotation value. Invariant: an accepted record's canonical form reads back as the
// same record, and is a fixed point (an unchanged record never causes a write).

#include <string>

#include "controllers/rollout/restore_record.h"
#include "tests/fuzz/fuzz_util.h"

using namespace tro::controllers;
using tro::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  const auto record = parseRestoreRecord(std::string(tro::fuzz::asText(data, size)));
  if (!record.ok()) return 0;
  const std::string canonical = record->toAnnotation();
  const auto again = parseRestoreRecord(canonical);
  require(again.ok() && *again == *record && again->toAnnotation() == canonical);
  return 0;
}
