// batch/v1 Jobs and CronJobs and policy/v1 PodDisruptionBudgets through ApiServer::handle:
// served in discovery, stored with the real server's defaults (a Job's generated selector and
// template labels), refused with its 422s, and listed with its table columns. Storage only.

#include <gtest/gtest.h>

#include "api_test_util.h"

namespace kubesim::api {
namespace {

using namespace testing;

constexpr const char* kJobs = "/apis/batch/v1/namespaces/default/jobs";
constexpr const char* kCronJobs = "/apis/batch/v1/namespaces/default/cronjobs";
constexpr const char* kBudgets = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
constexpr const char* kTableAccept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

Json podTemplate(const std::string& restartPolicy) {
  Json spec = {{"containers", Json::array({{{"name", "pi"}, {"image", "perl:5.34"}}})}};
  if (!restartPolicy.empty()) spec["restartPolicy"] = restartPolicy;
  return {{"spec", spec}};
}

std::string job(const std::string& name, const std::string& restartPolicy) {
  return Json{{"apiVersion", "batch/v1"},
              {"kind", "Job"},
              {"metadata", {{"name", name}}},
              {"spec", {{"template", podTemplate(restartPolicy)}}}}
      .dump();
}

std::string cronJob(const std::string& name, const Json& schedule) {
  Json spec = {{"jobTemplate", {{"spec", {{"template", podTemplate("OnFailure")}}}}}};
  if (!schedule.is_null()) spec["schedule"] = schedule;
  return Json{{"apiVersion", "batch/v1"},
              {"kind", "CronJob"},
              {"metadata", {{"name", name}}},
              {"spec", spec}}
      .dump();
}

std::string budget(const std::string& name, const Json& spec) {
  return Json{{"apiVersion", "policy/v1"},
              {"kind", "PodDisruptionBudget"},
              {"metadata", {{"name", name}}},
              {"spec", spec}}
      .dump();
}

std::vector<std::string> columnNames(const Json& table) {
  std::vector<std::string> names;
  for (const auto& c : table["columnDefinitions"]) names.push_back(c["name"]);
  return names;
}

class BatchPolicyKindsTest : public ::testing::Test {
 protected:
  Response call(const std::string& method, const std::string& target, const std::string& body = "",
                const std::string& ct = "application/json") {
    return server_.handle(makeRequest(method, target, body, ct));
  }
  Json created(const std::string& collection, const std::string& body) {
    auto r = call("POST", collection, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return bodyOf(r);
  }
  Json table(const std::string& target) {
    auto req = makeRequest("GET", target);
    req.headers["accept"] = kTableAccept;
    auto r = server_.handle(req);
    EXPECT_EQ(r.status, 200) << r.body;
    return bodyOf(r);
  }
  ApiServer server_{testOptions()};
};

TEST_F(BatchPolicyKindsTest, DiscoveryListsTheGroupsAndResources) {
  auto apis = call("GET", "/apis");
  ASSERT_EQ(apis.status, 200);
  Json groupList = bodyOf(apis);
  std::vector<std::string> groups;
  for (auto& g : groupList["groups"]) {
    groups.push_back(g["name"]);
    if (g["name"] == "batch" || g["name"] == "policy") {
      EXPECT_EQ(g["preferredVersion"]["version"], "v1") << g.dump();
    }
  }
  EXPECT_EQ(groups, (std::vector<std::string>{
                        "apps", "authorization.k8s.io", "autoscaling", "batch", "networking.k8s.io",
                        "policy", "rbac.authorization.k8s.io", "admissionregistration.k8s.io",
                        "apiextensions.k8s.io", "coordination.k8s.io"}));

  auto batch = call("GET", "/apis/batch/v1");
  ASSERT_EQ(batch.status, 200) << batch.body;
  Json batchList = bodyOf(batch);
  EXPECT_EQ(batchList["groupVersion"], "batch/v1");
  std::vector<std::string> names;
  for (const auto& r : batchList["resources"]) names.push_back(r["name"]);
  EXPECT_EQ(names,
            (std::vector<std::string>{"cronjobs", "cronjobs/status", "jobs", "jobs/status"}));
  EXPECT_EQ(batchList["resources"][0]["shortNames"], Json::array({"cj"}));
  EXPECT_EQ(batchList["resources"][0]["categories"], Json::array({"all"}));
  EXPECT_EQ(batchList["resources"][2]["kind"], "Job");
  EXPECT_EQ(batchList["resources"][2]["categories"], Json::array({"all"}));
  EXPECT_FALSE(batchList["resources"][2].contains("shortNames"));

  auto policy = call("GET", "/apis/policy/v1");
  ASSERT_EQ(policy.status, 200) << policy.body;
  Json policyList = bodyOf(policy);
  names.clear();
  for (const auto& r : policyList["resources"]) names.push_back(r["name"]);
  EXPECT_EQ(names,
            (std::vector<std::string>{"poddisruptionbudgets", "poddisruptionbudgets/status"}));
  EXPECT_EQ(policyList["resources"][0]["shortNames"], Json::array({"pdb"}));
  EXPECT_EQ(policyList["resources"][0]["namespaced"], true);
  EXPECT_FALSE(policyList["resources"][0].contains("categories"));
}

TEST_F(BatchPolicyKindsTest, AJobGetsItsDefaultsAndAGeneratedSelector) {
  Json j = created(kJobs, job("pi", "Never"));
  Json uid = j["metadata"]["uid"];
  ASSERT_TRUE(uid.is_string());
  Json& spec = j["spec"];
  EXPECT_EQ(spec["completions"], 1);
  EXPECT_EQ(spec["parallelism"], 1);
  EXPECT_EQ(spec["backoffLimit"], 6);
  EXPECT_EQ(spec["completionMode"], "NonIndexed");
  EXPECT_EQ(spec["suspend"], false);
  EXPECT_EQ(spec["podReplacementPolicy"], "TerminatingOrFailed");
  EXPECT_EQ(spec["manualSelector"], false);
  EXPECT_EQ(spec["selector"],
            (Json{{"matchLabels", {{"batch.kubernetes.io/controller-uid", uid}}}}));
  Json labels = {{"batch.kubernetes.io/controller-uid", uid},
                 {"batch.kubernetes.io/job-name", "pi"},
                 {"controller-uid", uid},
                 {"job-name", "pi"}};
  EXPECT_EQ(spec["template"]["metadata"],
            (Json{{"creationTimestamp", nullptr}, {"labels", labels}}));
  // The real server answers with the Job decoded back from storage: SetDefaults_Job copies the
  // template's labels to a Job that has none.
  EXPECT_EQ(j["metadata"]["labels"], labels);
  EXPECT_EQ(j["metadata"]["generation"], 1);
  // The pod template gets the same defaults as a Deployment's.
  Json& pod = spec["template"]["spec"];
  EXPECT_EQ(pod["restartPolicy"], "Never");
  EXPECT_EQ(pod["dnsPolicy"], "ClusterFirst");
  EXPECT_EQ(pod["schedulerName"], "default-scheduler");
  EXPECT_EQ(pod["terminationGracePeriodSeconds"], 30);
  EXPECT_EQ(pod["containers"][0]["terminationMessagePath"], "/dev/termination-log");
  EXPECT_EQ(pod["containers"][0]["imagePullPolicy"], "IfNotPresent");

  auto got = call("GET", std::string(kJobs) + "/pi");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(bodyOf(got)["spec"], spec);
}

TEST_F(BatchPolicyKindsTest, AnUpdateKeepsTheGeneratedSelector) {
  Json j = created(kJobs, job("pi", "Never"));
  auto r = call("PATCH", std::string(kJobs) + "/pi", R"({"spec":{"suspend":true}})",
                "application/merge-patch+json");
  ASSERT_EQ(r.status, 200) << r.body;
  Json patched = bodyOf(r);
  EXPECT_EQ(patched["spec"]["suspend"], true);
  EXPECT_EQ(patched["spec"]["selector"], j["spec"]["selector"]);
  EXPECT_EQ(patched["spec"]["template"], j["spec"]["template"]);
  EXPECT_EQ(patched["metadata"]["generation"], 2);
}

TEST_F(BatchPolicyKindsTest, AManualSelectorIsNotGenerated) {
  Json body = Json::parse(job("manual", "OnFailure"));
  body["spec"]["manualSelector"] = true;
  body["spec"]["selector"] = {{"matchLabels", {{"app", "manual"}}}};
  body["spec"]["template"]["metadata"] = {{"labels", {{"app", "manual"}}}};
  Json j = created(kJobs, body.dump());
  EXPECT_EQ(j["spec"]["selector"], (Json{{"matchLabels", {{"app", "manual"}}}}));
  EXPECT_EQ(j["spec"]["template"]["metadata"]["labels"], (Json{{"app", "manual"}}));
  EXPECT_EQ(j["metadata"]["labels"], (Json{{"app", "manual"}}));
}

TEST_F(BatchPolicyKindsTest, AJobThatRestartsAlwaysIsRefusedAndNotStored) {
  for (const char* policy : {"Always", ""}) {  // an empty restartPolicy is defaulted to Always
    auto r = call("POST", kJobs, job("pi", policy));
    ASSERT_EQ(r.status, 422) << policy << ": " << r.body;
    Json s = bodyOf(r);
    EXPECT_EQ(s["reason"], "Invalid");
    EXPECT_EQ(s["message"],
              "Job.batch \"pi\" is invalid: spec.template.spec.restartPolicy: Unsupported value: "
              "\"Always\": supported values: \"OnFailure\", \"Never\"");
    EXPECT_EQ(s["details"], Json::parse(R"({"name": "pi", "group": "batch", "kind": "Job",
        "causes": [{"reason": "FieldValueNotSupported",
          "field": "spec.template.spec.restartPolicy",
          "message": "Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""}]})"));
  }
  EXPECT_EQ(call("GET", std::string(kJobs) + "/pi").status, 404);
}

TEST_F(BatchPolicyKindsTest, AJobTemplateGetsThePodSpecRules) {
  Json body = Json::parse(job("pi", "Never"));
  body["spec"]["template"]["spec"]["containers"][0].erase("image");
  auto r = call("POST", kJobs, body.dump());
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(bodyOf(r)["details"]["causes"][0]["field"], "spec.template.spec.containers[0].image");
}

TEST_F(BatchPolicyKindsTest, ACronJobGetsItsDefaultsAndPodDefaultsInItsJobTemplate) {
  Json c = created(kCronJobs, cronJob("nightly", "0 3 * * *"));
  Json& spec = c["spec"];
  EXPECT_EQ(spec["schedule"], "0 3 * * *");
  EXPECT_EQ(spec["concurrencyPolicy"], "Allow");
  EXPECT_EQ(spec["suspend"], false);
  EXPECT_EQ(spec["successfulJobsHistoryLimit"], 3);
  EXPECT_EQ(spec["failedJobsHistoryLimit"], 1);
  Json& jobTemplate = spec["jobTemplate"];
  EXPECT_EQ(jobTemplate["metadata"], (Json{{"creationTimestamp", nullptr}}));
  // A job template is not a Job: no Job defaults, no selector.
  EXPECT_FALSE(jobTemplate["spec"].contains("completions"));
  EXPECT_FALSE(jobTemplate["spec"].contains("selector"));
  Json& pod = jobTemplate["spec"]["template"]["spec"];
  EXPECT_EQ(pod["restartPolicy"], "OnFailure");
  EXPECT_EQ(pod["dnsPolicy"], "ClusterFirst");
  EXPECT_EQ(pod["schedulerName"], "default-scheduler");
  EXPECT_EQ(pod["terminationGracePeriodSeconds"], 30);
  EXPECT_EQ(pod["containers"][0]["terminationMessagePolicy"], "File");
}

TEST_F(BatchPolicyKindsTest, ACronJobWithoutScheduleIsRefused) {
  for (const Json& schedule : {Json(), Json("")}) {
    auto r = call("POST", kCronJobs, cronJob("nightly", schedule));
    ASSERT_EQ(r.status, 422) << schedule.dump() << ": " << r.body;
    Json s = bodyOf(r);
    EXPECT_EQ(s["message"], "CronJob.batch \"nightly\" is invalid: spec.schedule: Required value");
    EXPECT_EQ(s["details"]["causes"],
              Json::parse(R"([{"reason": "FieldValueRequired", "field": "spec.schedule",
                "message": "Required value"}])"));
  }
  EXPECT_EQ(call("GET", std::string(kCronJobs) + "/nightly").status, 404);
}

TEST_F(BatchPolicyKindsTest, ABudgetGetsItsZeroStatus) {
  Json b = created(kBudgets, budget("web", {{"minAvailable", 1},
                                            {"selector", {{"matchLabels", {{"app", "web"}}}}}}));
  EXPECT_EQ(b["status"], Json::parse(R"({"currentHealthy": 0, "desiredHealthy": 0,
      "disruptionsAllowed": 0, "expectedPods": 0})"));
  EXPECT_EQ(b["spec"]["minAvailable"], 1);
}

TEST_F(BatchPolicyKindsTest, ABudgetWithBothMinAndMaxIsRefused) {
  auto r = call("POST", kBudgets, budget("web", {{"minAvailable", 1}, {"maxUnavailable", "50%"}}));
  ASSERT_EQ(r.status, 422) << r.body;
  Json s = bodyOf(r);
  ASSERT_EQ(s["details"]["causes"].size(), 1u);
  Json& cause = s["details"]["causes"][0];
  EXPECT_EQ(cause["reason"], "FieldValueInvalid");
  EXPECT_EQ(cause["field"], "spec");
  const std::string message = cause["message"].get<std::string>();
  // The real value is Go's %#v of the internal spec, with heap addresses kubesim cannot know.
  EXPECT_TRUE(message.starts_with(
      "Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0x"))
      << message;
  EXPECT_NE(message.find(", Selector:(*v1.LabelSelector)(nil), MaxUnavailable:"
                         "(*intstr.IntOrString)(0x"),
            std::string::npos)
      << message;
  EXPECT_TRUE(message.ends_with(
      ", UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: "
      "minAvailable and maxUnavailable cannot be both set"))
      << message;
  EXPECT_EQ(s["message"].get<std::string>(),
            "PodDisruptionBudget.policy \"web\" is invalid: spec: " + message);
  EXPECT_EQ(call("GET", std::string(kBudgets) + "/web").status, 404);
}

TEST_F(BatchPolicyKindsTest, TablesHaveTheRealColumns) {
  Json j = created(kJobs, job("pi", "Never"));
  Json jobs = table(kJobs);
  EXPECT_EQ(columnNames(jobs),
            (std::vector<std::string>{"Name", "Status", "Completions", "Duration", "Age",
                                      "Containers", "Images", "Selector"}));
  EXPECT_EQ(jobs["columnDefinitions"][5]["priority"], 1);
  ASSERT_EQ(jobs["rows"].size(), 1u);
  const std::string selector =
      "batch.kubernetes.io/controller-uid=" + j["metadata"]["uid"].get<std::string>();
  EXPECT_EQ(jobs["rows"][0]["cells"],
            (Json{"pi", "Running", "0/1", "", "0s", "pi", "perl:5.34", selector}));

  created(kCronJobs, cronJob("nightly", "0 3 * * *"));
  Json cronJobs = table(kCronJobs);
  EXPECT_EQ(columnNames(cronJobs),
            (std::vector<std::string>{"Name", "Schedule", "Timezone", "Suspend", "Active",
                                      "Last Schedule", "Age", "Containers", "Images", "Selector"}));
  ASSERT_EQ(cronJobs["rows"].size(), 1u);
  EXPECT_EQ(cronJobs["rows"][0]["cells"], (Json{"nightly", "0 3 * * *", "<none>", "False", 0,
                                                "<none>", "0s", "pi", "perl:5.34", "<none>"}));

  created(kBudgets, budget("web", {{"maxUnavailable", "25%"}}));
  Json budgets = table(kBudgets);
  EXPECT_EQ(columnNames(budgets),
            (std::vector<std::string>{"Name", "Min Available", "Max Unavailable",
                                      "Allowed Disruptions", "Age"}));
  ASSERT_EQ(budgets["rows"].size(), 1u);
  EXPECT_EQ(budgets["rows"][0]["cells"], (Json{"web", "N/A", "25%", 0, "0s"}));

  // A single object renders the same row.
  EXPECT_EQ(table(std::string(kJobs) + "/pi")["rows"][0]["cells"][1], "Running");
}

}  // namespace
}  // namespace kubesim::api
