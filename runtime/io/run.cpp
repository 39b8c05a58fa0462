#include "runtime/io/run.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "runtime/builtins/builtins.h"
#include "runtime/engine/engine.h"
#include "runtime/io/file_sink.h"
#include "runtime/io/input.h"
#include "runtime/io/json_text.h"

namespace seg::rt {
namespace {

// Reads lines of any length in large chunks; strips "\n" and a trailing "\r".
class LineReader {
 public:
  explicit LineReader(std::FILE* f) : f_(f) { buf_.resize(1 << 20); }
  bool next(std::string_view& line) {
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(buf_.data() + pos_, '\n', end_ - pos_));
      if (nl) {
        size_t len = static_cast<size_t>(nl - (buf_.data() + pos_));
        line = std::string_view(buf_.data() + pos_, len);
        pos_ += len + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return true;
      }
      if (eof_) {
        if (pos_ == end_) return false;
        line = std::string_view(buf_.data() + pos_, end_ - pos_);
        pos_ = end_;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return true;
      }
      // Move the partial line to the front; grow for lines longer than the buffer.
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
      if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
      size_t n = std::fread(buf_.data() + end_, 1, buf_.size() - end_, f_);
      if (n == 0) {
        eof_ = true;
        error_ = std::ferror(f_) != 0;
      }
      end_ += n;
    }
  }
  bool error() const { return error_; }

 private:
  std::FILE* f_;
  std::string buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false, error_ = false;
};


// Beside each checkpoint, which input line it follows: a run restarted after a crash
// resumes from the checkpoint with the input from the next line on.
bool write_checkpoint(const std::string& path, const std::string& state, int64_t lines, const Engine& e,
                      std::string& error) {
  if (!write_file(path, state, error)) return false;
  nlohmann::ordered_json j;
  j["input_lines"] = lines;
  j["watermark"] = e.started() ? builtins::format_time(e.watermark()) : "";
  return write_file(path + ".json", j.dump() + "\n", error);
}

std::string summary(const ir::Bundle& b, const Engine& e, const RunStats& s, const RunOptions& opt) {
  nlohmann::ordered_json j;
  j["bundle"] = b.revision;
  j["lines"] = {{"read", s.read}, {"applied", s.applied}, {"ignored", s.ignored},
                {"rejected", s.rejected}, {"blank", s.blank}};
  j["late"] = s.late;
  j["rejected"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : s.rejected_by) j["rejected"][k] = v;
  j["ignored"] = nlohmann::ordered_json::object();
  for (const auto& [k, v] : s.ignored_by) j["ignored"][k] = v;
  j["dropped"] = {{"traits", s.dropped_traits}, {"properties", s.dropped_props}};
  j["watermark"] = e.started() ? builtins::format_time(e.watermark()) : "";
  if (opt.until) j["until"] = builtins::format_time(*opt.until);
  j["profiles"] = e.profiles();
  j["evaluations"] = e.evaluations();
  j["audiences"] = nlohmann::ordered_json::object();
  for (size_t i = 0; i < b.audiences.size(); ++i) {
    const AudienceStats& a = e.audience_stats()[i];
    j["audiences"][b.audiences[i].name] = {{"members", a.members}, {"entered", a.entered}, {"left", a.left}};
  }
  j["destinations"] = nlohmann::ordered_json::object();
  for (size_t i = 0; i < b.destinations.size(); ++i) {
    const DestinationStats& d = e.destination_stats()[i];
    j["destinations"][b.destinations[i].name] = {
        {"audience", b.destinations[i].downstream},
        {"ops", {{"add", d.add}, {"remove", d.remove}, {"update", d.update}}},
        {"unmatched", d.unmatched}};
  }
  return j.dump(2) + "\n";
}

}  // namespace

// Written beside and renamed over: a reader never sees half a file.
bool write_file(const std::string& path, std::string_view data, std::string& error) {
  std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out || std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

int run_stream(const ir::Bundle& b, const RunOptions& opt, RunStats& stats, std::string& summary_json,
               std::string& error) {
  auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(opt.out_dir, ec);
  if (ec) {
    error = "cannot create " + opt.out_dir + ": " + ec.message();
    return 3;
  }
  std::vector<std::string> names;
  for (const auto& d : b.destinations) names.push_back(d.name);
  FileSink sink;
  if (!sink.open(opt.out_dir, names, error)) return 3;
  Engine engine(b, sink);
  if (opt.on_engine) opt.on_engine(engine.interp());
  // Tell the caller the interpreter is going away (before the engine is destroyed, on
  // every return path): a background JIT tier must not install kernels into it later.
  struct EngineEnd {
    const RunOptions& opt;
    Interpreter& in;
    ~EngineEnd() {
      if (opt.on_engine_end) opt.on_engine_end(in);
    }
  } engine_end{opt, engine.interp()};
  if (!opt.resume.empty()) {
    std::ifstream in(opt.resume, std::ios::binary);
    if (!in) {
      error = "cannot read checkpoint " + opt.resume + ": " + std::strerror(errno);
      return 3;
    }
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string why;
    if (!engine.load(data, why)) {
      error = opt.resume + ": " + why;
      return 3;
    }
  }
  std::FILE* f = opt.input == "-" ? stdin : std::fopen(opt.input.c_str(), "rb");
  if (!f) {
    error = "cannot read " + opt.input + ": " + std::strerror(errno);
    return 3;
  }
  std::string rejected_path = opt.out_dir + "/rejected.ndjson";
  std::FILE* rej = std::fopen(rejected_path.c_str(), "wb");
  if (!rej) {
    error = "cannot write " + rejected_path + ": " + std::strerror(errno);
    if (f != stdin) std::fclose(f);
    return 3;
  }
  std::string checkpoint = opt.checkpoint.empty() ? opt.out_dir + "/checkpoint.segstate" : opt.checkpoint;
  InputParser parser(b, engine.interp().strings(), engine.interp().sets());
  LineReader reader(f);
  Record rec;
  std::string_view line;
  std::string out, state;
  int64_t since_checkpoint = 0;
  bool tty = opt.progress && isatty(STDERR_FILENO);
  while (reader.next(line)) {
    ++stats.read;
    LineResult r = parser.parse(line, rec);
    switch (r.kind) {
      case LineKind::Blank: ++stats.blank; continue;
      case LineKind::Rejected: {
        ++stats.rejected;
        ++stats.rejected_by[r.cause];
        // Nothing of a rejected line is applied, not even its timestamp.
        out.clear();
        out += "{\"line\":" + std::to_string(stats.read) + ",\"cause\":\"" + r.cause + "\",\"reason\":";
        append_json_string(out, r.reason);
        if (valid_utf8(line)) {
          out += ",\"raw\":";
          append_json_string(out, line);
        } else {  // keep the exact bytes of a line that is not UTF-8
          out += ",\"raw_hex\":\"";
          static const char* kHex = "0123456789abcdef";
          for (unsigned char c : line) {
            out += kHex[c >> 4];
            out += kHex[c & 15];
          }
          out += '"';
        }
        out += "}\n";
        std::fwrite(out.data(), 1, out.size(), rej);
        continue;
      }
      case LineKind::Ignored:
        ++stats.ignored;
        ++stats.ignored_by[r.cause];
        break;
      case LineKind::Applied:
        ++stats.applied;
        stats.dropped_traits += r.dropped_traits;
        stats.dropped_props += r.dropped_props;
        break;
    }
    if (engine.started() && rec.ts < engine.watermark()) ++stats.late;
    // Periodic checkpoints are taken between instants, where the state is complete.
    if (opt.checkpoint_every > 0 && ++since_checkpoint >= opt.checkpoint_every && engine.started() &&
        rec.ts > engine.watermark()) {
      engine.close_instant();
      sink.flush();
      std::fflush(rej);
      engine.save(state);
      if (!write_checkpoint(checkpoint, state, stats.read - 1, engine, error)) return 3;
      since_checkpoint = 0;
    }
    engine.process(rec);
    if (tty && stats.read % 100000 == 0) std::fprintf(stderr, "\r%lld lines", static_cast<long long>(stats.read));
  }
  if (tty) std::fprintf(stderr, "\r");
  bool read_error = reader.error();
  if (f != stdin) std::fclose(f);
  std::fclose(rej);
  if (read_error) {
    error = "error reading " + opt.input;
    return 3;
  }
  engine.finish(opt.until);
  if (sink.failed()) {
    error = "writing ops to " + opt.out_dir + " failed";
    return 3;
  }
  engine.save(state);
  if (!write_checkpoint(checkpoint, state, stats.read, engine, error)) return 3;
  stats.profiles = engine.profiles();
  stats.evaluations = engine.evaluations();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  summary_json = summary(b, engine, stats, opt);
  return write_file(opt.out_dir + "/summary.json", summary_json, error) ? 0 : 3;
}

}  // namespace seg::rt
