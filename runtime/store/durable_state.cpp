// The durable state in RocksDB (see durable_state.h). Keys:
//   m/format  the store format (decimal)        m/head, m/tail  the checkpoint's ends
//   m/run     the run's meta (JSON)             s/<n>, S/<n>    interned string, set n
//   p/<n>     profile n's record                (n: 4 bytes big-endian, so keys sort by n)
#include "runtime/store/durable_state.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <filesystem>

#include "runtime/engine/engine.h"

namespace seg::rt {
namespace {

// A read-only open must leave the folder as it is: RocksDB would otherwise start a new
// LOG file there (and rename the old one).
class NoLog : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char*, va_list) override {}
};

std::string key(char kind, uint32_t n) {
  std::string k = {kind, '/', static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                   static_cast<char>(n)};
  return k;
}

uint32_t number(const rocksdb::Slice& k) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(k.data()[i])); };
  return b(2) << 24 | b(3) << 16 | b(4) << 8 | b(5);
}

// Visits every value under `kind`/ in order of n; false when the numbers are not 0, 1, …
// (a store that was not written by seg, or damaged).
template <typename F>
bool scan(rocksdb::DB* db, char kind, F&& each) {
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  std::string prefix = {kind, '/'};
  uint32_t expect = 0;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() != 6 || number(it->key()) != expect++) return false;
    each(it->value());
  }
  return it->status().ok();
}

}  // namespace

std::unique_ptr<DurableState> DurableState::open(const std::string& dir, bool read_only, std::string& error) {
  if (read_only && !std::filesystem::exists(dir + "/CURRENT")) {
    error = dir + " is not a seg state (no RocksDB database there)";
    return nullptr;
  }
  rocksdb::Options options;
  options.create_if_missing = !read_only;
  options.compression = rocksdb::kLZ4Compression;  // records of similar profiles compress well
  options.max_background_jobs = 2;
  options.keep_log_file_num = 2;
  if (read_only) options.info_log = std::make_shared<NoLog>();
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = read_only ? rocksdb::DB::OpenForReadOnly(options, dir, &db) : rocksdb::DB::Open(options, dir, &db);
  if (!s.ok()) {
    error = "cannot open state " + dir + ": " + s.ToString();
    return nullptr;
  }
  std::unique_ptr<DurableState> st(new DurableState(db));
  std::string format;
  s = db->Get(rocksdb::ReadOptions(), "m/format", &format);
  if (s.IsNotFound()) {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
    it->SeekToFirst();
    if (it->Valid()) {
      error = dir + " holds a RocksDB database that is not a seg state";
      return nullptr;
    }
    return st;  // new and empty
  }
  uint32_t f = static_cast<uint32_t>(std::strtoul(format.c_str(), nullptr, 10));
  if (f != kFormat) {
    error = "state " + dir + " has format " + format +
            (f > kFormat ? ", written by a newer seg" : "") + "; this seg reads format " + std::to_string(kFormat);
    return nullptr;
  }
  db->Get(rocksdb::ReadOptions(), "m/run", &st->run_);
  st->recount();
  return st;
}

bool DurableState::has_engine() const {
  std::string head;
  return db_->Get(rocksdb::ReadOptions(), "m/head", &head).ok();
}

void DurableState::recount() {
  strings_ = sets_ = profiles_ = 0;
  scan(db_, 's', [&](const rocksdb::Slice&) { ++strings_; });
  scan(db_, 'S', [&](const rocksdb::Slice&) { ++sets_; });
  scan(db_, 'p', [&](const rocksdb::Slice&) { ++profiles_; });
}

DurableState::~DurableState() { delete db_; }

bool DurableState::read_checkpoint(std::string& out, std::string& error) {
  CheckpointParts parts;
  std::vector<std::string> strings, sets;
  rocksdb::ReadOptions ro;
  if (!db_->Get(ro, "m/head", &parts.head).ok() || !db_->Get(ro, "m/tail", &parts.tail).ok()) {
    error = "the state has no committed engine state";
    return false;
  }
  int32_t n = 0;
  bool ok = scan(db_, 's', [&](const rocksdb::Slice& v) { strings.emplace_back(v.data(), v.size()); }) &&
            scan(db_, 'S', [&](const rocksdb::Slice& v) { sets.emplace_back(v.data(), v.size()); }) &&
            scan(db_, 'p', [&](const rocksdb::Slice& v) { parts.profiles.emplace_back(n++, std::string(v.data(), v.size())); });
  if (!ok) {
    error = "the state's records are not numbered 0, 1, … (damaged, or not written by seg)";
    return false;
  }
  out = assemble_checkpoint(parts, strings, sets);
  return true;
}

PreparedCommit DurableState::prepare(Engine& e, bool all) {
  PreparedCommit c;
  CheckpointParts parts = e.save_parts(all);
  auto put = [&](std::string k, std::string v) { c.changes.push_back({std::move(k), std::move(v)}); };
  c.strings = e.string_count();
  c.sets = e.set_count();
  c.profiles = profiles_;
  for (const auto& [pi, record] : parts.profiles) c.profiles = std::max(c.profiles, static_cast<size_t>(pi) + 1);
  if (all) {  // renumbered: the numbers past the new counts are gone
    c.profiles = parts.profiles.size();
    auto drop = [&](char kind, size_t from, size_t to) {
      for (size_t i = from; i < to; ++i) c.changes.push_back({key(kind, static_cast<uint32_t>(i)), std::nullopt});
    };
    drop('s', c.strings, strings_);
    drop('S', c.sets, sets_);
    drop('p', c.profiles, profiles_);
  }
  for (size_t i = all ? 0 : strings_; i < c.strings; ++i) put(key('s', static_cast<uint32_t>(i)), std::string(e.string_at(static_cast<uint32_t>(i))));
  for (size_t i = all ? 0 : sets_; i < c.sets; ++i) put(key('S', static_cast<uint32_t>(i)), e.save_set(static_cast<uint32_t>(i)));
  for (auto& [pi, record] : parts.profiles) put(key('p', static_cast<uint32_t>(pi)), std::move(record));
  put("m/head", std::move(parts.head));
  put("m/tail", std::move(parts.tail));
  return c;
}

namespace {
void add(rocksdb::WriteBatch& batch, const StateChange& ch) {
  if (ch.value) batch.Put(ch.key, *ch.value);
  else batch.Delete(ch.key);
}
}  // namespace

bool DurableState::write(const PreparedCommit& c, const std::string& run_meta, std::string& error) {
  rocksdb::WriteBatch batch;
  for (const StateChange& ch : c.changes) add(batch, ch);
  batch.Put("m/format", std::to_string(kFormat));
  batch.Put("m/run", run_meta);
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) {
    error = "cannot commit the state: " + s.ToString();
    return false;
  }
  strings_ = c.strings;
  sets_ = c.sets;
  profiles_ = c.profiles;
  run_ = run_meta;
  return true;
}

bool DurableState::apply(const std::vector<StateChange>& changes, const std::string& run_meta, std::string& error) {
  rocksdb::WriteBatch batch;
  for (const StateChange& ch : changes) add(batch, ch);
  batch.Put("m/format", std::to_string(kFormat));
  batch.Put("m/run", run_meta);
  rocksdb::Status s = db_->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) {
    error = "cannot write the restored state: " + s.ToString();
    return false;
  }
  run_ = run_meta;
  recount();
  return true;
}

StateInfo DurableState::inspect(const std::string& dir) {
  StateInfo info;
  info.format = kFormat;
  info.committed = committed();
  info.run = run_;
  info.strings = static_cast<int64_t>(strings_);
  info.sets = static_cast<int64_t>(sets_);
  scan(db_, 'p', [&](const rocksdb::Slice& v) {
    ++info.profiles;
    info.record_bytes += static_cast<int64_t>(v.size());
  });
  std::string head;
  if (db_->Get(rocksdb::ReadOptions(), "m/head", &head).ok() && head.size() > 20) {
    // After the magic (8) and version (4): the revision as a u64 length and its bytes.
    uint64_t len = 0;
    for (int i = 0; i < 8; ++i) len |= static_cast<uint64_t>(static_cast<unsigned char>(head[12 + i])) << (8 * i);
    if (len < head.size() - 20) info.revision = head.substr(20, len);
  }
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(dir, ec))
    if (f.is_regular_file(ec)) info.disk_bytes += static_cast<int64_t>(f.file_size(ec));
  return info;
}

}  // namespace seg::rt
