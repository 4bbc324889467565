#include "bench/operator_fleet/figures.h"

namespace tro::bench {

std::string CaseFigures::errorOf(const std::string& phase) const {
  for (const CaseError& e : errors) {
    if (e.phase == phase) return e.message;
  }
  return "";
}

std::optional<double> CaseFigures::steadyPerMinute() const {
  if (!steadyRequests || steadySeconds <= 0) return std::nullopt;
  return static_cast<double>(steadyRequests->beyondWatches()) * 60.0 / steadySeconds;
}

std::optional<double> CaseFigures::readyOverList() const {
  if (!readySeconds || !rawListSeconds || *rawListSeconds <= 0) return std::nullopt;
  return *readySeconds / *rawListSeconds;
}

std::optional<double> CaseFigures::restartReadyOverList() const {
  if (!restartReadySeconds || !restartListSeconds || *restartListSeconds <= 0) return std::nullopt;
  return *restartReadySeconds / *restartListSeconds;
}

std::optional<double> CaseFigures::peakRssMiB() const {
  std::optional<double> peak;
  for (const auto& figures : {atEnd, restartAtEnd}) {
    if (figures && (!peak || figures->memory.peakRssMiB > *peak)) {
      peak = figures->memory.peakRssMiB;
    }
  }
  return peak;
}

}  // namespace tro::bench
