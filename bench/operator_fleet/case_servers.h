#pragma once
// The processes and the client of one case: a fresh kubesim, this program's client session to it
// (the operator's client stack, no rate limit) and the operator. The operator is declared last,
// so it stops first, before the API server it talks to.

#include <memory>

#include "bench/common/api_session.h"
#include "tests/support/kubesim_process.h"
#include "tests/support/operator_process.h"

namespace tro::bench {

struct CaseServers {
  std::unique_ptr<testing::Kubesim> kubesim;
  std::unique_ptr<ApiSession> api;
  std::unique_ptr<testing::OperatorProcess> op;
};

}  // namespace tro::bench
