#include "runtime/state/value.h"

#include <algorithm>

namespace seg::rt {

bool Value::operator==(const Value& o) const {
  if (tag != o.tag) return false;
  switch (tag) {
    case Tag::Missing: return true;
    case Tag::Bool: return b == o.b;
    case Tag::Number: return d == o.d || (d != d && o.d != o.d);  // NaN equals NaN for state
    case Tag::String:
    case Tag::Set: return id == o.id;
    case Tag::Event: return ev == o.ev;
    default: return i == o.i;
  }
}

uint32_t StringPool::intern(std::string_view s) {
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  const std::string& kept = strings_.emplace_back(s);
  uint32_t id = static_cast<uint32_t>(strings_.size() - 1);
  ids_.emplace(kept, id);
  return id;
}

uint32_t SetPool::intern(std::vector<uint32_t> items) {
  std::sort(items.begin(), items.end(),
            [&](uint32_t a, uint32_t b) { return strings_.get(a) < strings_.get(b); });
  items.erase(std::unique(items.begin(), items.end()), items.end());
  std::string key;
  for (uint32_t id : items) key.append(reinterpret_cast<const char*>(&id), sizeof id);
  if (auto it = ids_.find(key); it != ids_.end()) return it->second;
  sets_.push_back(std::move(items));
  uint32_t id = static_cast<uint32_t>(sets_.size() - 1);
  ids_.emplace(std::move(key), id);
  return id;
}

}  // namespace seg::rt
