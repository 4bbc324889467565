#include "operator/app/run.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "controllers/analysis/alertmanager_webhook.h"
#include "controllers/analysis/prometheus_http.h"
#include "controllers/notify/webhook_http_sender.h"
#include "controllers/notify/webhook_url.h"
#include "controllers/rollout/rollout_controller.h"
#include "operator/app/http_thread_pool.h"
#include "operator/app/metered_transport.h"
#include "operator/app/options.h"
#include "operator/base/bounded_file.h"
#include "operator/base/log.h"
#include "operator/base/url.h"
#include "operator/kube/destination_policy.h"
#include "operator/kube/kubeconfig.h"
#include "operator/kube/rest_client.h"
#include "operator/kube/transport/adaptive_concurrency_transport.h"
#include "operator/kube/transport/cpprest_transport.h"
#include "operator/kube/transport/keep_warm.h"
#include "operator/kube/transport/rate_limited_transport.h"
#include "operator/kube/transport/retrying_transport.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/http_server.h"
#include "operator/runtime/leader_election.h"
#include "operator/runtime/metrics.h"
#include "operator/runtime/metrics_standard.h"
#include "operator/runtime/signals.h"
#include "operator/runtime/webhook_server.h"

namespace tro::app {
namespace {

constexpr const char* kVersion = "0.1.0";

std::string envOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

// client-go's default identity: the pod (or host) name plus something unique to this process.
std::string leaderIdentity() {
  char host[256] = {0};
  gethostname(host, sizeof(host) - 1);
  return envOr("POD_NAME", host) + "_" + std::to_string(getpid());
}

// The client stack, innermost first: HTTP (TLS, auth) <- rate limit <- retries <- REST verbs.
struct KubeClient {
  std::unique_ptr<kube::transport::RateLimiter> limiter;
  kube::TransportPtr transport;
  std::unique_ptr<kube::RestClient> api;
  // The rollback lane's adaptive in-flight bound (inside `transport`), and the HTTP stack beneath
  // it (for KeepWarm); null on the main lane.
  const kube::transport::AdaptiveConcurrencyTransport* adaptive = nullptr;
  kube::Transport* beneathBound = nullptr;
};

// The rollback lane's in-flight bound: starts where a plain parallel client does, halves on 429
// (and waits out Retry-After), and grows while latency holds, up to the executor's threads.
constexpr int kRollbackInFlightStart = 16;
constexpr int kRollbackInFlightMax = 64;

// `stop` ends the client stack (rate limiter waits, retries). `abortReads` comes first, at
// shutdown: reads in flight (lists, watches) are cut so that a hanging API server cannot hold
// the informers' threads, while writes (the lease release) still go out.
// `rollbackLane` (non-null) builds the rollback lane: the same stack without the QPS limiter but
// with an adaptive in-flight bound, whose value goes to that gauge.
kube::Result<KubeClient> connect(const Options& options, const base::Clock& clock,
                                 runtime::CounterFamily& requests, std::stop_token stop,
                                 std::stop_token abortReads,
                                 runtime::Gauge* rollbackLane = nullptr) {
  auto config = kube::loadClusterConfig(options.kubeconfig, options.context);
  if (!config.ok()) return kube::fail(std::move(config).error());
  config->qps = options.kubeApiQps;
  config->burst = options.kubeApiBurst;
  // The replica's identity (the leader election's) in the User-Agent, so that an API server's
  // audit log tells the replicas' requests apart.
  config->userAgent =
      std::string("telemetry-rollout-operator/") + kVersion + " (" + leaderIdentity() + ")";
  kube::transport::HttpTransportOptions transportOptions;
  transportOptions.abortReads = std::move(abortReads);
  auto http = kube::transport::makeHttpTransport(*config, transportOptions);
  if (!http.ok()) return kube::fail(std::move(http).error());
  KubeClient client;
  kube::TransportPtr metered =
      std::make_unique<MeteredTransport>(std::move(http).value(), requests);
  if (rollbackLane == nullptr) {
    client.limiter =
        std::make_unique<kube::transport::RateLimiter>(config->qps, config->burst, clock);
    metered = std::make_unique<kube::transport::RateLimitedTransport>(std::move(metered),
                                                                      *client.limiter, stop);
  } else {
    kube::transport::AdaptiveLimitOptions bound;
    bound.initial = kRollbackInFlightStart;
    bound.max = kRollbackInFlightMax;
    auto adaptive = std::make_unique<kube::transport::AdaptiveConcurrencyTransport>(
        std::move(metered), bound, clock, stop,
        [rollbackLane](int limit) { rollbackLane->set(limit); });
    client.adaptive = adaptive.get();
    client.beneathBound = &adaptive->inner();
    metered = std::move(adaptive);
  }
  client.transport = std::make_unique<kube::transport::RetryingTransport>(
      std::move(metered), kube::transport::RetryConfig{}, clock, stop);
  client.api = std::make_unique<kube::RestClient>(*client.transport);
  return client;
}

std::optional<std::unique_ptr<runtime::HttpServer>> serve(const std::string& address,
                                                          const runtime::Registry* registry,
                                                          const runtime::HealthChecks* checks,
                                                          const base::Logger& log) {
  if (address == "0") return std::unique_ptr<runtime::HttpServer>();
  auto server = runtime::HttpServer::start(address, registry, checks);
  if (!server.ok()) {
    log.error("cannot serve", {{"address", address}, {"error", server.error()}});
    return std::nullopt;
  }
  log.info("serving", {{"address", address}, {"what", registry ? "metrics" : "health probes"}});
  return std::move(server).value();
}

// Where rollouts may send requests, from the flags: host allow-lists and providers.
struct Outbound {
  controllers::OutboundRules rules;
  controllers::analysis::PrometheusProviders providers;
};

base::Result<Outbound, std::string> outboundFrom(const Options& options, const base::Logger& log) {
  Outbound out;
  auto prometheus =
      kube::DestinationPolicy::parse(options.allowedPrometheusHosts, "--allowed-prometheus-hosts");
  if (!prometheus.ok()) return base::fail(prometheus.error());
  auto webhook =
      kube::DestinationPolicy::parse(options.allowedWebhookHosts, "--allowed-webhook-hosts");
  if (!webhook.ok()) return base::fail(webhook.error());
  if (!options.notificationWebhookUrl.empty()) {
    // The admin's own receiver is always allowed (run() validated the URL).
    auto url = base::parseHttpUrl(options.notificationWebhookUrl, {.allowQuery = true});
    if (url.ok()) webhook.value().exempt(*url);
  }
  out.rules.prometheus = std::move(prometheus).value();
  out.rules.webhook = std::move(webhook).value();
  for (const auto* policy : {&out.rules.prometheus, &out.rules.webhook}) {
    if (policy->allowsAnyHost()) {
      log.warn(
          "rollouts may send requests to any host that is not loopback or link-local; "
          "restrict them with " +
              policy->flag(),
          {{"flag", policy->flag()}});
    }
  }
  if (!options.prometheusProviders.empty()) {
    auto text = base::readFileBounded(options.prometheusProviders, base::kMaxConfigFileBytes);
    if (!text.ok()) return base::fail("--prometheus-providers: " + text.error());
    auto providers = controllers::analysis::parsePrometheusProviders(*text);
    if (!providers.ok()) {
      return base::fail("--prometheus-providers " + options.prometheusProviders + ": " +
                        providers.error());
    }
    out.providers = std::move(providers).value();
    for (const auto& [name, p] : out.providers) out.rules.providers.insert(name);
  }
  return out;
}

controllers::RolloutControllerOptions rolloutControllerOptions(const Options& options,
                                                               const Outbound& outbound) {
  controllers::RolloutControllerOptions out;
  out.namespaces = options.namespaces;
  out.watchAllDeployments = options.watchAllDeployments;
  out.workers = options.workers;
  out.alertPollPeriod = std::chrono::duration_cast<base::Duration>(options.alertPollPeriod);
  if (!options.notificationWebhookUrl.empty()) {
    out.defaultWebhook = controllers::notify::WebhookTarget{options.notificationWebhookUrl};
  }
  out.outbound = outbound.rules;
  out.providers = outbound.providers;
  out.maxUrgentInFlight = kRollbackInFlightMax;
  out.clusterRollouts = options.clusterRollouts;
  out.clusterResourceNamespace = options.clusterResourceNamespace.empty()
                                     ? envOr("POD_NAMESPACE", "default")
                                     : options.clusterResourceNamespace;
  return out;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto parsed = parseOptions(args);
  if (!parsed.ok()) {
    err << "telemetry-rollout-operator: " << parsed.error().message << "\n";
    return 2;
  }
  const Options& options = *parsed;
  if (options.help) {
    out << usage();
    return 0;
  }
  if (options.version) {
    out << "telemetry-rollout-operator " << kVersion << "\n";
    return 0;
  }
  if (!options.notificationWebhookUrl.empty()) {
    if (auto problem = controllers::notify::webhookUrlProblem(options.notificationWebhookUrl)) {
      err << "telemetry-rollout-operator: invalid --notification-webhook-url \""
          << options.notificationWebhookUrl << "\": " << *problem << "\n";
      return 2;
    }
  }

  base::SystemClock clock;
  base::LogOptions logOptions;
  logOptions.level = *base::parseLogLevel(options.logLevel);
  logOptions.format = *base::parseLogFormat(options.logFormat);
  base::Logger log = base::Logger(clock, err, logOptions).withName("operator");
  // Before any other thread exists, so that every thread inherits the blocked signal mask.
  runtime::ShutdownSignal shutdown(log);
  sizeHttpThreadPool(log);
  std::stop_token stop = shutdown.token();
  // The client stack stops last, after the lease is released: a release refused by a stopped
  // rate limiter would leave the standby waiting a whole lease duration.
  std::stop_source clientStop;
  // Set once the workers have drained, just before the lease is released: a loss of leadership
  // before that (also while draining) ends the process at once.
  std::atomic<bool> releasing{false};

  runtime::Registry registry;
  runtime::StandardMetrics metrics(registry);
  auto client = connect(options, clock, metrics.restClientRequests, clientStop.get_token(), stop);
  if (!client.ok()) {
    log.error("cannot configure the Kubernetes client", {{"error", client.error().toString()}});
    return 1;
  }
  kube::ApiClient& api = *client->api;
  runtime::Gauge& rollbackInFlight =
      registry
          .gauge("telemetry_rollout_rollback_write_concurrency",
                 "The rollback lane's in-flight bound on Deployment writes: it halves on 429 "
                 "and grows while latency holds.")
          .labels({});
  auto urgentClient = connect(options, clock, metrics.restClientRequests, clientStop.get_token(),
                              stop, &rollbackInFlight);
  if (!urgentClient.ok()) {
    log.error("cannot configure the Kubernetes client",
              {{"error", urgentClient.error().toString()}});
    return 1;
  }

  auto outbound = outboundFrom(options, log);
  if (!outbound.ok()) {
    log.error("invalid outbound configuration", {{"error", outbound.error()}});
    return 2;
  }
  const kube::transport::AdaptiveConcurrencyTransport* urgentBound = urgentClient->adaptive;
  controllers::RolloutController rollouts(
      rolloutControllerOptions(options, *outbound), api, *urgentClient->api,
      urgentBound ? std::function<int()>([urgentBound] { return urgentBound->limit(); })
                  : std::function<int()>(),
      controllers::notify::makeHttpWebhookSender(
          outbound->rules.webhook, std::string("telemetry-rollout-operator/") + kVersion),
      clock, log, registry, metrics);
  runtime::HealthChecks health;
  health.addReadinessCheck("informers", [&rollouts] { return rollouts.synced(); });
  // Served only now: a /readyz with no check registered yet would answer ready.
  auto metricsServer = serve(options.metricsBindAddress, &registry, nullptr, log);
  auto healthServer = serve(options.healthProbeBindAddress, nullptr, &health, log);
  if (!metricsServer || !healthServer) return 1;

  // Pushed alerts: only the leader acts on them; a standby answers 503 so that Alertmanager
  // retries (through the Service, possibly on the leader). Polling stays the source of truth.
  std::atomic<bool> leadingNow{false};
  std::unique_ptr<runtime::WebhookServer> alertReceiver;
  if (options.alertReceiverBindAddress != "0") {
    if (options.alertReceiverTokenFile.empty()) {
      log.error("--alert-receiver-bind-address needs --alert-receiver-token-file");
      return 2;
    }
    auto token =
        base::readFileBounded(options.alertReceiverTokenFile, base::kMaxCredentialFileBytes);
    if (!token.ok()) {
      log.error("cannot read --alert-receiver-token-file", {{"error", token.error()}});
      return 2;
    }
    std::string secret = *token;
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    runtime::CounterFamily& received = registry.counter(
        "telemetry_rollout_alert_receiver_requests_total",
        "Requests to the Alertmanager webhook receiver, by result (accepted, unauthorized, "
        "too_large, malformed, method, not_found, unavailable).",
        {"result"});
    base::Logger pushLog = log.withName("alert-receiver");
    auto server = runtime::WebhookServer::start(
        {options.alertReceiverBindAddress, "/alertmanager", secret,
         controllers::analysis::kMaxWebhookBodyBytes},
        [&rollouts, &leadingNow, pushLog](std::string_view body) -> runtime::WebhookAnswer {
          if (!leadingNow.load()) return {503, "not the leader; retry"};
          const controllers::AlertPushAnswer answer = rollouts.onAlertPush(body, pushLog);
          return {answer.code, answer.message};
        },
        received);
    if (!server.ok()) {
      log.error("cannot serve the Alertmanager receiver", {{"error", server.error()}});
      return 1;
    }
    alertReceiver = std::move(server).value();
    log.info("Alertmanager receiver serving", {{"address", options.alertReceiverBindAddress}});
  }

  // The rollback lane's connections stay open while a rollout could roll back, so a rollback's
  // writes pay no handshakes (kube/transport/keep_warm.h).
  std::optional<kube::transport::KeepWarm> keepWarm;
  if (urgentClient->beneathBound != nullptr && urgentClient->adaptive != nullptr) {
    const auto* bound = urgentClient->adaptive;
    kube::transport::KeepWarmOptions warm;
    warm.timeout = urgentClient->api->timeout();
    keepWarm.emplace(
        *urgentClient->beneathBound, warm, [&rollouts] { return rollouts.rollbackPossible(); },
        [bound] { return bound->limit(); }, clock);
  }

  std::optional<runtime::LeaderElector> elector;
  runtime::Gauge& leading = metrics.leaderElectionMasterStatus.labels({options.leaderElectionId});
  auto startControllers = [&] {
    rollouts.start();
    if (keepWarm) keepWarm->start();
    leadingNow = true;
    log.info("controllers started", {{"informers", static_cast<int64_t>(rollouts.informers())},
                                     {"workers", static_cast<int64_t>(options.workers)}});
  };
  if (options.leaderElect) {
    runtime::LeaderElectionConfig config;
    config.ns = options.leaderElectionNamespace.empty() ? envOr("POD_NAMESPACE", "default")
                                                        : options.leaderElectionNamespace;
    config.name = options.leaderElectionId;
    config.identity = leaderIdentity();
    config.leaseDuration = std::chrono::duration_cast<base::Duration>(options.leaseDuration);
    config.renewDeadline = std::chrono::duration_cast<base::Duration>(options.renewDeadline);
    config.retryPeriod = std::chrono::duration_cast<base::Duration>(options.retryPeriod);
    log.info("waiting to lead",
             {{"lease", config.ns + "/" + config.name}, {"identity", config.identity}});
    elector.emplace(api, clock, config,
                    runtime::LeaderCallbacks{[&] {
                                               leading.set(1);
                                               log.info("became leader");
                                               startControllers();
                                             },
                                             [&] {
                                               leading.set(0);
                                               if (releasing.load()) {
                                                 log.info("released leadership");
                                                 return;
                                               }
                                               // As client-go's controllers do: a replica that
                                               // lost its lease exits at once, without draining
                                               // its workers (a reconcile still writing after
                                               // another replica acquired the Lease would be a
                                               // second writer); Kubernetes restarts it.
                                               log.error("lost leadership; exiting");
                                               std::fflush(nullptr);
                                               std::_Exit(1);
                                             }});
    elector->start();
  } else {
    leading.set(1);
    startControllers();
  }

  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  cv.wait(lock, stop, [] { return false; });

  log.info("shutting down");
  leadingNow = false;
  alertReceiver.reset();  // no pushes into a stopping controller
  if (keepWarm) keepWarm->stop();
  rollouts.stop();  // informers first, then the workers drain
  releasing = true;
  if (elector) elector->stop();  // releases the lease so a standby takes over at once
  clientStop.request_stop();
  log.info("stopped");
  return 0;
}

}  // namespace tro::app
