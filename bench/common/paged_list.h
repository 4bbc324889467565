#pragma once
// A LIST over all namespaces in pages of `limit` items, following metadata.continue as kubectl
// and informers do.

#include <cstddef>
#include <functional>
#include <string>

#include "operator/kube/api_client.h"

namespace tro::bench {

kube::ResourceType podsType();
kube::ResourceType replicaSetsType();

struct PagedList {
  std::string resourceVersion;  // of the first page: the snapshot the pages continue
  std::size_t items = 0;
  int pages = 0;
};

// Calls `each` (when given) for every item, page by page. Error: the first page that failed.
kube::Result<PagedList> listAllPages(kube::ApiClient& client, const kube::ResourceType& type,
                                     const std::string& labelSelector, int limit,
                                     const std::function<void(const kube::Json&)>& each = {});
// As listAllPages (without `each`), but when a continue token expired (410: kubesim's change
// history moved past the list's snapshot while paging) one unpaged LIST instead, as client-go's
// pager does.
kube::Result<PagedList> listAllPagesOrWhole(kube::ApiClient& client, const kube::ResourceType& type,
                                            const std::string& labelSelector, int limit);

}  // namespace tro::bench
