// The size-read probe of tests/connectors/audiences.sh and postgres.sh: read_audience_size()
// (runtime/connectors/audience_size.h) for one destination and audience name, printed as
// JSON, until `seg health` calls it. Usage: seg_size_probe DEPLOY.json DESTINATION NAME OUT_DIR
#include <cstdio>

#include <nlohmann/json.hpp>

#include "runtime/connectors/audience_size.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: seg_size_probe DEPLOY.json DESTINATION AUDIENCE_NAME OUT_DIR\n");
    return 2;
  }
  seg::rt::DeployConfig deploy;
  std::string error;
  if (!seg::rt::load_deploy_config(argv[1], deploy, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  auto it = deploy.destinations.find(argv[2]);
  if (it == deploy.destinations.end()) {
    std::fprintf(stderr, "%s: no destination %s\n", argv[1], argv[2]);
    return 2;
  }
  seg::rt::AudienceSize s = seg::rt::read_audience_size(it->second, argv[2], argv[3], argv[4]);
  nlohmann::ordered_json j = {{"ok", s.ok}, {"supported", s.supported}, {"lower", s.lower}, {"upper", s.upper},
                              {"error", s.error}};
  std::printf("%s\n", j.dump().c_str());
  return s.ok ? 0 : 1;
}
