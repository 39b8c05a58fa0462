#pragma once
// librdkafka clients of `seg serve`, configured from the `kafka` section: the user's
// properties for the client's role (plain ones, and those prefixed `producer.` or
// `consumer.`), then what seg requires on top (transactions, read_committed, …).
#include <librdkafka/rdkafka.h>

#include <string>
#include <utility>
#include <vector>

#include "runtime/serve/kafka_config.h"

namespace seg::rt {

enum class ClientRole { Producer, Consumer };
using Settings = std::vector<std::pair<std::string, std::string>>;

// A configuration, or null with `error` naming the property librdkafka refused.
rd_kafka_conf_t* client_conf(const KafkaConfig& k, ClientRole role, const Settings& required, std::string& error);
// The client (it owns `conf` from here), or null with `error`.
rd_kafka_t* new_client(ClientRole role, rd_kafka_conf_t* conf, std::string& error);

}  // namespace seg::rt
