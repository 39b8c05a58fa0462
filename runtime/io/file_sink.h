#pragma once
// The embedded default connector: one NDJSON file per destination, always created.
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/engine/op.h"

namespace seg::rt {

class FileSink : public OpSink {
 public:
  ~FileSink() override;
  // Opens (truncating) DIR/<name>.ndjson for every destination; false on failure.
  bool open(const std::string& dir, const std::vector<std::string>& names, std::string& error);
  // The index of a destination's file, opening (truncating) it the first time it is
  // named: rules swapped in by a running process may add destinations. -1 on failure.
  // `path`: another file than DIR/<name>.ndjson (a `file` connector's path).
  int32_t destination(const std::string& name, std::string& error, const std::string& path = {});
  void write(int32_t destination, std::string_view line) override;
  void flush() override;
  bool failed() const { return failed_; }
  // A restarted run (--state): these files, already cut back to their committed size,
  // are appended to instead of truncated when opened.
  void append_to(std::vector<std::string> paths) { append_ = std::move(paths); }
  // Every file's path, in the order opened.
  const std::vector<std::string>& paths() const { return paths_; }

 private:
  std::string dir_;
  std::vector<std::string> append_, paths_;
  std::vector<std::FILE*> files_;
  std::unordered_map<std::string, int32_t> index_;
  bool failed_ = false;
};

// One engine's destination indices onto a shared sink's (an engine per rule bundle).
class MappedSink : public OpSink {
 public:
  MappedSink(OpSink& out, std::vector<int32_t> map) : out_(out), map_(std::move(map)) {}
  void write(int32_t destination, std::string_view line) override { out_.write(map_[destination], line); }
  void flush() override { out_.flush(); }

 private:
  OpSink& out_;
  std::vector<int32_t> map_;
};

// Ops kept in memory per destination (seg test, seg explain).
class MemorySink : public OpSink {
 public:
  explicit MemorySink(size_t destinations) : lines(destinations) {}
  void write(int32_t destination, std::string_view line) override {
    lines[destination].emplace_back(line);
  }
  std::vector<std::vector<std::string>> lines;
};

}  // namespace seg::rt
