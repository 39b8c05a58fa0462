// Reads the `kafka` section of a serve config (kafka_config.h).
#include "runtime/serve/kafka_config.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace seg::rt {

bool load_kafka_config(const std::string& path, KafkaConfig& out, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  auto fail = [&](const std::string& where, const std::string& what) {
    error = path + ": " + where + ": " + what;
    return false;
  };
  if (j.is_discarded() || !j.is_object()) return fail("(file)", "not a JSON object");
  if (!j.contains("kafka") || !j["kafka"].is_object()) return fail("kafka", "missing: seg serve needs a `kafka` object");
  const nlohmann::json& k = j["kafka"];
  auto text = [&](const char* key, std::string& to, bool required) {
    if (!k.contains(key)) return !required || fail(std::string("kafka.") + key, "missing");
    if (!k[key].is_string() || k[key].get<std::string>().empty())
      return fail(std::string("kafka.") + key, "must be a non-empty string");
    to = k[key].get<std::string>();
    return true;
  };
  for (const auto& [key, v] : k.items()) {
    static const char* kKnown[] = {"brokers", "group", "topics", "ops_topic_prefix", "changelog_topic",
                                   "dead_letter_topic", "static_membership", "commit_interval_ms",
                                   "max_cycle_records", "properties"};
    bool known = false;
    for (const char* n : kKnown) known = known || key == n;
    if (!known)
      return fail("kafka." + key, "unknown key (expected brokers, group, topics, ops_topic_prefix, changelog_topic, "
                                  "dead_letter_topic, static_membership, commit_interval_ms, max_cycle_records, "
                                  "properties)");
  }
  if (!text("brokers", out.brokers, true) || !text("group", out.group, true) ||
      !text("ops_topic_prefix", out.ops_prefix, false) || !text("changelog_topic", out.changelog, false) ||
      !text("dead_letter_topic", out.dead_letter, false))
    return false;
  if (!k.contains("topics") || !k["topics"].is_array() || k["topics"].empty())
    return fail("kafka.topics", "must be a non-empty array of topic names");
  for (const auto& t : k["topics"]) {
    if (!t.is_string() || t.get<std::string>().empty()) return fail("kafka.topics", "every topic must be a non-empty string");
    out.topics.push_back(t.get<std::string>());
  }
  for (auto [key, to] : {std::pair<const char*, bool*>{"static_membership", &out.static_membership}}) {
    if (!k.contains(key)) continue;
    if (!k[key].is_boolean()) return fail(std::string("kafka.") + key, "must be true or false");
    *to = k[key].get<bool>();
  }
  auto number = [&](const char* key, int& to, int lo, int hi) {
    if (!k.contains(key)) return true;
    if (!k[key].is_number_integer() || k[key].get<int64_t>() < lo || k[key].get<int64_t>() > hi)
      return fail(std::string("kafka.") + key, "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
    to = k[key].get<int>();
    return true;
  };
  if (!number("commit_interval_ms", out.commit_interval_ms, 1, 60000) ||
      !number("max_cycle_records", out.max_cycle_records, 1, 10000000))
    return false;
  if (k.contains("properties")) {
    if (!k["properties"].is_object()) return fail("kafka.properties", "must be an object of librdkafka property: value");
    for (const auto& [p, v] : k["properties"].items()) {
      if (v.is_string()) out.properties[p] = v.get<std::string>();
      else if (v.is_number() || v.is_boolean()) out.properties[p] = v.dump();
      else return fail("kafka.properties." + p, "must be a string, number or boolean");
    }
  }
  return true;
}

}  // namespace seg::rt
