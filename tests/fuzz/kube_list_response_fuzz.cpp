// LIST answers from the API server: kube::decodeListResponse, which hands the objects of a page's
// `items` to the informer's cache one by one as they are parsed (a page never exists as one
// tree). Input: the body of a 200 answer.
// Invariants, against decodeResponse of the same body (the whole page as one tree): both succeed
// or both fail; every object handed over is an object; the page returned equals the whole page
// in everything but `items`; and when the whole page's `items` is an array, the objects handed
// over are its objects in order and the returned `items` holds the rest (a body with two
// top-level `items` keys keeps only the last in the whole tree, so that case checks no order).

#include <string>
#include <vector>

#include "operator/kube/decode.h"
#include "tests/fuzz/fuzz_util.h"

namespace {

using tro::fuzz::require;
using tro::kube::Json;

bool hasTwoItemsKeys(const std::string& body) {
  const size_t first = body.find("\"items\"");
  return first != std::string::npos && body.find("\"items\"", first + 1) != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > tro::fuzz::kMaxInput) return 0;
  tro::kube::HttpResponse response;
  response.status = 200;
  response.body = std::string(tro::fuzz::asText(data, size));
  std::vector<Json> handed;
  const auto page =
      tro::kube::decodeListResponse(response, [&](Json&& item) { handed.push_back(item); });
  const auto whole = tro::kube::decodeResponse(response);
  require(page.ok() == whole.ok());
  if (!page.ok()) return 0;
  for (const Json& item : handed) require(item.is_object());
  Json rest = *whole;
  Json returned = *page;
  if (rest.is_object()) rest.erase("items");
  if (returned.is_object()) returned.erase("items");
  require(rest == returned);
  if (!whole->is_object() || hasTwoItemsKeys(response.body)) return 0;
  const auto items = whole->find("items");
  if (items == whole->end() || !items->is_array()) {
    require(handed.empty());
    return 0;
  }
  std::vector<Json> objects;
  Json others = Json::array();
  for (const Json& item : *items)
    (item.is_object() ? objects.push_back(item) : others.push_back(item));
  require(handed == objects);
  require(page->at("items") == others);
  return 0;
}
