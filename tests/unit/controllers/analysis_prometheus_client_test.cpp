#include <gtest/gtest.h>

#include <cmath>

#include "controllers/analysis/prometheus_client.h"
#include "controllers/analysis/prometheus_parse.h"
#include "operator/base/rfc3339.h"
#include "tests/unit/kube/fake_transport.h"

namespace tro::controllers::analysis {
namespace {

using namespace std::chrono_literals;
using Kind = PrometheusError::Kind;

kube::HttpResponse response(int status, std::string body) {
  kube::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

// Shapes as Prometheus 2.x answers (documentation examples, values adjusted).
constexpr const char* kAlerts = R"({"status":"success","data":{"alerts":[
  {"labels":{"alertname":"HighErrorRate","namespace":"shop","deployment":"web","severity":"page"},
   "annotations":{"summary":"5xx above 2%"},"state":"firing",
   "activeAt":"2026-11-21T06:00:00.123456789Z","value":"4.2e-02"},
  {"labels":{"alertname":"TelemetryPipelineStall","namespace":"shop"},"annotations":{},
   "state":"pending","activeAt":"2026-11-21T08:10:00+02:00","value":"0e+00"}]}})";

TEST(AnalysisPrometheusClientTest, ParsesAlerts) {
  auto alerts = parseAlertsResponse(response(200, kAlerts));
  ASSERT_TRUE(alerts.ok()) << alerts.error().toString();
  ASSERT_EQ(alerts->size(), 2u);
  const Alert& a = (*alerts)[0];
  EXPECT_EQ(a.name, "HighErrorRate");
  EXPECT_EQ(a.state, "firing");
  EXPECT_EQ(a.labels.at("deployment"), "web");
  EXPECT_EQ(a.value, std::optional<double>(0.042));
  auto expected = base::parseRfc3339("2026-11-21T06:00:00Z");
  ASSERT_TRUE(expected && a.activeAt);
  EXPECT_EQ(*a.activeAt - *expected, 123456789ns);
  EXPECT_EQ((*alerts)[1].state, "pending");
  EXPECT_EQ((*alerts)[1].activeAt, base::parseRfc3339("2026-11-21T06:10:00Z"));  // offset applied
}

TEST(AnalysisPrometheusClientTest, ParsesSampleValues) {
  struct Case {
    std::string in;
    std::optional<double> want;  // nullopt: rejected
    bool nan = false;
  };
  const double inf = std::numeric_limits<double>::infinity();
  const Case cases[] = {{"1", 1.0},
                        {"0.5", 0.5},
                        {"1e-3", 0.001},
                        {"+Inf", inf},
                        {"-Inf", -inf},
                        {"NaN", 0, true},
                        {"-2.5", -2.5},
                        {"", std::nullopt},
                        {"abc", std::nullopt},
                        {"1.5x", std::nullopt},
                        {"nan", std::nullopt},
                        {"inf", std::nullopt}};
  for (const auto& c : cases) {
    auto got = parseSampleValue(c.in);
    if (c.nan) {
      ASSERT_TRUE(got) << c.in;
      EXPECT_TRUE(std::isnan(*got)) << c.in;
    } else {
      EXPECT_EQ(got, c.want) << c.in;
    }
  }
}

TEST(AnalysisPrometheusClientTest, ParsesQueryResultShapes) {
  auto vector = parseQueryResponse(response(200, R"({"status":"success","data":{
    "resultType":"vector","result":[
      {"metric":{"deployment":"web"},"value":[1763704800.123,"0.25"]},
      {"metric":{"deployment":"api"},"value":[1763704800.123,"NaN"]},
      {"metric":{},"value":[1763704800.123,"+Inf"]}]}})"));
  ASSERT_TRUE(vector.ok()) << vector.error().toString();
  EXPECT_EQ(vector->kind, QueryResult::Kind::Vector);
  ASSERT_EQ(vector->samples.size(), 3u);
  EXPECT_EQ(vector->samples[0].labels.at("deployment"), "web");
  EXPECT_EQ(vector->samples[0].value, 0.25);
  EXPECT_TRUE(std::isnan(vector->samples[1].value));
  EXPECT_TRUE(std::isinf(vector->samples[2].value));

  auto scalar = parseQueryResponse(response(
      200, R"({"status":"success","data":{"resultType":"scalar","result":[1763704800,"-Inf"]}})"));
  ASSERT_TRUE(scalar.ok());
  EXPECT_EQ(scalar->kind, QueryResult::Kind::Scalar);
  ASSERT_EQ(scalar->samples.size(), 1u);
  EXPECT_TRUE(scalar->samples[0].labels.empty());
  EXPECT_EQ(scalar->samples[0].value, -std::numeric_limits<double>::infinity());

  auto empty = parseQueryResponse(
      response(200, R"({"status":"success","data":{"resultType":"vector","result":[]}})"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->samples.empty());
}

TEST(AnalysisPrometheusClientTest, ClassifiesBadAnswers) {
  struct Case {
    std::string name;
    int status;
    std::string body;
    Kind kind;
    std::string errorType;
    std::string inMessage;
  };
  const Case cases[] = {
      {"prometheus bad_data", 400,
       R"({"status":"error","errorType":"bad_data","error":"1:5: parse error: unexpected \"}\""})",
       Kind::Prometheus, "bad_data", "parse error"},
      {"prometheus timeout", 503,
       R"({"status":"error","errorType":"timeout","error":"query timed out in query execution"})",
       Kind::Prometheus, "timeout", "timed out"},
      {"proxy html", 502, "<html>Bad Gateway</html>", Kind::Http, "", "HTTP 502: \"<html>"},
      {"not found", 404, "404 page not found", Kind::Http, "", "404 page not found"},
      {"not json", 200, "hello", Kind::Decode, "", "not valid JSON"},
      {"no data", 200, R"({"status":"success"})", Kind::Decode, "", "no \"data\""},
      {"matrix", 200, R"({"status":"success","data":{"resultType":"matrix","result":[]}})",
       Kind::Decode, "", "resultType \"matrix\""},
      {"bad value", 200,
       R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,2]}]}})",
       Kind::Decode, "", "malformed vector sample"},
      {"wrong status type", 200, R"({"status":1,"data":{}})", Kind::Decode, "",
       "status\":\"success"},
  };
  for (const auto& c : cases) {
    auto got = parseQueryResponse(response(c.status, c.body));
    ASSERT_FALSE(got.ok()) << c.name;
    EXPECT_EQ(got.error().kind, c.kind) << c.name;
    EXPECT_EQ(got.error().errorType, c.errorType) << c.name;
    EXPECT_NE(got.error().message.find(c.inMessage), std::string::npos)
        << c.name << ": " << got.error().message;
  }
  auto alerts = parseAlertsResponse(response(200, R"({"status":"success","data":{}})"));
  ASSERT_FALSE(alerts.ok());
  EXPECT_EQ(alerts.error().kind, Kind::Decode);
}

TEST(AnalysisPrometheusClientTest, BuildsRequests) {
  auto t = base::parseRfc3339("2026-11-21T06:00:00.250Z");
  ASSERT_TRUE(t);
  kube::HttpRequest q = queryRequest("sum(up{a=\"b\"})", *t, 10s);
  EXPECT_EQ(q.method, "GET");
  EXPECT_EQ(q.path, "/api/v1/query");
  EXPECT_EQ(q.query,
            (std::vector<std::pair<std::string, std::string>>{
                {"query", "sum(up{a=\"b\"})"}, {"time", "1795240800.250"}, {"timeout", "10s"}}));
  EXPECT_EQ(queryRequest("up", std::nullopt, 1500ms).query.size(), 2u);
  kube::HttpRequest a = alertsRequest();
  EXPECT_EQ(a.method, "GET");
  EXPECT_EQ(a.path, "/api/v1/alerts");
  EXPECT_TRUE(a.query.empty());
}

TEST(AnalysisPrometheusClientTest, SendsThroughTransportWithTimeout) {
  auto owned = std::make_unique<kube::testing::FakeTransport>();
  kube::testing::FakeTransport& fake = *owned;
  PrometheusClient client(std::move(owned), 3s);
  fake.respond(200, kAlerts);
  fake.respond(200, R"({"status":"success","data":{"resultType":"scalar","result":[1,"7"]}})");
  auto alerts = client.alerts();
  ASSERT_TRUE(alerts.ok());
  EXPECT_EQ(alerts->size(), 2u);
  auto value = client.query("vector(7)", std::nullopt);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->samples.at(0).value, 7);
  ASSERT_EQ(fake.requests.size(), 2u);
  EXPECT_EQ(fake.requests[0], alertsRequest());
  EXPECT_EQ(fake.requests[1], queryRequest("vector(7)", std::nullopt, 3s));
  EXPECT_EQ(fake.timeouts, (std::vector<std::chrono::milliseconds>{3s, 3s}));
}

TEST(AnalysisPrometheusClientTest, ClassifiesTransportFailures) {
  struct Case {
    kube::ErrorKind in;
    Kind want;
  };
  const Case cases[] = {{kube::ErrorKind::Transport, Kind::Unreachable},
                        {kube::ErrorKind::Timeout, Kind::Timeout},
                        {kube::ErrorKind::Config, Kind::Config},
                        {kube::ErrorKind::Cancelled, Kind::Unreachable}};
  for (const auto& c : cases) {
    auto owned = std::make_unique<kube::testing::FakeTransport>();
    kube::Error e;
    e.kind = c.in;
    e.message = "GET http://prometheus:9090/api/v1/query: connection refused";
    owned->failWith(e);
    PrometheusClient client(std::move(owned), 1s);
    auto got = client.query("up", std::nullopt);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().kind, c.want);
    EXPECT_NE(got.error().toString().find("connection refused"), std::string::npos);
  }
}

TEST(AnalysisPrometheusClientTest, ErrorsNameTheQuery) {
  auto owned = std::make_unique<kube::testing::FakeTransport>();
  owned->respond(422, R"({"status":"error","errorType":"execution","error":"many-to-many"})");
  PrometheusClient client(std::move(owned), 1s);
  auto got = client.query("a / b", std::nullopt);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().toString(),
            "prometheus error execution (422): query \"a / b\": \"many-to-many\"");
}

}  // namespace
}  // namespace tro::controllers::analysis
