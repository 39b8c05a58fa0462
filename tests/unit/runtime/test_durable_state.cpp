// The durable state (runtime/store, issue 16): the checkpoint kept in pieces, committed
// in batches of what changed, reads back as the very bytes of a whole checkpoint; a state
// of a newer format, or a RocksDB database seg did not write, is refused.
#include <doctest/doctest.h>

#include <rocksdb/db.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "runtime/engine/engine.h"
#include "runtime/io/file_sink.h"
#include "runtime/store/durable_state.h"
#include "rules_fixture.h"

namespace {

const char* kRules = R"(
profile {
  email: string @id
  tier:  string
}
event purchased { order_value: number, refunded: bool }
segment buyers = purchased within 7d
segment gold = tier == "gold"
destination wh {
  type warehouse
  audience buyers, gold
}
)";

seg::rt::Record purchase(const seg::ir::Bundle& b, const std::string& id, int64_t ts, double value) {
  seg::rt::Record r;
  r.kind = seg::rt::RecordKind::Track;
  r.profile = id;
  r.ts = ts;
  r.event = b.event("purchased");
  r.props = {seg::rt::Value::number(value), seg::rt::Value()};
  return r;
}

seg::rt::Record tier(seg::rt::Engine& e, const std::string& id, int64_t ts, const char* t) {
  seg::rt::Record r;
  r.kind = seg::rt::RecordKind::Identify;
  r.profile = id;
  r.ts = ts;
  r.traits.push_back({1, seg::rt::Value::string(e.interp().strings().intern(t))});
  return r;
}

struct TempDir {
  std::string path;
  TempDir() {
    path = std::filesystem::temp_directory_path() / ("seg_store_" + std::to_string(::getpid()) + "_" + std::to_string(rand()));
    std::filesystem::remove_all(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("commits of changed pieces read back as the whole checkpoint") {
  auto b = seg::test::compile_rules("", kRules);
  seg::rt::MemorySink sink(1);
  seg::rt::Engine e(*b, sink);
  TempDir dir;
  std::string error;
  auto store = seg::rt::DurableState::open(dir.path, false, error);
  REQUIRE_MESSAGE(store, error);
  CHECK_FALSE(store->committed());
  int64_t t = seg::test::at("2026-03-01T00:00:00Z");
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 40; ++i) {
      std::string id = "u" + std::to_string((i * 7 + round * 3) % (10 + round * 10));
      t += 60'000;
      e.process(i % 3 ? purchase(*b, id, t, 10.0 * i) : tier(e, id, t, i % 2 ? "gold" : "silver"));
    }
    e.close_instant();
    // Round 2 rewrites everything (as after a rule change); the others only what changed.
    REQUIRE_MESSAGE(store->commit(e, round == 2, "{\"round\":" + std::to_string(round) + "}", error), error);
    std::string whole, pieces;
    e.save(whole);
    REQUIRE_MESSAGE(store->read_checkpoint(pieces, error), error);
    CHECK(pieces == whole);
  }
  CHECK(store->run_meta() == "{\"round\":4}");
  store.reset();
  // Reopened: the same bytes, and an engine loaded from them writes the same checkpoint.
  auto again = seg::rt::DurableState::open(dir.path, false, error);
  REQUIRE(again);
  std::string pieces, whole;
  REQUIRE(again->read_checkpoint(pieces, error));
  e.save(whole);
  CHECK(pieces == whole);
  seg::rt::Engine loaded(*b, sink);
  REQUIRE_MESSAGE(loaded.load(pieces, error), error);
  std::string reloaded;
  loaded.save(reloaded);
  CHECK(reloaded == whole);
  seg::rt::StateInfo info = again->inspect(dir.path);
  CHECK(info.profiles == e.profiles());
  CHECK(info.revision == b->revision);
}

TEST_CASE("a state of a newer format, or not seg's, is refused") {
  TempDir dir;
  std::string error;
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(o, dir.path, &db).ok());
    db->Put(rocksdb::WriteOptions(), "m/format", std::to_string(seg::rt::DurableState::kFormat + 1));
    delete db;
  }
  CHECK_FALSE(seg::rt::DurableState::open(dir.path, false, error));
  CHECK(error.find("written by a newer seg") != std::string::npos);
  TempDir other;
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(o, other.path, &db).ok());
    db->Put(rocksdb::WriteOptions(), "hello", "world");
    delete db;
  }
  CHECK_FALSE(seg::rt::DurableState::open(other.path, false, error));
  CHECK(error.find("not a seg state") != std::string::npos);
  CHECK_FALSE(seg::rt::DurableState::open(dir.path + "/missing", true, error));
  CHECK(error.find("not a seg state") != std::string::npos);
}
