#pragma once
// The physical-limit reference of the rollback benchmark (issue 14): a plain client that sends,
// for every Deployment, the one strategic-merge PATCH `kubectl set env` sends, from a fixed pool
// of threads over kept-alive connections, with no rate limit, no retries and no cache. Nothing
// that writes Deployments one PATCH each can be much faster on the same server, so the
// operator's write path is judged against it.

#include <functional>
#include <string>
#include <vector>

#include "operator/kube/api_client.h"

namespace tro::bench {

// As many concurrent writes as the operator's executor allows by default, and as the plain
// client of the measurements on a real kube-apiserver used.
inline constexpr int kPlainClientThreads = 16;

// The body `kubectl set env deployment/<name> <var>=<value>` sends for a Deployment whose only
// container is `container` and whose only env var is already `var` (the benchmark's workloads):
// $setElementOrder for both lists, keys in the order kubectl's JSON has them (sorted). Pure.
std::string setEnvPatch(const std::string& container, const std::string& var,
                        const std::string& value);

// PATCHes `body` (strategic merge, fieldManager "kubectl-set" as kubectl sends it) onto
// Deployment `ns`/`name`; "" on success, else the error.
std::string patchDeployment(kube::ApiClient& client, const std::string& ns, const std::string& name,
                            const std::string& body);

// Calls `request(name)` once for every name, from min(threads, names.size()) std::jthreads that
// take the next name as they finish one; returns after joining them all. The first failure
// ("<name>: <error>"), or "" when every call returned "".
std::string forEachParallel(const std::vector<std::string>& names, int threads,
                            const std::function<std::string(const std::string&)>& request);

}  // namespace tro::bench
