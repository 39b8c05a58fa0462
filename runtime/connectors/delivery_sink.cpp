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
    r.http = std::make_unique<HttpConnector>(name, *cfg, out_dir_, resume_);
  } else {
    r.file = files_.destination(name, error, cfg ? cfg->path : std::string());
    if (r.file < 0) return -1;
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

std::vector<const HttpConnector*> DeliverySink::connectors() const {
  std::vector<const HttpConnector*> out;
  for (const Route& r : routes_)
    if (r.http) out.push_back(r.http.get());
  return out;
}

}  // namespace seg::rt
