#include "bench/common/paged_list.h"

namespace tro::bench {

kube::ResourceType podsType() { return {"", "v1", "pods", "Pod", true}; }
kube::ResourceType replicaSetsType() { return {"apps", "v1", "replicasets", "ReplicaSet", true}; }

kube::Result<PagedList> listAllPages(kube::ApiClient& client, const kube::ResourceType& type,
                                     const std::string& labelSelector, int limit,
                                     const std::function<void(const kube::Json&)>& each) {
  PagedList out;
  kube::ListOptions options;
  options.labelSelector = labelSelector;
  options.limit = limit;
  do {
    auto page = client.list(type, "", options);
    if (!page.ok()) return kube::fail(std::move(page).error());
    const kube::Json metadata = page->value("metadata", kube::Json::object());
    if (out.pages++ == 0) out.resourceVersion = metadata.value("resourceVersion", "");
    const kube::Json& items = (*page)["items"];
    if (items.is_array()) {
      out.items += items.size();
      if (each) {
        for (const kube::Json& item : items) each(item);
      }
    }
    options.continueToken = metadata.value("continue", "");
  } while (!options.continueToken.empty());
  return out;
}

kube::Result<PagedList> listAllPagesOrWhole(kube::ApiClient& client, const kube::ResourceType& type,
                                            const std::string& labelSelector, int limit) {
  auto paged = listAllPages(client, type, labelSelector, limit);
  if (paged.ok() || !kube::isGone(paged.error())) return paged;
  kube::ListOptions options;
  options.labelSelector = labelSelector;
  auto whole = client.list(type, "", options);
  if (!whole.ok()) return kube::fail(std::move(whole).error());
  PagedList out;
  out.pages = 1;
  out.resourceVersion = whole->value("metadata", kube::Json::object()).value("resourceVersion", "");
  const kube::Json& items = (*whole)["items"];
  out.items = items.is_array() ? items.size() : std::size_t{0};
  return out;
}

}  // namespace tro::bench
