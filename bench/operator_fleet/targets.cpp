#include "bench/operator_fleet/targets.h"

#include <cstdio>

namespace tro::bench {
namespace {

std::string fixed(double value, int decimals) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

// Why a figure is missing: the first error among `phases`, else a plain "no figure".
std::string absence(const CaseFigures& f, const std::vector<std::string>& phases) {
  for (const std::string& phase : phases) {
    if (const std::string e = f.errorOf(phase); !e.empty()) return phase + ": " + e;
  }
  if (!f.errors.empty()) return "not run: " + f.errors.front().phase + " failed";
  return "no figure";
}

JudgedTarget memoryTarget(const CaseFigures& f, const TargetLimits& l) {
  JudgedTarget t{"operator peak RSS (VmHWM) < " + fixed(l.peakRssMiB, 0) + " MiB with " +
                 std::to_string(l.rssDeployments) + " Deployments and " +
                 std::to_string(l.rssRollouts) + " rollouts"};
  const auto peak = f.peakRssMiB();
  if (!peak) {
    t.detail = absence(f, {"proc", "restart"});
    return t;
  }
  t.detail = fixed(*peak, 1) + " MiB, the higher of the first process and the restarted one";
  if (f.spec.deployments < l.rssDeployments || f.spec.rollouts < l.rssRollouts) {
    t.verdict = Verdict::NotApplicable;
    t.detail += "; the target is for the fleet of " + std::to_string(l.rssDeployments) + "x" +
                std::to_string(l.rssRollouts);
    return t;
  }
  t.verdict = *peak < l.peakRssMiB ? Verdict::Met : Verdict::Missed;
  t.detail += *peak < l.peakRssMiB ? " < " : " >= ";
  t.detail += fixed(l.peakRssMiB, 0) + " MiB";
  return t;
}

// Judged on the restart, where the operator caches the Deployments of every namespace with
// rollouts before it is ready; the first start has no rollout yet, so it caches none.
JudgedTarget readyTarget(const CaseFigures& f, const TargetLimits& l) {
  JudgedTarget t{"restart -> /readyz within " + fixed(l.readyOverList, 1) +
                 "x of a raw paged LIST of the same Deployments"};
  const auto ratio = f.restartReadyOverList();
  if (!ratio) {
    t.detail = absence(f, {"restart", "list", "operator"});
    return t;
  }
  const bool met = *ratio <= l.readyOverList;
  t.verdict = met ? Verdict::Met : Verdict::Missed;
  t.detail = fixed(*f.restartReadySeconds, 3) + " s / " + fixed(*f.restartListSeconds, 3) +
             " s = " + fixed(*ratio, 2) + "x" + (met ? " <= " : " > ") + fixed(l.readyOverList, 1) +
             "x";
  return t;
}

JudgedTarget conflictTarget(const CaseFigures& f, const TargetLimits& l) {
  JudgedTarget t{"conflicts (409) answered to the operator <= " + std::to_string(l.conflicts)};
  if (!f.waveRequests) {
    t.detail = absence(f, {"requests", "wave", "rollouts"});
    return t;
  }
  const std::uint64_t wave = f.waveRequests->conflicts;
  const std::uint64_t steady = f.steadyRequests ? f.steadyRequests->conflicts : 0;
  const std::uint64_t restart = f.restartRequests ? f.restartRequests->conflicts : 0;
  t.verdict = wave + steady + restart <= l.conflicts ? Verdict::Met : Verdict::Missed;
  t.detail =
      std::to_string(wave + steady + restart) + " (wave " + std::to_string(wave) + ", steady " +
      (f.steadyRequests ? std::to_string(steady) : std::string("not measured")) + ", restart " +
      (f.restartRequests ? std::to_string(restart) : std::string("not measured")) + ")";
  return t;
}

JudgedTarget steadyTarget(const CaseFigures& f, const TargetLimits& l) {
  JudgedTarget t{"requests per minute beyond watches while every rollout holds <= " +
                 fixed(l.steadyPerMinute, 0)};
  const auto perMinute = f.steadyPerMinute();
  if (!perMinute) {
    t.detail = absence(f, {"steady", "hold"});
    return t;
  }
  t.verdict = *perMinute <= l.steadyPerMinute ? Verdict::Met : Verdict::Missed;
  t.detail = fixed(*perMinute, 1) + "/min: " + std::to_string(f.steadyRequests->beyondWatches()) +
             " in " + fixed(f.steadySeconds, 1) + " s (" +
             std::to_string(f.steadyRequests->nonResource) + " without a resource; " +
             std::to_string(f.steadyRequests->watches) + " watches opened, not counted)";
  return t;
}

}  // namespace

std::vector<JudgedTarget> judgeCase(const CaseFigures& figures, const TargetLimits& limits) {
  return {memoryTarget(figures, limits), readyTarget(figures, limits),
          conflictTarget(figures, limits), steadyTarget(figures, limits)};
}

}  // namespace tro::bench
