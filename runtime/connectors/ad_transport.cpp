// One ad platform batch through its audience life cycle (ad_transport.h).
#include "runtime/connectors/ad_transport.h"

namespace seg::rt {

SendResult AdPlatformTransport::send(const std::vector<const BatchOp*>& batch,
                                     const std::string& batch_id) {
  std::vector<nlohmann::json> keys;
  keys.reserve(batch.size());
  for (const BatchOp* op : batch) keys.push_back(nlohmann::json::parse(op->keys));
  bool add = batch.front()->kind == "add";
  if (add)
    platform_->set_columns(key_columns(keys));  // what a create call may need (TikTok's id_type)
  std::string audience;
  ApiResult r;
  // Adds create the audience when the platform has none of that name; removes never do
  // (an audience seg never created holds none of its members: that is an error to see).
  const std::string& name = batch.front()->audience;
  if (platform_->resolve(name, add, audience, r)) {
    r = platform_->upload(audience, add, keys, batch_id);
    // An id from an earlier run's state file may be of an audience deleted since: the
    // name is looked up again (once a run) and, when it now names another, sent there.
    std::string fresh;
    if (!r.ok && platform_->re_resolve(name, add, audience, fresh))
      r = platform_->upload(fresh, add, keys, batch_id);
  }
  SendResult out;
  out.ok = r.ok;
  if (r.ok) return out;
  // An HTTP error keeps its status and body; anything else (a job that failed, an
  // audience not found…) is status 0 with what went wrong.
  const HttpResponse& last = r.response;
  bool http_error =
      last.status && (last.status < 200 || last.status >= 300) && r.what.rfind("HTTP ", 0) == 0;
  out.status = http_error ? last.status : 0;
  out.response = http_error ? last.body : r.what;
  return out;
}

}  // namespace seg::rt
