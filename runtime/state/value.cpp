#include "runtime/state/value.h"

#include <algorithm>
#include <cstring>

#include "stdlib/builtins/builtins.h"

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

namespace {
constexpr size_t kChunk = 1 << 20;
}

StringPool::StringPool() {
  table_.assign(1024, 0);
  intern("");
}

StringPool::~StringPool() {
  for (char* c : chunks_) delete[] c;
}

uint32_t StringPool::probe(std::string_view s, uint64_t h) const {
  size_t mask = table_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint32_t slot = table_[i];
    if (slot == 0) return static_cast<uint32_t>(i) | 0x80000000u;  // free slot i
    uint32_t id = slot - 1;
    if (hashes_[id] == h && views_[id] == s) return id;
  }
}

uint32_t StringPool::find(std::string_view s) const {
  uint32_t r = probe(s, seg_hash_bytes(s.data(), s.size()));
  return (r & 0x80000000u) ? UINT32_MAX : r;
}

void StringPool::grow() {
  std::vector<uint32_t> bigger(table_.size() * 2, 0);
  size_t mask = bigger.size() - 1;
  for (uint32_t id = 0; id < views_.size(); ++id) {
    size_t i = hashes_[id] & mask;
    while (bigger[i] != 0) i = (i + 1) & mask;
    bigger[i] = id + 1;
  }
  table_.swap(bigger);
}

uint32_t StringPool::intern(std::string_view s) {
  uint64_t h = seg_hash_bytes(s.data(), s.size());
  uint32_t r = probe(s, h);
  if (!(r & 0x80000000u)) return r;
  // Copy the bytes into the arena (a string longer than a chunk gets its own).
  char* dst;
  if (s.size() > chunk_left_) {
    size_t size = s.size() > kChunk / 4 ? s.size() : kChunk;
    chunks_.push_back(new char[size ? size : 1]);
    dst = chunks_.back();
    if (size == kChunk) {
      chunk_pos_ = dst + s.size();
      chunk_left_ = kChunk - s.size();
    }
  } else {
    dst = chunk_pos_;
    chunk_pos_ += s.size();
    chunk_left_ -= s.size();
  }
  if (!s.empty()) std::memcpy(dst, s.data(), s.size());
  used_bytes_ += s.size();
  uint32_t id = static_cast<uint32_t>(views_.size());
  views_.emplace_back(dst, s.size());
  hashes_.push_back(h);
  table_[r & 0x7fffffffu] = id + 1;
  if (views_.size() * 2 > table_.size()) grow();
  return id;
}

size_t StringPool::bytes() const {
  // The bytes strings occupy (a chunk's untouched tail is address space, not memory).
  return used_bytes_ + views_.capacity() * sizeof(std::string_view) + hashes_.capacity() * sizeof(uint64_t) +
         table_.capacity() * sizeof(uint32_t) + chunks_.capacity() * sizeof(char*);
}

size_t SetPool::bytes() const {
  size_t n = 0;
  for (const auto& s : sets_) n += sizeof s + s.capacity() * sizeof(uint32_t);
  for (const auto& [key, id] : ids_) n += key.capacity() + 64;  // node, hash, bucket
  return n;
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
