#include "runtime/io/input.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>

#include "stdlib/builtins/builtins.h"
#include "runtime/state/value.h"

namespace seg::rt {

namespace dom = simdjson::dom;

struct InputParser::Impl {
  const ir::Bundle& b;
  StringPool* strings_;
  SetPool* sets_;
  dom::parser parser;
  // Schemas are small: a linear scan over names beats hashing a fresh std::string.
  using Names = std::vector<std::pair<std::string, int32_t>>;
  Names attrs, events;
  std::vector<Names> props;
  static int32_t find(const Names& names, std::string_view n) {
    for (const auto& [name, i] : names)
      if (name == n) return i;
    return -1;
  }
  std::string buf;
  int64_t max_ts = INT64_MAX;  // later timestamps are rejected as future_timestamp

  Impl(const ir::Bundle& bundle, StringPool& s, SetPool& st) : b(bundle), strings_(&s), sets_(&st) {
    for (size_t i = 0; i < b.attributes.size(); ++i) attrs.emplace_back(b.attributes[i].name, static_cast<int32_t>(i));
    for (size_t i = 0; i < b.events.size(); ++i) {
      events.emplace_back(b.events[i].name, static_cast<int32_t>(i));
      Names m;
      for (size_t k = 0; k < b.events[i].props.size(); ++k)
        m.emplace_back(b.events[i].props[k].name, static_cast<int32_t>(k));
      props.push_back(std::move(m));
    }
    find_used_props();
  }

  static const char* json_type(dom::element_type t) {
    switch (t) {
      case dom::element_type::ARRAY: return "an array";
      case dom::element_type::OBJECT: return "an object";
      case dom::element_type::INT64:
      case dom::element_type::UINT64:
      case dom::element_type::DOUBLE: return "a number";
      case dom::element_type::STRING: return "a string";
      case dom::element_type::BOOL: return "a boolean";
      case dom::element_type::NULL_VALUE: return "null";
    }
    return "?";
  }

  // Which properties the rules read (kept by a slot or read by a filter): the others are
  // type-checked but never interned.
  std::vector<std::vector<bool>> prop_used;

  void find_used_props() {
    prop_used.resize(b.events.size());
    for (size_t i = 0; i < b.events.size(); ++i) prop_used[i].assign(b.events[i].props.size(), false);
    for (const ir::Slot& s : b.slots) {
      for (int32_t k : s.props) prop_used[s.event][k] = true;
      std::vector<ir::Expr> stack;
      if (s.filter) stack.push_back(s.filter);
      while (!stack.empty()) {
        ir::Expr e = stack.back();
        stack.pop_back();
        if (e->kind == ir::Kind::Prop) prop_used[s.event][e->index] = true;
        for (ir::Expr a : e->args) stack.push_back(a);
      }
    }
  }

  // The value of a schema attribute or property, or an error message. With keep false
  // the value is only checked (nothing is interned).
  bool convert(dom::element v, ir::Type t, Value& out, std::string& why, bool keep = true) {
    auto type = v.type();
    bool num = type == dom::element_type::INT64 || type == dom::element_type::UINT64 ||
               type == dom::element_type::DOUBLE;
    switch (t) {
      case ir::Type::Bool:
        if (type != dom::element_type::BOOL) break;
        out = Value::boolean(bool(v.get_bool().value_unsafe()));
        return true;
      case ir::Type::Int: {
        if (type == dom::element_type::INT64) {
          out = Value::integer(v.get_int64().value_unsafe());
          return true;
        }
        if (type == dom::element_type::DOUBLE) {
          double d = v.get_double().value_unsafe();
          if (d == std::floor(d) && d >= -9.2e18 && d <= 9.2e18) {  // 3.0 is an int
            out = Value::integer(static_cast<int64_t>(d));
            return true;
          }
          why = "needs an integer";
          return false;
        }
        if (type == dom::element_type::UINT64) {
          why = "is out of the range of int";
          return false;
        }
        break;
      }
      case ir::Type::Number:
        if (!num) break;
        out = Value::number(v.get_double().value_unsafe());
        return true;
      case ir::Type::String:
        if (type != dom::element_type::STRING) break;
        if (keep) out = Value::string(strings_->intern(v.get_string().value_unsafe()));
        return true;
      case ir::Type::Time: {
        if (type != dom::element_type::STRING) break;
        std::string_view s = v.get_string().value_unsafe();
        const char* err = nullptr;
        auto ms = builtins::parse_time(s, true, &err);
        if (!ms) {
          why = std::string("needs an RFC 3339 time: ") + err;
          return false;
        }
        out = Value::time(*ms);
        return true;
      }
      case ir::Type::Duration: {
        if (!num) break;
        double sec = v.get_double().value_unsafe();
        if (!(std::fabs(sec) < 9e15)) {
          why = "is out of the range of duration";
          return false;
        }
        out = Value::duration(static_cast<int64_t>(sec * 1000));  // seconds, truncated to the ms
        return true;
      }
      case ir::Type::StringSet: {
        if (type != dom::element_type::ARRAY) break;
        std::vector<uint32_t> ids;
        dom::array items = v.get_array().value_unsafe();  // a named copy: the result is a temporary
        for (dom::element item : items) {
          if (item.type() != dom::element_type::STRING) {
            why = "needs an array of strings";
            return false;
          }
          if (keep) ids.push_back(strings_->intern(item.get_string().value_unsafe()));
        }
        if (keep) out = Value::set(sets_->intern(std::move(ids)));
        return true;
      }
      case ir::Type::Event: break;
    }
    why = std::string("needs ") + ir::type_name(t) + ", not " + json_type(type);
    return false;
  }

  LineResult reject(const char* cause, std::string reason) {
    LineResult r;
    r.kind = LineKind::Rejected;
    r.cause = cause;
    r.reason = std::move(reason);
    return r;
  }

  LineResult parse(std::string_view line, Record& out) {
    bool blank = true;
    for (char c : line) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') {
        blank = false;
        break;
      }
    }
    if (blank) return {};
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: copy into a padded buffer.
    if (buf.size() < line.size() + simdjson::SIMDJSON_PADDING) buf.resize(line.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buf.data(), line.data(), line.size());
    std::memset(buf.data() + line.size(), 0, simdjson::SIMDJSON_PADDING);
    dom::element doc;
    auto err = parser.parse(buf.data(), line.size(), false).get(doc);
    if (err) return reject("invalid_json", std::string("not valid JSON: ") + simdjson::error_message(err));
    if (doc.type() != dom::element_type::OBJECT) return reject("not_object", "not a JSON object");
    dom::object obj = doc.get_object().value_unsafe();

    // The profile key: userId, or anonymousId when userId is absent or null.
    dom::element key;
    bool has_user = !obj["userId"].get(key) && key.type() != dom::element_type::NULL_VALUE;
    if (!has_user) {
      if (obj["anonymousId"].get(key) || key.type() == dom::element_type::NULL_VALUE)
        return reject("no_key", "no userId or anonymousId");
    }
    const char* key_name = has_user ? "userId" : "anonymousId";
    if (key.type() != dom::element_type::STRING || key.get_string().value_unsafe().empty())
      return reject("no_key", std::string(key_name) + " is not a non-empty string");
    out.profile.assign(key.get_string().value_unsafe());

    dom::element ts;
    if (obj["timestamp"].get(ts)) return reject("bad_timestamp", "no timestamp");
    if (ts.type() != dom::element_type::STRING)
      return reject("bad_timestamp", std::string("timestamp is ") + json_type(ts.type()) + ", not an RFC 3339 string");
    const char* why = nullptr;
    auto ms = builtins::parse_time(ts.get_string().value_unsafe(), true, &why);
    if (!ms) return reject("bad_timestamp", std::string("timestamp is not an RFC 3339 date-time: ") + why);
    out.ts = *ms;
    // One mistyped year must not move every profile's time (RUNTIME.md §2).
    if (out.ts > max_ts)
      return reject("future_timestamp", "timestamp " + std::string(ts.get_string().value_unsafe()) + " is after " +
                                            builtins::format_time(max_ts) + " (the wall clock plus --max-future)");

    dom::element type;
    if (obj["type"].get(type)) return reject("no_type", "no type");
    if (type.type() != dom::element_type::STRING) return reject("no_type", "type is not a string");
    std::string_view kind = type.get_string().value_unsafe();
    out.traits.clear();
    out.props.clear();
    out.event = -1;
    LineResult result;
    result.kind = LineKind::Applied;
    if (kind == "identify") {
      out.kind = RecordKind::Identify;
      dom::element traits;
      if (obj["traits"].get(traits) || traits.type() == dom::element_type::NULL_VALUE) return result;
      if (traits.type() != dom::element_type::OBJECT) return reject("bad_traits", "traits is not an object");
      dom::object fields = traits.get_object().value_unsafe();
      for (auto [name, value] : fields) {
        int32_t attr = find(attrs, name);
        if (attr < 0) {
          ++result.dropped_traits;
          continue;
        }
        Trait t;
        t.attr = attr;
        if (value.type() != dom::element_type::NULL_VALUE) {
          std::string msg;
          if (!convert(value, b.attributes[t.attr].type, t.value, msg, b.attributes[t.attr].used))
            return reject("wrong_type", "trait `" + std::string(name) + "` " + msg);
        }
        out.traits.push_back(t);
      }
      return result;
    }
    if (kind == "track") {
      dom::element ev;
      if (obj["event"].get(ev) || ev.type() != dom::element_type::STRING ||
          ev.get_string().value_unsafe().empty())
        return reject("no_event", "a track without an event name");
      int32_t event = find(events, ev.get_string().value_unsafe());
      if (event < 0) {
        out.kind = RecordKind::Ignored;
        result.kind = LineKind::Ignored;
        result.cause = "undeclared_event";
        return result;
      }
      out.kind = RecordKind::Track;
      out.event = event;
      out.props.assign(b.events[out.event].props.size(), Value());
      dom::element props_el;
      if (obj["properties"].get(props_el) || props_el.type() == dom::element_type::NULL_VALUE) return result;
      if (props_el.type() != dom::element_type::OBJECT)
        return reject("bad_properties", "properties is not an object");
      const auto& pm = props[out.event];
      dom::object fields = props_el.get_object().value_unsafe();
      for (auto [name, value] : fields) {
        int32_t prop = find(pm, name);
        if (prop < 0) {
          ++result.dropped_props;
          continue;
        }
        if (value.type() == dom::element_type::NULL_VALUE) continue;
        std::string msg;
        if (!convert(value, b.events[out.event].props[prop].type, out.props[prop], msg,
                     prop_used[out.event][prop]))
          return reject("wrong_type", "property `" + std::string(name) + "` " + msg);
      }
      return result;
    }
    out.kind = RecordKind::Ignored;
    result.kind = LineKind::Ignored;
    result.cause = "other_type";
    return result;
  }
};

InputParser::InputParser(const ir::Bundle& b, StringPool& strings, SetPool& sets)
    : impl_(std::make_unique<Impl>(b, strings, sets)) {}

void InputParser::set_max_timestamp(int64_t max_ts) { impl_->max_ts = max_ts; }

void InputParser::set_pools(StringPool& strings, SetPool& sets) {
  impl_->strings_ = &strings;
  impl_->sets_ = &sets;
}
InputParser::~InputParser() = default;

LineResult InputParser::parse(std::string_view line, Record& out) { return impl_->parse(line, out); }

}  // namespace seg::rt
