// A deployment config checked against the rules' destinations. Never prints.
#include "runtime/host/deploy_check.h"

namespace seg::host {

bool load_deploy_for(const std::string& path, const ir::Bundle& b, rt::DeployConfig& out, std::string& error) {
  if (!rt::load_deploy_config(path, out, error)) return false;
  // Every destination the config names is one of the rules', with a connector its type takes.
  for (auto& [name, c] : out.destinations) {
    int32_t d = b.destination(name);
    if (d < 0) {
      error = path + ": destinations." + name + ": the rules have no such destination";
      return false;
    }
    if (!rt::connector_fits(c.kind, b.destinations[d].type, b.destinations[d].ads)) {
      error = path + ": destinations." + name + ": the " + rt::connector_name(c.kind) + " connector cannot send a " +
              b.destinations[d].type + " destination";
      return false;
    }
    c.ads = b.destinations[d].ads;
  }
  return true;
}

}  // namespace seg::host
