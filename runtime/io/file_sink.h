#pragma once
// The embedded default connector: one NDJSON file per destination, always created.
#include <cstdio>
#include <string>
#include <vector>

#include "runtime/engine/op.h"

namespace seg::rt {

class FileSink : public OpSink {
 public:
  ~FileSink() override;
  // Opens (truncating) DIR/<name>.ndjson for every destination; false on failure.
  bool open(const std::string& dir, const std::vector<std::string>& names, std::string& error);
  void write(int32_t destination, std::string_view line) override;
  void flush() override;
  bool failed() const { return failed_; }

 private:
  std::vector<std::FILE*> files_;
  bool failed_ = false;
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
