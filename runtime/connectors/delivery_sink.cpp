#include "runtime/connectors/delivery_sink.h"

namespace seg::rt {

DeliverySink::DeliverySink(const DeployConfig* deploy, std::string out_dir, bool resume)
    : deploy_(deploy), out_dir_(std::move(out_dir)), resume_(resume) {}

DeliverySink::~DeliverySink() = default;

bool DeliverySink::open(const std::vector<std::string>& names, std::string& error) {
  if (!files_.open(out_dir_, {}, error)) return false;
  for (const std::string& n : names)
    if (destination(n, error) < 0) return false;
  return true;
}

int32_t DeliverySink::destination(const std::string& name, std::string& error) {
  if (auto it = index_.find(name); it != index_.end()) return it->second;
  Route r;
  const ConnectorConfig* cfg = nullptr;
  if (deploy_)
    if (auto it = deploy_->destinations.find(name); it != deploy_->destinations.end()) cfg = &it->second;
  if (cfg && cfg->kind != ConnectorKind::File) {
    r.http = std::make_unique<Sender>(name, *cfg, out_dir_, resume_, restarted_);
    // (a DSN may hold a password: only the variable's name is shown)
    r.where = cfg->kind == ConnectorKind::Postgres ? "postgres $" + cfg->dsn_env + " schema " + cfg->schema
                                                   : std::string(connector_name(cfg->kind)) + " " +
                                                         (cfg->url.empty() ? cfg->base_url : cfg->url);
  } else {
    std::string path = cfg && !cfg->path.empty() ? cfg->path : out_dir_ + "/" + name + ".ndjson";
    r.file = files_.destination(name, error, path);
    if (r.file < 0) return -1;
    if (cfg && !cfg->path.empty()) r.where = path;  // the default, OUT/<destination>.ndjson, goes unsaid
  }
  routes_.push_back(std::move(r));
  return index_[name] = static_cast<int32_t>(routes_.size() - 1);
}

void DeliverySink::write(int32_t d, std::string_view line) {
  Route& r = routes_[d];
  if (r.http) r.http->add(line);
  else files_.write(r.file, line);
}

void DeliverySink::flush() {
  files_.flush();
  for (Route& r : routes_)
    if (r.http) r.http->flush();
}

bool DeliverySink::flush(std::chrono::milliseconds timeout) {
  files_.flush();
  for (Route& r : routes_)
    if (r.http && !r.http->flush(timeout)) return false;
  return true;
}

std::vector<const Sender*> DeliverySink::connectors() const {
  std::vector<const Sender*> out;
  for (const Route& r : routes_)
    if (r.http) out.push_back(r.http.get());
  return out;
}

}  // namespace seg::rt

namespace seg::rt {

std::map<std::string, std::string> DeliverySink::sinks() const {
  std::map<std::string, std::string> out;
  for (const auto& [name, i] : index_)
    if (!routes_[i].where.empty()) out[name] = routes_[i].where;
  return out;
}

std::vector<std::string> DeliverySink::output_paths() const {
  std::vector<std::string> out = files_.paths();
  for (const Route& r : routes_)
    if (r.http) out.push_back(out_dir_ + "/failed-" + r.http->destination() + ".ndjson");
  return out;
}

int64_t DeliverySink::undelivered() const {
  int64_t n = 0;
  for (const Route& r : routes_)
    if (r.http) n += r.http->stats().failed;
  return n;
}

}  // namespace seg::rt
