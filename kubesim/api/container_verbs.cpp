// The pod subresources that need a container runtime: log, exec, attach and portforward. kubesim
// simulates pods and runs no containers, so for a pod that exists each is a 400 BadRequest
// saying so (as a real server answers `kubectl logs` for a container that has not started),
// never a silent 404; a pod that does not exist is the usual 404.

#include "kubesim/api/errors.h"
#include "kubesim/api/server_impl.h"

namespace kubesim::api {

bool isContainerSubresource(const std::string& subresource) {
  return subresource == "log" || subresource == "exec" || subresource == "attach" ||
         subresource == "portforward";
}

Result<Response> ApiServer::Impl::containerSubresource(const Target& t) {
  const std::string& sub = t.route.subresource;
  const bool get = t.request->method == "GET";
  if (sub == "log" ? !get : !(get || t.request->method == "POST")) return fail(methodNotAllowed());
  if (store_.get(t.groupResource, t.key()) == nullptr) {
    return fail(notFound("pods", "", t.route.name));
  }
  const std::string what = sub == "log"           ? "has no logs"
                           : sub == "portforward" ? "has no ports to forward to"
                                                  : "has no process to " + sub + " to";
  return fail(badRequest("pod \"" + t.route.name + "\" " + what +
                         ": kubesim simulates pods and runs no containers"));
}

}  // namespace kubesim::api
