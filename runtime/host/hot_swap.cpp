#include "runtime/host/hot_swap.h"

#include <csignal>
#include <filesystem>

#include <sys/stat.h>

namespace seg::host {
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

RuleGenerations::RuleGenerations(std::vector<std::string> paths, BackendOptions backend, bool watch,
                                 Refused refused, Notify notify)
    : paths_(std::move(paths)),
      backend_(std::move(backend)),
      watch_(watch),
      refused_(std::move(refused)),
      notify_(std::move(notify)) {}

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

std::unique_ptr<RuleGenerations::Generation> RuleGenerations::load(LoadedRules& failed) {
  auto g = std::make_unique<Generation>();
  g->rules = load_rules(paths_, backend_.trusted_keys);
  if (notify_)
    for (const std::string& n : g->rules.notes) notify_(n);
  if (!g->rules.ok()) {
    failed = std::move(g->rules);
    return nullptr;
  }
  g->tier = std::make_unique<JitTier>(*g->rules.bundle, backend_, true, g->rules.object, notify_);
  return g;
}

const ir::Bundle* RuleGenerations::load_first(LoadedRules& failed) {
  if (watch_) seen_ = fingerprint();
  auto g = load(failed);
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
  LoadedRules failed;
  auto g = load(failed);
  if (!g) {
    if (refused_) refused_(failed, running);
    return nullptr;
  }
  if (g->rules.bundle->revision == running) {
    if (notify_) notify_("seg: rules reloaded, unchanged (bundle " + running + ")");
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

}  // namespace seg::host
