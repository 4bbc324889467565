// The operator's production client stack (RestClient over retrying, rate-limited HTTPS) and its
// Informer against the real kubesim binary while kubesim injects API faults at run time
// (kubesim/http/fault_settings.h): reads retry through 503 and 429, writes are never blindly
// replayed (operator/kube/transport/retry_policy.h), spurious 409s surface as conflicts, and an
// informer whose watches are cut, refused and paused still ends with exactly the server's
// objects. Attempts are counted by kubesim's request accounting; fault decisions are seeded, so
// every run sees the same sequence of faults for the same sequence of requests.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <set>
#include <stop_token>

#include "operator/kube/kubeconfig.h"
#include "operator/kube/rest_client.h"
#include "operator/kube/transport/cpprest_transport.h"
#include "operator/kube/transport/rate_limited_transport.h"
#include "operator/kube/transport/retry_policy.h"
#include "operator/kube/transport/retrying_transport.h"
#include "operator/runtime/informer.h"
#include "tests/integration/runtime/kubesim_server.h"
#include "tests/support/eventually.h"
#include "tests/support/kubesim_process.h"

namespace tro::testing {
namespace {

using namespace std::chrono_literals;
using kube::Json;
using Steady = std::chrono::steady_clock;

kube::ResourceType configMaps() { return {"", "v1", "configmaps", "ConfigMap", true}; }

Json configMap(const std::string& name, const std::string& value) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}}},
          {"data", {{"k", value}}}};
}

std::string nameOf(const Json& object) { return object["metadata"]["name"]; }

// name -> "resourceVersion k=value": the identity and content of a set of ConfigMaps.
using Snapshot = std::map<std::string, std::string>;

std::string fingerprint(const Json& object) {
  return object["metadata"].value("resourceVersion", "") +
         " k=" + object.value("/data/k"_json_pointer, std::string("<none>"));
}

Snapshot snapshotOf(const runtime::Store& store) {
  Snapshot out;
  for (const auto& object : store.list()) out[nameOf(*object)] = fingerprint(*object);
  return out;
}

// Settings that only touch ConfigMaps, so the test's own namespace writes are never faulted.
Json faults(Json settings) {
  settings["resources"] = {"configmaps"};
  return settings;
}

const int kMaxAttempts = kube::transport::RetryConfig{}.maxAttempts;

class ClientFaultsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    // A history of 5 changes: a watch that misses more than that must relist (410 Gone).
    kubesim_ = Kubesim::start({"--no-controllers", "--watch-history", "5"}, error);
    ASSERT_NE(kubesim_, nullptr) << error;
  }
  static void TearDownTestSuite() { kubesim_.reset(); }

  void SetUp() override {
    ASSERT_NE(kubesim_, nullptr);
    std::string error;
    ASSERT_TRUE(kubesim_->clearFaults(&error)) << error;
    auto config = kube::loadKubeconfigFile(kubesim_->kubeconfig().string());
    ASSERT_TRUE(config.ok()) << config.error().toString();
    // The production stack; only the client-side rate limit is raised, so that hundreds of
    // writes do not take half a minute at the default 20 QPS.
    config->qps = 500;
    config->burst = 500;
    auto stack = connect(*config);
    ASSERT_TRUE(stack.ok()) << stack.error().toString();
    stack_ = std::move(stack).value();
    auto created = createTestNamespace(
        api(), "f-", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(created.ok()) << created.error().toString();
    ns_ = *created;
  }
  void TearDown() override {
    if (kubesim_) kubesim_->clearFaults();
  }

  kube::ApiClient& api() { return *stack_->api; }

  void setFaults(const Json& settings) {
    std::string error;
    ASSERT_TRUE(kubesim_->setFaults(settings, &error)) << error;
  }
  void clearFaults() {
    std::string error;
    ASSERT_TRUE(kubesim_->clearFaults(&error)) << error;
  }
  void resetRequests() {
    std::string error;
    ASSERT_TRUE(kubesim_->resetRequests(&error)) << error;
  }
  // Attempts on ConfigMaps seen by kubesim since the last reset, by verb and optionally code.
  std::uint64_t attempts(const std::string& verb, int code = 0) {
    std::string error;
    auto requests = kubesim_->requests(&error);
    EXPECT_TRUE(requests.has_value()) << error;
    if (!requests) return 0;
    std::map<std::string, std::string> match = {{"verb", verb}, {"resource", "configmaps"}};
    if (code != 0) match["code"] = std::to_string(code);
    return countRequests(*requests, match);
  }

  Json create(const std::string& name, const std::string& value) {
    auto created = api().create(configMaps(), ns_, configMap(name, value), {});
    EXPECT_TRUE(created.ok()) << "create " << name << ": " << created.error().toString();
    return created.ok() ? *created : Json();
  }
  Snapshot serverSnapshot() {
    auto list = api().list(configMaps(), ns_, {});
    EXPECT_TRUE(list.ok()) << list.error().toString();
    Snapshot out;
    if (!list.ok()) return out;
    for (const auto& item : (*list)["items"]) out[nameOf(item)] = fingerprint(item);
    return out;
  }
  runtime::WatcherConfig watcherConfig() const {
    runtime::WatcherConfig config;
    config.type = configMaps();
    config.ns = ns_;
    // Quick re-tries after refused watches; correctness never depends on these.
    config.initialBackoff = 50ms;
    config.maxBackoff = 1s;
    return config;
  }

  static std::unique_ptr<Kubesim> kubesim_;
  std::unique_ptr<ClientStack> stack_;
  std::string ns_;
};

std::unique_ptr<Kubesim> ClientFaultsTest::kubesim_;

TEST_F(ClientFaultsTest, ReadsSucceedThroughHalfServiceUnavailable) {
  for (int i = 0; i < 4; ++i) create("cm-" + std::to_string(i), "v" + std::to_string(i));
  const std::set<std::string> names = {"cm-0", "cm-1", "cm-2", "cm-3"};
  resetRequests();
  setFaults(
      faults({{"seed", 4}, {"errorShare", 0.5}, {"errorCode", 503}, {"verbs", {"get", "list"}}}));

  // Seed 4 refuses 6 of these 11 calls' attempts, never 5 in a row (the attempt limit).
  const int gets = 8;
  const int lists = 3;
  for (int i = 0; i < gets; ++i) {
    const std::string name = "cm-" + std::to_string(i % 4);
    auto got = api().get(configMaps(), ns_, name);
    ASSERT_TRUE(got.ok()) << "get " << i << ": " << got.error().toString();
    EXPECT_EQ(nameOf(*got), name);
    EXPECT_EQ((*got)["data"]["k"], "v" + std::to_string(i % 4));
  }
  for (int i = 0; i < lists; ++i) {
    auto list = api().list(configMaps(), ns_, {});
    ASSERT_TRUE(list.ok()) << "list " << i << ": " << list.error().toString();
    std::set<std::string> listed;
    for (const auto& item : (*list)["items"]) listed.insert(nameOf(item));
    EXPECT_EQ(listed, names);
  }
  clearFaults();

  EXPECT_EQ(attempts("get", 200), static_cast<std::uint64_t>(gets));
  EXPECT_EQ(attempts("list", 200), static_cast<std::uint64_t>(lists));
  const std::uint64_t refused = attempts("get", 503) + attempts("list", 503);
  EXPECT_GT(refused, 0u) << "no 503 was injected: the test proves nothing";
  // Every refusal was retried: the attempts are the calls plus the retries.
  EXPECT_EQ(attempts("get") + attempts("list"), gets + lists + refused);
  EXPECT_GT(attempts("get") + attempts("list"), static_cast<std::uint64_t>(gets + lists));
}

TEST_F(ClientFaultsTest, ReadsWaitOutTooManyRequestsWithRetryAfter) {
  for (int i = 0; i < 2; ++i) create("cm-" + std::to_string(i), "v" + std::to_string(i));
  resetRequests();
  setFaults(faults({{"seed", 3},
                    {"errorShare", 0.5},
                    {"errorCode", 429},
                    {"retryAfterSeconds", 1},
                    {"verbs", {"get"}}}));

  const int gets = 6;
  const auto start = Steady::now();
  for (int i = 0; i < gets; ++i) {
    const std::string name = "cm-" + std::to_string(i % 2);
    auto got = api().get(configMaps(), ns_, name);
    ASSERT_TRUE(got.ok()) << "get " << i << ": " << got.error().toString();
    EXPECT_EQ((*got)["data"]["k"], "v" + std::to_string(i % 2));
  }
  const auto elapsed = Steady::now() - start;
  clearFaults();

  const std::uint64_t throttled = attempts("get", 429);
  EXPECT_GT(throttled, 0u) << "no 429 was injected: the test proves nothing";
  EXPECT_EQ(attempts("get", 200), static_cast<std::uint64_t>(gets));
  EXPECT_EQ(attempts("get"), gets + throttled);
  // Each 429 carried Retry-After: 1, and the client waited that long before trying again.
  EXPECT_GE(elapsed, std::chrono::seconds(throttled));
}

TEST_F(ClientFaultsTest, PostPatchAndDeleteUnder503AreNotReplayed) {
  const Json existing = create("existing", "before");
  resetRequests();
  setFaults(faults({{"seed", 5},
                    {"errorShare", 1.0},
                    {"errorCode", 503},
                    {"verbs", {"create", "patch", "delete"}}}));

  for (int i = 0; i < 3; ++i) {
    auto created = api().create(configMaps(), ns_, configMap("new-" + std::to_string(i), "x"), {});
    ASSERT_FALSE(created.ok());
    EXPECT_EQ(created.error().code, 503) << created.error().toString();
    EXPECT_TRUE(kube::isServerError(created.error()));
  }
  auto patched = api().patch(configMaps(), ns_, "existing", kube::PatchType::Merge,
                             R"({"data":{"k":"patched"}})", {});
  ASSERT_FALSE(patched.ok());
  EXPECT_EQ(patched.error().code, 503) << patched.error().toString();
  auto removed = api().remove(configMaps(), ns_, "existing", {});
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().code, 503) << removed.error().toString();
  clearFaults();

  // One attempt per call: the policy never replays a write that may have been processed.
  EXPECT_EQ(attempts("create"), 3u);
  EXPECT_EQ(attempts("create", 503), 3u);
  EXPECT_EQ(attempts("patch"), 1u);
  EXPECT_EQ(attempts("delete"), 1u);
  for (int i = 0; i < 3; ++i) {
    auto got = api().get(configMaps(), ns_, "new-" + std::to_string(i));
    ASSERT_FALSE(got.ok());
    EXPECT_TRUE(kube::isNotFound(got.error())) << got.error().toString();
  }
  auto got = api().get(configMaps(), ns_, "existing");
  ASSERT_TRUE(got.ok()) << got.error().toString();
  EXPECT_EQ(fingerprint(*got), fingerprint(existing));
}

TEST_F(ClientFaultsTest, UpdateUnder503IsReplayedUpToTheAttemptLimit) {
  Json object = create("guarded", "before");
  resetRequests();
  setFaults(faults({{"seed", 5}, {"errorShare", 1.0}, {"errorCode", 503}, {"verbs", {"update"}}}));

  // PUT carries metadata.resourceVersion: a replay of a processed update would be a 409, never a
  // second write, so the policy treats it as idempotent.
  Json changed = object;
  changed["data"]["k"] = "after";
  auto updated = api().update(configMaps(), ns_, changed, {});
  ASSERT_FALSE(updated.ok());
  EXPECT_EQ(updated.error().code, 503) << updated.error().toString();
  clearFaults();

  EXPECT_EQ(attempts("update"), static_cast<std::uint64_t>(kMaxAttempts));
  EXPECT_EQ(attempts("update", 503), static_cast<std::uint64_t>(kMaxAttempts));
  // Nothing was written: the same resourceVersion is still current.
  auto retried = api().update(configMaps(), ns_, changed, {});
  ASSERT_TRUE(retried.ok()) << retried.error().toString();
  EXPECT_EQ((*retried)["data"]["k"], "after");
}

TEST_F(ClientFaultsTest, CreateUnderTooManyRequestsIsRetried) {
  resetRequests();
  // Seed 4 throttles 2 of these 4 calls' attempts.
  setFaults(faults({{"seed", 4},
                    {"errorShare", 0.5},
                    {"errorCode", 429},
                    {"retryAfterSeconds", 1},
                    {"verbs", {"create"}}}));
  const int creates = 4;
  for (int i = 0; i < creates; ++i) {
    // 429 means the server rejected the request before processing it: safe to send again.
    auto created = api().create(configMaps(), ns_, configMap("t-" + std::to_string(i), "x"), {});
    ASSERT_TRUE(created.ok()) << "create " << i << ": " << created.error().toString();
  }
  clearFaults();
  const std::uint64_t throttled = attempts("create", 429);
  EXPECT_GT(throttled, 0u) << "no 429 was injected: the test proves nothing";
  EXPECT_EQ(attempts("create", 201), static_cast<std::uint64_t>(creates));
  EXPECT_EQ(attempts("create"), creates + throttled);
  auto list = api().list(configMaps(), ns_, {});
  ASSERT_TRUE(list.ok()) << list.error().toString();
  EXPECT_EQ((*list)["items"].size(), static_cast<size_t>(creates));
}

TEST_F(ClientFaultsTest, SpuriousConflictIsSurfacedAsConflict) {
  const Json object = create("contended", "before");
  resetRequests();
  setFaults(faults({{"seed", 2}, {"conflictShare", 1.0}, {"verbs", {"update", "patch"}}}));

  Json changed = object;
  changed["data"]["k"] = "after";
  auto updated = api().update(configMaps(), ns_, changed, {});
  ASSERT_FALSE(updated.ok());
  EXPECT_TRUE(kube::isConflict(updated.error())) << updated.error().toString();
  EXPECT_EQ(updated.error().code, 409);
  auto patched = api().patch(configMaps(), ns_, "contended", kube::PatchType::Merge,
                             R"({"data":{"k":"patched"}})", {});
  ASSERT_FALSE(patched.ok());
  EXPECT_TRUE(kube::isConflict(patched.error())) << patched.error().toString();
  clearFaults();

  // A 409 is final for the transport: the caller re-reads and decides.
  EXPECT_EQ(attempts("update"), 1u);
  EXPECT_EQ(attempts("patch"), 1u);
  auto got = api().get(configMaps(), ns_, "contended");
  ASSERT_TRUE(got.ok()) << got.error().toString();
  EXPECT_EQ(fingerprint(*got), fingerprint(object));
}

TEST_F(ClientFaultsTest, InformerConvergesWhileWatchesAreCutRefusedAndExpire) {
  // Every watch is cut within 200 ms of opening, and one list or watch in ten is refused with a
  // 503, from the informer's first request on.
  setFaults(faults({{"seed", 17},
                    {"watchCutShare", 1.0},
                    {"watchCutAfterMs", 200},
                    {"errorShare", 0.1},
                    {"errorCode", 503},
                    {"verbs", {"list", "watch"}}}));
  runtime::Informer informer(api(), stack_->clock, watcherConfig());
  informer.start();
  ASSERT_TRUE(informer.waitForSync(stack_->clock.monotonicNow() + 30s)) << informer.lastError();

  // 200 objects created, updated and one in three deleted, in ten rounds; after each round every
  // open watch is also cut at once, wherever the informer is in its stream.
  const int rounds = 10;
  const int perRound = 20;
  for (int r = 0; r < rounds; ++r) {
    std::vector<Json> objects;
    for (int j = 0; j < perRound; ++j) {
      objects.push_back(create("c-" + std::to_string(r) + "-" + std::to_string(j), "0"));
    }
    for (Json& object : objects) {
      object["data"]["k"] = "1";
      auto updated = api().update(configMaps(), ns_, object, {});
      ASSERT_TRUE(updated.ok()) << updated.error().toString();
    }
    for (int j = 0; j < perRound; j += 3) {
      auto removed = api().remove(configMaps(), ns_, nameOf(objects[j]), {});
      ASSERT_TRUE(removed.ok()) << removed.error().toString();
    }
    setFaults({{"cutWatchesNow", true}});  // an action only: the settings and seed stay
  }
  ASSERT_TRUE(eventually([&] { return informer.watchRestarts() > 0; }, 30s))
      << "no watch was cut; last error: " << informer.lastError();

  // Then a gap the watch cannot bridge: cut every watch and refuse new ones while 21 more changes
  // happen (more than the 5 kubesim keeps), so the informer must list again: a 410 relist after
  // the gap, or, when an earlier 410 had it relisting already, that list completing during the
  // gap (lists are not refused) and the watch resuming from it. Either way, a list after the gap
  // began.
  const uint64_t relistsBefore = informer.relists();
  const uint64_t listsBefore = attempts("list", 200);
  setFaults(faults({{"seed", 19},
                    {"watchCutShare", 0.0},
                    {"errorShare", 1.0},
                    {"errorCode", 503},
                    {"verbs", {"watch"}},
                    {"cutWatchesNow", true}}));
  for (int i = 0; i < 20; ++i) create("gap-" + std::to_string(i), "g");
  ASSERT_TRUE(api().remove(configMaps(), ns_, "c-0-1", {}).ok());
  clearFaults();

  ASSERT_TRUE(eventually(
      [&] { return informer.relists() > relistsBefore || attempts("list", 200) > listsBefore; },
      60s))
      << "no list after the gap; last error: " << informer.lastError();
  const Snapshot expected = serverSnapshot();
  ASSERT_EQ(expected.size(), static_cast<size_t>(rounds * (perRound - 7) - 1 + 20));
  ASSERT_TRUE(eventually([&] { return snapshotOf(informer.store()) == expected; }, 60s))
      << "store has " << informer.store().size() << " of " << expected.size()
      << "; last error: " << informer.lastError();
  EXPECT_GT(informer.errors(), 0u);
  RecordProperty("watchRestarts", std::to_string(informer.watchRestarts()));
  RecordProperty("relists", std::to_string(informer.relists()));
  RecordProperty("watchesOpened", std::to_string(attempts("watch", 200)));
  informer.stop();
}

TEST_F(ClientFaultsTest, CallsDuringAPauseWaitOrTimeOutAndTheInformerResyncsAfter) {
  for (int i = 0; i < 3; ++i) create("p-" + std::to_string(i), "0");
  runtime::Informer informer(api(), stack_->clock, watcherConfig());
  informer.start();
  ASSERT_TRUE(informer.waitForSync(stack_->clock.monotonicNow() + 30s)) << informer.lastError();
  ASSERT_TRUE(eventually([&] { return informer.store().size() == 3u; }, 30s));
  const uint64_t restartsBefore = informer.watchRestarts() + informer.relists();
  resetRequests();
  // A client whose requests give up after 1 s of silence, over the same production transport.
  kube::RestClient impatient(*stack_->transport, 1s);

  const auto pauseRequested = Steady::now();
  setFaults({{"pauseSeconds", 3}, {"cutWatchesNow", true}});
  // A read waits: kubesim holds it, or the client times out and retries it, until the pause ends.
  auto got = api().get(configMaps(), ns_, "p-0");
  const auto readDone = Steady::now();
  ASSERT_TRUE(got.ok()) << got.error().toString();
  EXPECT_EQ((*got)["data"]["k"], "0");
  EXPECT_GE(readDone - pauseRequested, 3s) << "the read was answered during the pause";

  setFaults({{"pauseSeconds", 3}});
  // A create that times out is not replayed: kubesim may (and here does) process it after the
  // pause, and a replay would have created it twice or failed with AlreadyExists.
  auto created = impatient.create(configMaps(), ns_, configMap("held", "h"), {});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, kube::ErrorKind::Timeout) << created.error().toString();
  // The held create lands once the pause ends (this read is held until then, too).
  ASSERT_TRUE(eventually([&] { return api().get(configMaps(), ns_, "held").ok(); }, 30s))
      << "the create held during the pause was never processed";
  // Writes after the pause, while the informer re-opens its watch.
  create("after", "a");
  ASSERT_TRUE(api().remove(configMaps(), ns_, "p-1", {}).ok());

  ASSERT_TRUE(eventually([&] { return informer.store().get(ns_, "after") != nullptr; }, 30s))
      << informer.lastError();
  const Snapshot expected = serverSnapshot();
  EXPECT_EQ(attempts("create"), 2u);  // "held" once (after the pause), "after" once
  ASSERT_TRUE(eventually([&] { return snapshotOf(informer.store()) == expected; }, 30s))
      << "store has " << informer.store().size() << " of " << expected.size();
  EXPECT_GT(informer.watchRestarts() + informer.relists(), restartsBefore);
  informer.stop();
}

// The production stack as connect() builds it, with HttpTransportOptions::abortReads wired to
// `abort` (what the operator's shutdown does first).
struct AbortableStack {
  base::SystemClock clock;
  std::unique_ptr<kube::transport::RateLimiter> limiter;
  kube::TransportPtr transport;
  std::unique_ptr<kube::RestClient> api;
};

kube::Result<std::unique_ptr<AbortableStack>> connectAbortable(const kube::ClusterConfig& config,
                                                               std::stop_token abort) {
  kube::transport::HttpTransportOptions options;
  options.abortReads = std::move(abort);
  auto http = kube::transport::makeHttpTransport(config, options);
  if (!http.ok()) return kube::fail(std::move(http).error());
  auto stack = std::make_unique<AbortableStack>();
  stack->limiter =
      std::make_unique<kube::transport::RateLimiter>(config.qps, config.burst, stack->clock);
  stack->transport = std::make_unique<kube::transport::RetryingTransport>(
      std::make_unique<kube::transport::RateLimitedTransport>(std::move(http).value(),
                                                              *stack->limiter),
      kube::transport::RetryConfig{}, stack->clock);
  stack->api = std::make_unique<kube::RestClient>(*stack->transport);
  return stack;
}

TEST_F(ClientFaultsTest, InformerStopsDuringAPauseOnceReadsAreAborted) {
  create("s-0", "0");
  std::stop_source abort;
  auto config = kube::loadKubeconfigFile(kubesim_->kubeconfig().string());
  ASSERT_TRUE(config.ok()) << config.error().toString();
  auto stack = connectAbortable(*config, abort.get_token());
  ASSERT_TRUE(stack.ok()) << stack.error().toString();
  resetRequests();
  runtime::Informer informer(*(*stack)->api, (*stack)->clock, watcherConfig());
  informer.start();
  ASSERT_TRUE(informer.waitForSync((*stack)->clock.monotonicNow() + 30s)) << informer.lastError();
  // Synced means listed; the watch opens after that. Cutting before it is open would cut
  // nothing, and the open would simply hang in the pause without a restart to observe.
  ASSERT_TRUE(eventually(
      [&] {
        auto seen = kubesim_->requests();
        return seen && countRequests(*seen, {{"verb", "watch"}, {"resource", "configmaps"}}) > 0;
      },
      30s));
  const uint64_t restartsBefore = informer.watchRestarts();

  // The API server hangs for a minute; the informer's watch is cut and its re-open is held.
  setFaults({{"pauseSeconds", 60}, {"cutWatchesNow", true}});
  ASSERT_TRUE(eventually([&] { return informer.watchRestarts() > restartsBefore; }, 30s));
  abort.request_stop();
  informer.stop();  // returns without waiting for the pause to end

  RunResult state = kubesim_->kubectl({"get", "--raw", "/kubesim/faults"});
  ASSERT_EQ(state.exitCode, 0) << state.err;
  const Json faultsState = Json::parse(state.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_GT(faultsState.value("pausedForMs", 0), 0) << "stop() waited for the pause: " << state.out;
  clearFaults();  // lifts the pause
}

}  // namespace
}  // namespace tro::testing
