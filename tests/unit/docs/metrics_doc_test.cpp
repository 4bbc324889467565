// Every metric family the operator registers has a row in docs/reference/metrics.md with its
// type and labels, and every row names a registered family. Names come from two places that
// check each other: the registrations in the sources (every .counter/.gauge/.histogram call with
// a literal name, so a family added anywhere is seen) and the families rendered in-process by the
// real Registry after touching each one (which also gives the label names).

#include <gtest/gtest.h>

#include <regex>

#include "controllers/rollout/rollout_metrics.h"
#include "operator/runtime/metrics_standard.h"
#include "tests/unit/docs/doc_text.h"

namespace tro::docs {
namespace {

constexpr const char* kPage = "docs/reference/metrics.md";

struct Registered {
  std::map<std::string, std::string> types;  // name -> counter | gauge | histogram
  std::vector<std::string> unreadable;       // "file:line" of registrations without a literal
};

Registered registeredInSources() {
  Registered out;
  static const std::regex call(
      R"re(\.(counter|gauge|histogram)\(\s*("([a-zA-Z_:][a-zA-Z0-9_:]*)")?)re");
  for (const char* dir : {"operator", "controllers"}) {
    for (const auto& file : sourceFiles(sourcePath(dir), {".cpp", ".h"})) {
      auto text = readFile(file);
      if (!text.ok()) {
        out.unreadable.push_back(text.error().message);
        continue;
      }
      std::string code = stripComments(*text);
      for (std::sregex_iterator it(code.begin(), code.end(), call), end; it != end; ++it) {
        if ((*it)[3].matched) {
          out.types[(*it)[3]] = (*it)[1];
        } else {
          auto line = std::count(code.begin(), code.begin() + it->position(0), '\n') + 1;
          out.unreadable.push_back(file.string() + ":" + std::to_string(line));
        }
      }
    }
  }
  return out;
}

struct Rendered {
  std::string type;
  std::set<std::string> labels;  // without "le"
};

// The families StandardMetrics and RolloutMetrics register, each given one series so that
// render() shows it (families without series are omitted).
std::map<std::string, Rendered> renderedInProcess() {
  runtime::Registry registry;
  runtime::StandardMetrics standard(registry);
  controllers::RolloutMetrics rollout(registry);
  standard.reconcileTotal.labels({"c", "success"}).inc();
  standard.reconcileErrors.labels({"c"}).inc();
  standard.terminalReconcileErrors.labels({"c"}).inc();
  standard.reconcileTime.labels({"c"}).observe(0.1);
  standard.workqueueDepth.labels({"q"}).set(1);
  standard.workqueueAdds.labels({"q"}).inc();
  standard.restClientRequests.labels({"GET", "200"}).inc();
  standard.watchRestarts.labels({"deployments"}).inc();
  standard.leaderElectionMasterStatus.labels({"lease"}).set(1);
  rollout.setPhase("ns", "name", controllers::Phase::Progressing);
  rollout.transition(controllers::Phase::Progressing);
  rollout.setTargetsEnabled("ns", "name", 1);
  rollout.conflict();
  rollout.rollback("AnalysisFailed", 1);
  rollout.analysisDuration(0.5);
  rollout.reconcileError();

  std::map<std::string, Rendered> out;
  static const std::regex type(R"(^# TYPE (\S+) (\S+)$)");
  static const std::regex label(R"(([a-zA-Z_][a-zA-Z0-9_]*)=")");
  std::istringstream in(registry.render());
  std::string line;
  std::string current;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, type)) {
      current = m[1];
      out[current].type = m[2];
      continue;
    }
    if (line.empty() || line[0] == '#' || current.empty()) continue;
    size_t brace = line.find('{');
    if (brace == std::string::npos) continue;
    std::string labels = line.substr(brace, line.find('}') - brace);
    for (std::sregex_iterator it(labels.begin(), labels.end(), label), end; it != end; ++it) {
      if ((*it)[1] != "le") out[current].labels.insert((*it)[1]);
    }
  }
  return out;
}

struct DocMetric {
  std::string type;
  std::set<std::string> labels;
  std::string line;
};

// Rows of the tables headed "Metric": `name` | type | labels (code spans, or "none") | meaning.
std::map<std::string, DocMetric> documentedMetrics(const std::string& page) {
  std::map<std::string, DocMetric> out;
  for (const auto& row : tableRows(page)) {
    if (row.header != "Metric" || row.cells.size() < 3) continue;
    auto labels = codeSpans(row.cells[2]);
    for (const auto& name : codeSpans(row.cells[0])) {
      out[name] = {row.cells[1], {labels.begin(), labels.end()}, row.line};
    }
  }
  return out;
}

std::set<std::string> keys(const auto& map) {
  std::set<std::string> out;
  for (const auto& [k, v] : map) out.insert(k);
  return out;
}

TEST(MetricsDoc, RegisteredFamiliesAndReferenceAgree) {
  Registered registered = registeredInSources();
  EXPECT_TRUE(registered.unreadable.empty())
      << "metric registrations whose name is not a string literal (the drift test cannot read "
         "them; use a literal or extend metrics_doc_test.cpp): "
      << joined({registered.unreadable.begin(), registered.unreadable.end()});
  auto rendered = renderedInProcess();
  auto page = readFile(sourcePath(kPage));
  ASSERT_TRUE(page.ok()) << page.error().message;
  auto documented = documentedMetrics(*page);

  auto unseen = missingFrom(keys(rendered), keys(registered.types));
  EXPECT_TRUE(unseen.empty()) << "families rendered by the Registry but not found by the source "
                                 "scan (fix the scan in metrics_doc_test.cpp): "
                              << joined(unseen);
  auto undocumented = missingFrom(keys(registered.types), keys(documented));
  EXPECT_TRUE(undocumented.empty()) << "metrics the operator registers but " << kPage
                                    << " does not list: " << joined(undocumented);
  auto unknown = missingFrom(keys(documented), keys(registered.types));
  EXPECT_TRUE(unknown.empty()) << "metrics listed in " << kPage
                               << " that the operator does not register: " << joined(unknown);

  for (const auto& [name, type] : registered.types) {
    auto doc = documented.find(name);
    if (doc == documented.end()) continue;
    EXPECT_EQ(doc->second.type.rfind(type, 0), 0u)
        << kPage << ": `" << name << "` is a " << type << "; row: " << doc->second.line;
  }
  for (const auto& [name, r] : rendered) {
    auto doc = documented.find(name);
    if (doc == documented.end()) continue;
    EXPECT_EQ(doc->second.labels, r.labels) << kPage << ": labels of `" << name << "` should be {"
                                            << joined(r.labels) << "}; row: " << doc->second.line;
  }
}

TEST(MetricsDoc, RenderedFamiliesCarryTypesAndLabels) {
  auto rendered = renderedInProcess();
  ASSERT_TRUE(rendered.contains("telemetry_rollout_rollbacks_total"));
  EXPECT_EQ(rendered["telemetry_rollout_rollbacks_total"].type, "counter");
  EXPECT_EQ(rendered["telemetry_rollout_rollbacks_total"].labels, std::set<std::string>{"reason"});
  ASSERT_TRUE(rendered.contains("controller_runtime_reconcile_time_seconds"));
  EXPECT_EQ(rendered["controller_runtime_reconcile_time_seconds"].labels,
            std::set<std::string>{"controller"});
}

}  // namespace
}  // namespace tro::docs
