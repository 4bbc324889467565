#pragma once
// Service addresses as the real server's service registry assigns them: a cluster IP from the
// service CIDR (10.96.0.0/12, as kubeadm's default) for ClusterIP, NodePort and LoadBalancer
// Services that do not say "None", node ports from 30000-32767 for NodePort and LoadBalancer
// ports, what a client asks for checked against the ranges and against what other Services
// hold, and on update what the client left out carried over from the stored object (a PUT or an
// apply of a manifest without clusterIP keeps the address). Pure: the caller passes the other
// Services.

#include <vector>

#include "kubesim/common/api_error.h"

namespace kubesim::api {

inline constexpr const char* kServiceCidr = "10.96.0.0/12";

// Fills in spec.clusterIP, spec.clusterIPs and spec.ports[*].nodePort of `next`, a Service being
// created (`old` null) or updated. `others`: every other stored Service. Returns the causes of a
// 422 when the request cannot be honoured (the object is then not to be stored).
std::vector<Cause> assignServiceAddresses(const Json* old, Json& next,
                                          const std::vector<const Json*>& others);

}  // namespace kubesim::api
