#include "cli/hot_swap.h"

#include <csignal>
#include <filesystem>
#include <iostream>

#include <sys/stat.h>

#include "cli/commands.h"

namespace seg::cli {
namespace {

volatile std::sig_atomic_t g_reload = 0;
volatile std::sig_atomic_t g_stop = 0;

void on_signal(int sig) {
  if (sig == SIGHUP) g_reload = 1;
  else g_stop = 1;
}

// One file's identity and version: a rename over it changes the inode, a write its
// size or modification time.
void stamp(const std::string& path, std::string& out) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    out += path + " missing\n";
    return;
  }
  out += path + " " + std::to_string(st.st_ino) + " " + std::to_string(st.st_size) + " " +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec) + "\n";
}

}  // namespace

void RuleGenerations::install_signal_handlers() {
  // Without SA_RESTART: a read blocked on the input returns, so the signal is seen.
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGHUP, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool RuleGenerations::stop_requested() { return g_stop != 0; }

RuleGenerations::RuleGenerations(std::vector<std::string> paths, DiagOptions diag, BackendOptions backend, bool watch)
    : paths_(std::move(paths)), diag_(std::move(diag)), backend_(std::move(backend)), watch_(watch) {}

RuleGenerations::~RuleGenerations() = default;

std::string RuleGenerations::fingerprint() const {
  std::string out;
  for (const std::string& p : paths_) {
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec)) {
      stamp(p, out);
      continue;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(p, ec); !ec && it != std::filesystem::end(it);
         it.increment(ec))
      if (it->path().extension() == ".seg") stamp(it->path().string(), out);
  }
  return out;
}

std::unique_ptr<RuleGenerations::Generation> RuleGenerations::load(int& code) {
  auto g = std::make_unique<Generation>();
  g->rules = load_rules(paths_, diag_, code);
  if (!g->rules.bundle) return nullptr;
  g->tier = std::make_unique<JitTier>(*g->rules.bundle, backend_, true, g->rules.object);
  return g;
}

const ir::Bundle* RuleGenerations::load_first(int& code) {
  if (watch_) seen_ = fingerprint();
  auto g = load(code);
  if (!g) return nullptr;
  gens_.push_back(std::move(g));
  return gens_.back()->rules.bundle.get();
}

const ir::Bundle* RuleGenerations::poll() {
  bool asked = g_reload != 0;
  g_reload = 0;
  if (!asked && !watch_) return nullptr;
  std::string now = watch_ ? fingerprint() : std::string();
  if (!asked && now == seen_) return nullptr;
  seen_ = now;
  const std::string& running = gens_.back()->rules.bundle->revision;
  int code = 0;
  auto g = load(code);
  if (!g) {
    std::cerr << "seg: the new rules were refused (exit " << code << "); still running bundle " << running << "\n";
    return nullptr;
  }
  if (g->rules.bundle->revision == running) {
    std::cerr << "seg: rules reloaded, unchanged (bundle " << running << ")\n";
    return nullptr;
  }
  gens_.push_back(std::move(g));
  return gens_.back()->rules.bundle.get();
}

void RuleGenerations::detach(rt::Interpreter& in) {
  for (auto& g : gens_) g->tier->detach(in);
}

void RuleGenerations::attach(rt::Interpreter& in) {
  gens_.back()->tier->attach(in);
  // A new engine runs the newest rules; the engines of older ones are gone, and with
  // them every use of their compiled code: free it (ORC resource trackers).
  gens_.erase(gens_.begin(), gens_.end() - 1);
}

}  // namespace seg::cli
