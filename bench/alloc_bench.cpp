// Heap allocations per record on the stream path (issue 15, "no allocation per event in
// steady state"): counts every operator new while `seg run`'s engine applies a stream,
// split into the first half (profiles appear) and the second half (most exist), and the
// parse alone, so the figure shows what a change removes.
//
//   seg_alloc_bench RULES INPUT.ndjson
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "compiler/driver/driver.h"
#include "runtime/engine/engine.h"
#include "runtime/io/input.h"

namespace {
std::atomic<uint64_t> g_news{0};
}

void* operator new(std::size_t n) {
  g_news.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

class NullSink : public seg::rt::OpSink {
 public:
  void write(int32_t, std::string_view) override { ++ops; }
  uint64_t ops = 0;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace seg;
  if (argc != 3) {
    std::cerr << "usage: seg_alloc_bench RULES INPUT.ndjson\n";
    return 2;
  }
  std::vector<std::string> missing;
  auto c = compile(expand_paths({argv[1]}, missing));
  if (!missing.empty() || c->diags.has_errors()) {
    std::cerr << "the rules do not compile\n";
    return 1;
  }
  auto b = build_bundle(*c);
  std::vector<std::string> lines;
  std::ifstream in(argv[2]);
  for (std::string l; std::getline(in, l);) lines.push_back(std::move(l));
  if (lines.empty()) return 1;

  NullSink sink;
  rt::Engine engine(*b, sink);
  rt::InputParser parser(*b, engine.interp().strings(), engine.interp().sets());
  rt::Record rec;
  uint64_t records[2] = {0, 0}, news[2] = {0, 0}, parse_news[2] = {0, 0};
  int64_t profiles_before_half = 0;
  size_t half = lines.size() / 2;
  for (size_t i = 0; i < lines.size(); ++i) {
    int h = i >= half ? 1 : 0;
    if (i == half) profiles_before_half = engine.profiles();
    uint64_t n0 = g_news.load();
    rt::LineResult r = parser.parse(lines[i], rec);
    uint64_t n1 = g_news.load();
    parse_news[h] += n1 - n0;
    if (r.kind != rt::LineKind::Applied && r.kind != rt::LineKind::Ignored) continue;
    engine.process(rec);
    news[h] += g_news.load() - n1;
    ++records[h];
  }
  engine.finish();
  int64_t new_profiles = engine.profiles() - profiles_before_half;
  std::printf("records %llu + %llu, ops %llu, profiles %lld (+%lld in the second half)\n",
              static_cast<unsigned long long>(records[0]), static_cast<unsigned long long>(records[1]),
              static_cast<unsigned long long>(sink.ops), static_cast<long long>(engine.profiles()),
              static_cast<long long>(new_profiles));
  for (int h = 0; h < 2; ++h)
    std::printf("%s half: %.2f allocations per record in the engine, %.2f in the parser\n",
                h ? "second" : "first ", records[h] ? static_cast<double>(news[h]) / records[h] : 0.0,
                records[h] ? static_cast<double>(parse_news[h]) / records[h] : 0.0);
  return 0;
}
