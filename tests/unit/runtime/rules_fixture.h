#pragma once
// Shared by the engine unit tests: rules compiled from a schema and rule text, and
// RFC 3339 instants in milliseconds.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "compiler/driver/driver.h"
#include "stdlib/builtins/builtins.h"

namespace seg::test {

inline std::unique_ptr<ir::Bundle> compile_rules(const char* schema, const std::string& rules) {
  auto c = compile_sources({{"rules.seg", std::string(schema) + rules}});
  REQUIRE_MESSAGE(!c->diags.has_errors(), "rules do not check");
  return build_bundle(*c);
}

inline int64_t at(const char* t) {
  const char* why = nullptr;
  return *builtins::parse_time(t, true, &why);
}

}  // namespace seg::test
