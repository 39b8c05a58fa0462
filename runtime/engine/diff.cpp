// The diff kernel: per destination audience, what the destination holds (SentState)
// against the new membership, keys and fields -> ops (RUNTIME.md §4, LANGUAGE.md §7).
// With the JIT, a compiled kernel unrolls the bundle's destinations and calls
// diff_audience only where an op is possible.
#include <cstddef>
#include <string>

#include "stdlib/builtins/builtins.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/json_text.h"

namespace seg::rt {
namespace {

// The normalised value of one match key, or "" when it is missing or unusable.
std::string key_value(const ir::Key& k, std::string_view raw, const std::string& region) {
  if (raw.empty()) return {};
  // A value that already is a SHA-256 digest is passed through, lower-cased.
  std::string_view trimmed = builtins::trim(raw);
  if (k.hash && seg_is_sha256_hex(trimmed.data(), trimmed.size())) return builtins::lower(trimmed);
  std::optional<std::string> v;
  switch (k.normalize) {
    case ir::Normalize::None: v = std::string(raw); break;
    case ir::Normalize::Email: v = builtins::normalize_email(raw, SEG_EMAIL_PLAIN); break;
    case ir::Normalize::EmailGoogle: v = builtins::normalize_email(raw, SEG_EMAIL_GOOGLE); break;
    case ir::Normalize::PhoneDigits:
      v = builtins::normalize_phone(raw, region.c_str(), SEG_PHONE_DIGITS);
      break;
    case ir::Normalize::E164: v = builtins::normalize_phone(raw, region.c_str(), SEG_PHONE_E164); break;
  }
  if (!v || v->empty()) return {};
  return k.hash ? builtins::sha256_hex(*v) : *v;
}

// Generated code tests these flags in place (stdlib/abi.h).
static_assert(offsetof(SentState, sent) == SEG_SENT_SENT && offsetof(SentState, unmatched) == SEG_SENT_UNMATCHED);
static_assert(sizeof(SentState) == SEG_SENT_SIZE);

}  // namespace

uint32_t Engine::normalized_key(const ir::Key& k, uint32_t raw) {
  // Normalising (libphonenumber) and hashing dominate otherwise: memoise per rule and value.
  uint64_t memo = (uint64_t{raw} << 4) | (static_cast<uint64_t>(k.normalize) << 1) | (k.hash ? 1 : 0);
  if (auto it = key_memo_.find(memo); it != key_memo_.end()) return it->second;
  std::string value;
  if (k.normalize == ir::Normalize::PhoneDigits &&
      !(k.hash && seg_is_sha256_hex(builtins::trim(strings_.get(raw)).data(), builtins::trim(strings_.get(raw)).size()))) {
    // Meta's digits are E.164 without the '+': parse the number once for both rules.
    ir::Key e164{k.attr, k.name, ir::Normalize::E164, false};
    uint32_t plus = normalized_key(e164, raw);
    if (plus != 0) {
      value = std::string(strings_.get(plus).substr(1));
      if (k.hash) value = builtins::sha256_hex(value);
    }
  } else {
    value = key_value(k, strings_.get(raw), b_.default_region);
  }
  uint32_t id = value.empty() ? 0 : strings_.intern(value);
  key_memo_.emplace(memo, id);
  return id;
}

uint32_t Engine::keys_json(const ir::Destination& d, Profile& p) {
  std::string& out = scratch_;
  out.assign("{");
  for (const ir::Key& k : d.keys) {
    uint32_t raw;
    if (k.attr < 0) {
      raw = p.id;
    } else {
      const Value& v = p.attrs[k.attr];
      if (v.tag != Tag::String) continue;
      raw = v.id;
    }
    uint32_t id = normalized_key(k, raw);
    if (id == 0) continue;
    std::string_view value = strings_.get(id);
    if (out.size() > 1) out += ',';
    append_json_string(out, k.name);
    out += ':';
    append_json_string(out, value);
  }
  if (out.size() == 1) return 0;  // no usable key: unmatched
  out += '}';
  return strings_.intern(out);
}

uint32_t Engine::fields_json(const ir::Destination& d, Profile& p) {
  if (d.fields.empty()) return empty_object_;
  std::string& out = scratch_;
  out.assign("{");
  for (const ir::Field& f : d.fields) {
    // `… as name` (LANGUAGE.md §12): evaluated now, by the interpreter under both engines.
    Value computed;
    if (f.expr) computed = interp_.eval(f.expr, p, eval_now_);
    const Value& v = f.expr ? computed : p.attrs[f.attr];
    if (v.missing()) continue;
    if (out.size() > 1) out += ',';
    append_json_string(out, f.name);
    out += ':';
    switch (v.tag) {
      case Tag::Bool: out += v.b ? "true" : "false"; break;
      case Tag::Int: out += std::to_string(v.i); break;
      case Tag::Number: append_json_number(out, v.d); break;
      case Tag::String: append_json_string(out, strings_.get(v.id)); break;
      case Tag::Time: append_json_string(out, builtins::format_time(v.i)); break;
      case Tag::Duration: append_json_number(out, static_cast<double>(v.i) / 1000); break;
      case Tag::Set: {
        out += '[';
        const auto& items = sets_.get(v.id);
        for (size_t i = 0; i < items.size(); ++i) {
          if (i) out += ',';
          append_json_string(out, strings_.get(items[i]));
        }
        out += ']';
        break;
      }
      default: out += "null";
    }
  }
  out += '}';
  return strings_.intern(out);
}

void Engine::diff(Profile& p, int32_t pi, int64_t /*now*/, const std::vector<uint64_t>& old_member,
                  const std::vector<uint64_t>& ttl_exit) {
  const seg_kernels* k = interp_.kernels();
  if (k && k->diff) {  // the compiled kernel picks the destination audiences to look at
    DiffArgs args{this, &p, pi, &old_member, &ttl_exit};
    seg_jit_ctx ctx{};
    ctx.member = p.member.data();
    ctx.holdout = p.holdout.data();
    ctx.sent = p.sent.data();
    ctx.diff = &diff_callback;
    ctx.engine = &args;
    k->diff(&ctx);
    return;
  }
  for (size_t di = 0; di < b_.destinations.size(); ++di)
    for (size_t j = 0; j < b_.destinations[di].audiences.size(); ++j)
      diff_audience(p, pi, static_cast<int32_t>(di), static_cast<int32_t>(j), old_member, ttl_exit);
}

void Engine::diff_callback(seg_jit_ctx* ctx, int32_t dest, int32_t position) {
  auto* a = static_cast<DiffArgs*>(ctx->engine);
  a->engine->diff_audience(*a->profile, a->pi, dest, position, *a->old_member, *a->ttl_exit);
}

// One destination audience: what it holds against the new membership, keys and fields.
void Engine::diff_audience(Profile& p, int32_t pi, int32_t di, int32_t j, const std::vector<uint64_t>& old_member,
                           const std::vector<uint64_t>& ttl_exit) {
  const ir::Destination& d = b_.destinations[di];
  int32_t ai = d.audiences[j];
  SentState& s = p.sent[d.sent_base + j];
  bool member = p.bit(p.member, ai);
  bool hold = p.bit(p.holdout, ai);
  // Ads never receive holdout members; others only with `include holdout`.
  bool desired = member && (!hold || d.include_holdout);
  if (!desired && !s.sent && !s.unmatched) return;
  uint32_t keys = 0, fields = 0;
  if (desired) {  // keys and fields depend only on the attributes: cached per version
    DestCache& c = p.dest_cache[di];
    if (c.version != p.attr_version) {
      c.keys = keys_json(d, p);
      c.fields = fields_json(d, p);
      c.version = p.attr_version;
    }
    keys = c.keys;
    // Fields named with `as` may read events and time: computed at every diff.
    fields = field_values_[di] ? fields_json(d, p) : c.fields;
  }
  auto push = [&](OpKind kind, Reason reason, uint32_t k, uint32_t f) {
    Op op;
    op.destination = di;
    op.audience = ai;
    op.position = j;
    op.profile = p.id;
    op.profile_index = pi;
    op.kind = kind;
    op.reason = rule_change_active_ ? Reason::RuleChange : reason;
    op.keys = k;
    op.fields = f;
    op.holdout = hold;
    pending_.push_back(op);
  };
  if (s.sent) {
    if (!desired) {
      Reason why = p.bit(ttl_exit, ai) ? Reason::Ttl
                   : p.record_applied  ? Reason::Exit
                                       : Reason::Expire;
      // `on exit keep`: nothing is sent, and the destination no longer counts as
      // holding the profile, so a re-entry sends a fresh add.
      if (!d.on_exit_keep) push(OpKind::Remove, why, s.keys, s.fields);
      s.sent = false;
    } else if (keys == 0) {  // every key lost: remove the old ones, now unmatched
      push(OpKind::Remove, Reason::Change, s.keys, s.fields);
      s.sent = false;
    } else if (keys != s.keys) {
      if (d.updates) {
        push(OpKind::Update, Reason::Change, keys, fields);
      } else {
        push(OpKind::Remove, Reason::Change, s.keys, s.fields);
        push(OpKind::Add, Reason::Change, keys, fields);
      }
      s.keys = keys;
      s.fields = fields;
    } else if (fields != s.fields) {
      if (d.updates) push(OpKind::Update, Reason::Change, keys, fields);
      s.fields = fields;
    }
  } else if (desired && keys != 0) {
    push(OpKind::Add, p.bit(old_member, ai) ? Reason::Change : Reason::Enter, keys, fields);
    s.sent = true;
    s.keys = keys;
    s.fields = fields;
  }
  bool unmatched = desired && keys == 0;
  if (unmatched != s.unmatched) {
    dest_stats_[di].unmatched += unmatched ? 1 : -1;
    s.unmatched = unmatched;
  }
}

}  // namespace seg::rt
