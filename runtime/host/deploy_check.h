#pragma once
// `seg run --config deploy.json`: the deployment config read (runtime/connectors) and
// checked against the rules it is to deliver: every destination it names is one of the
// bundle's, with a connector that destination's type takes. What is wrong comes back as
// data; the caller prints and picks the exit code.
#include <string>

#include "compiler/ir/ir.h"
#include "runtime/connectors/deploy_config.h"

namespace seg::host {

// false with `error` (naming the file and the key) when the config cannot be read, is
// not valid, or does not fit the rules in `b`.
bool load_deploy_for(const std::string& path, const ir::Bundle& b, rt::DeployConfig& out, std::string& error);

}  // namespace seg::host
