#pragma once
// Run-time values: 16 bytes, no heap. Strings and string sets are interned in pools
// owned by the engine, so a profile's state is flat and compares by id.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace seg::rt {

struct Entry;

enum class Tag : uint8_t { Missing, Bool, Int, Number, String, Time, Duration, Set, Event };

struct Value {
  Tag tag = Tag::Missing;
  union {
    bool b;
    int64_t i;  // Int, Time (ms), Duration (ms)
    double d;
    uint32_t id;  // String, Set: pool id
    const Entry* ev;
  };
  Value() : i(0) {}
  static Value boolean(bool v) { Value x; x.tag = Tag::Bool; x.b = v; return x; }
  static Value integer(int64_t v) { Value x; x.tag = Tag::Int; x.i = v; return x; }
  static Value number(double v) { Value x; x.tag = Tag::Number; x.d = v; return x; }
  static Value time(int64_t v) { Value x; x.tag = Tag::Time; x.i = v; return x; }
  static Value duration(int64_t v) { Value x; x.tag = Tag::Duration; x.i = v; return x; }
  static Value string(uint32_t v) { Value x; x.tag = Tag::String; x.id = v; return x; }
  static Value set(uint32_t v) { Value x; x.tag = Tag::Set; x.id = v; return x; }
  static Value event(const Entry* e) { Value x; x.tag = Tag::Event; x.ev = e; return x; }
  bool missing() const { return tag == Tag::Missing; }
  bool truthy() const { return tag == Tag::Bool && b; }
  bool operator==(const Value& o) const;
};

// Interned strings: id 0 is the empty string. Ids are dense and stable for the engine's
// life. The bytes live in large arena chunks and the index is an open-addressing table
// of ids: no allocation per string, one cache line per probe on the hot path.
class StringPool {
 public:
  StringPool();
  ~StringPool();
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;
  uint32_t intern(std::string_view s);
  // The id of s, or UINT32_MAX when it was never interned.
  uint32_t find(std::string_view s) const;
  std::string_view get(uint32_t id) const { return views_[id]; }
  size_t size() const { return views_.size(); }
  // Heap bytes held: the arena chunks and the index (for state size reports).
  size_t bytes() const;

 private:
  uint32_t probe(std::string_view s, uint64_t h) const;
  void grow();
  std::vector<std::string_view> views_;
  std::vector<uint64_t> hashes_;   // per id
  std::vector<uint32_t> table_;    // id + 1, 0 = empty; size a power of two
  std::vector<char*> chunks_;
  size_t used_bytes_ = 0;
  size_t chunk_left_ = 0;
  char* chunk_pos_ = nullptr;
};

// Interned sets of strings, each a sorted, unique vector of string ids ordered by text.
class SetPool {
 public:
  explicit SetPool(StringPool& strings) : strings_(strings) { intern({}); }
  uint32_t intern(std::vector<uint32_t> items);  // sorts and dedupes
  const std::vector<uint32_t>& get(uint32_t id) const { return sets_[id]; }
  size_t size() const { return sets_.size(); }
  size_t bytes() const;  // heap bytes held, estimated

 private:
  StringPool& strings_;
  std::deque<std::vector<uint32_t>> sets_;
  std::unordered_map<std::string, uint32_t> ids_;
};

}  // namespace seg::rt
