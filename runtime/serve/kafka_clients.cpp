// librdkafka clients configured from the `kafka` section (kafka_clients.h).
#include "runtime/serve/kafka_clients.h"

namespace seg::rt {

rd_kafka_conf_t* client_conf(const KafkaConfig& k, ClientRole role, const Settings& required, std::string& error) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto set = [&](const std::string& key, const std::string& v) {
    if (rd_kafka_conf_set(conf, key.c_str(), v.c_str(), err, sizeof err) == RD_KAFKA_CONF_OK) return true;
    error = "kafka property " + key + ": " + err;
    return false;
  };
  std::string own = role == ClientRole::Producer ? "producer." : "consumer.";
  bool ok = set("bootstrap.servers", k.brokers);
  for (const auto& [key, v] : k.properties) {
    if (!ok) break;
    bool prefixed = key.rfind("consumer.", 0) == 0 || key.rfind("producer.", 0) == 0;
    if (!prefixed) ok = set(key, v);
    else if (key.rfind(own, 0) == 0) ok = set(key.substr(own.size()), v);
  }
  for (const auto& [key, v] : required) ok = ok && set(key, v);
  if (ok) return conf;
  rd_kafka_conf_destroy(conf);
  return nullptr;
}

rd_kafka_t* new_client(ClientRole role, rd_kafka_conf_t* conf, std::string& error) {
  char err[512];
  bool producer = role == ClientRole::Producer;
  rd_kafka_t* rk = rd_kafka_new(producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!rk) error = std::string("cannot create the Kafka ") + (producer ? "producer" : "consumer") + ": " + err;
  return rk;
}

}  // namespace seg::rt
