// Ad platform connector config and the audiences-<destination>.ndjson state file
// (runtime/connectors/ad_platform.h): what needs no network.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "runtime/connectors/ad_platform.h"
#include "runtime/connectors/deploy_config.h"

namespace {

std::filesystem::path temp_dir() {
  auto dir = std::filesystem::temp_directory_path() / ("seg_ad_platform_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

bool load(const std::string& text, seg::rt::DeployConfig& out, std::string& error) {
  auto path = temp_dir() / "deploy.json";
  std::ofstream(path) << text;
  return seg::rt::load_deploy_config(path.string(), out, error);
}

}  // namespace

TEST_CASE("ad platform configs name the account, or pin one audience") {
  seg::rt::DeployConfig d;
  std::string error;
  CHECK_FALSE(load(R"({"destinations": {"m": {"connector": "meta_audience", "base_url": "http://x"}}})", d, error));
  CHECK(error.find("destinations.m: the meta_audience connector needs \"ad_account_id\" (or \"audience_id\"") !=
        std::string::npos);
  CHECK(load(R"({"destinations": {"m": {"connector": "meta_audience", "base_url": "http://x", "audience_id": "5"}}})", d,
             error));
  CHECK(load(R"({"destinations": {"m": {"connector": "meta_audience", "base_url": "http://x", "ad_account_id": "act_7"}}})",
             d, error));
  CHECK_FALSE(load(R"({"destinations": {"t": {"connector": "tiktok_audience", "base_url": "http://x", "audience_id": "5"}}})",
                   d, error));
  CHECK(error.find("needs \"advertiser_id\"") != std::string::npos);
  CHECK_FALSE(load(R"({"destinations": {"g": {"connector": "google_customer_match", "base_url": "http://x", "customer_id": "1"}}})",
                   d, error));
  CHECK(error.find("needs \"developer_token_env\"") != std::string::npos);
  ::setenv("SEG_UNIT_DEV_TOKEN", "d", 1);
  CHECK_FALSE(load(R"({"destinations": {"g": {"connector": "google_customer_match", "base_url": "http://x", "customer_id": "1",
                      "developer_token_env": "SEG_UNIT_DEV_TOKEN", "audience_id": "9"}}})", d, error));
  CHECK(error.find("g.audience_id: must be a user list resource name") != std::string::npos);
  CHECK_FALSE(load(R"({"destinations": {"g": {"connector": "google_customer_match", "base_url": "http://x", "customer_id": "1",
                      "developer_token_env": "SEG_UNIT_DEV_TOKEN", "max_request_identifiers": 100001}}})", d, error));
  CHECK(error.find("max_request_identifiers: must be an integer from 1 to 100000") != std::string::npos);
  CHECK_FALSE(load(R"({"destinations": {"w": {"connector": "webhook", "url": "http://x", "size_url": "ftp://y"}}})", d, error));
  CHECK(error.find("w.size_url: must be an http:// or https:// URL") != std::string::npos);
  CHECK_FALSE(load(R"({"destinations": {"m": {"connector": "meta_audience", "base_url": "http://x", "ad_account_id": "1",
                      "customer_id": "2"}}})", d, error));
  CHECK(error.find("m.customer_id: not a key of the meta_audience connector") != std::string::npos);
}

TEST_CASE("audience names resolve from the state file, per platform and account, without a call") {
  auto dir = temp_dir();
  std::ofstream(dir / "audiences-m.ndjson")
      << R"({"platform":"meta_audience","account":"7","name":"A_v1","id":"100","created":true})" "\n"
      << R"({"platform":"meta_audience","account":"8","name":"A_v2","id":"200","created":true})" "\n"
      << R"({"platform":"tiktok_audience","account":"7","name":"A_v2","id":"300","created":true})" "\n"
      << "not json\n"
      << R"({"platform":"meta_audience","account":"7","name":"A_v1","id":"101","created":false})" "\n";
  seg::rt::ConnectorConfig cfg;
  cfg.kind = seg::rt::ConnectorKind::Meta;
  cfg.base_url = "http://127.0.0.1:9";  // nothing listens: a call would fail
  cfg.ad_account_id = "act_7";
  cfg.retry.max_attempts = 1;
  cfg.timeout_ms = 200;
  auto meta = seg::rt::AdPlatform::make(cfg, "m", dir.string());
  std::string id;
  seg::rt::ApiResult failure;
  CHECK(meta->resolve("A_v1", false, id, failure));
  CHECK(id == "101");  // the later line wins
  CHECK_FALSE(meta->resolve("A_v2", false, id, failure));  // another account's, another platform's: asked, and no answer
  CHECK(failure.response.status == 0);
  cfg.audience_id = "555";  // pinned: every name
  auto pinned = seg::rt::AdPlatform::make(cfg, "m", dir.string());
  CHECK(pinned->resolve("anything", true, id, failure));
  CHECK(id == "555");
  std::filesystem::remove_all(dir);
}

TEST_CASE("platform key names") {
  using seg::rt::ConnectorKind;
  CHECK(seg::rt::platform_key_name(ConnectorKind::Meta, "email_sha256") == "EMAIL_SHA256");
  CHECK(seg::rt::platform_key_name(ConnectorKind::Google, "phone_sha256") == "hashedPhoneNumber");
  CHECK(seg::rt::platform_key_name(ConnectorKind::TikTok, "external_id") == "EXTERNAL_ID");
  CHECK(seg::rt::key_columns({nlohmann::json{{"phone_sha256", "p"}}, nlohmann::json{{"email_sha256", "e"}}}) ==
        std::vector<std::string>{"email_sha256", "phone_sha256"});
}
