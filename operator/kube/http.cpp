#include "operator/kube/http.h"

#include "operator/kube/query.h"

namespace tro::kube {

std::string HttpRequest::describe() const { return method + " " + requestTarget(*this); }

}  // namespace tro::kube
