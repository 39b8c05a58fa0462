// A test driver for the postgres connector (tests/connectors/postgres.sh), for what
// `seg run` cannot reach yet: op lines written by hand (with `labels`) sent through the
// same Sender and connector `seg run --config` uses, and the size read for drift.
//
//   seg_pg_tool feed DEPLOY.json DESTINATION OUT_DIR < ops.ndjson   (exit 3 when an op failed)
//   seg_pg_tool size DEPLOY.json DESTINATION [SEGMENT]              (prints the count)
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "runtime/connectors/postgres_size.h"
#include "runtime/connectors/sender.h"

int main(int argc, char** argv) {
  using namespace seg::rt;
  std::string verb = argc > 1 ? argv[1] : "";
  if (argc < 4 || (verb != "feed" && verb != "size") || (verb == "feed" && argc != 5)) {
    std::fprintf(stderr,
                 "usage: seg_pg_tool feed DEPLOY DEST OUT_DIR < ops | seg_pg_tool size DEPLOY DEST "
                 "[SEGMENT]\n");
    return 2;
  }
  DeployConfig deploy;
  std::string error;
  if (!load_deploy_config(argv[2], deploy, error)) {
    std::fprintf(stderr, "error: %s\n", error.c_str());
    return 2;
  }
  auto it = deploy.destinations.find(argv[3]);
  if (it == deploy.destinations.end() || it->second.kind != ConnectorKind::Postgres) {
    std::fprintf(stderr, "error: %s has no postgres destination %s\n", argv[2], argv[3]);
    return 2;
  }
  if (verb == "size") {
    int64_t n = 0;
    if (!read_postgres_size(it->second, argv[3], argc > 4 ? argv[4] : "", n, error)) {
      std::fprintf(stderr, "error: %s\n", error.c_str());
      return 1;
    }
    std::printf("%lld\n", static_cast<long long>(n));
    return 0;
  }
  DeliveryStats s;
  std::error_code ec;
  std::filesystem::create_directories(argv[4], ec);  // seg run makes its --out; so does this
  {
    Sender sender(argv[3], it->second, argv[4], false, false);
    for (std::string line; std::getline(std::cin, line);)
      if (!line.empty()) sender.add(line);
    sender.flush();
    s = sender.stats();
  }
  std::printf("{\"queued\": %lld, \"acknowledged\": %lld, \"failed\": %lld, \"retried\": %lld}\n",
              static_cast<long long>(s.queued), static_cast<long long>(s.acknowledged),
              static_cast<long long>(s.failed), static_cast<long long>(s.retried));
  return s.failed ? 3 : 0;
}
