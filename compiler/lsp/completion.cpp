// Completion (features.h). The context comes from the text before the cursor (the file
// is usually half typed, so it rarely parses there): the enclosing block, the line's
// first words, a `.` after a name or `last(E)`, a `where` clause. The names come from
// the current program, or the last good one while the schema does not parse.
#include <fmt/format.h>

#include <cctype>
#include <set>

#include "compiler/lsp/features.h"

namespace seg::lsp {
namespace {

// CompletionItemKind
constexpr int kFunction = 3, kField = 5, kVariable = 6, kClass = 7, kProperty = 10, kValue = 12, kEnum = 13,
              kKeyword = 14, kEnumMember = 20, kEvent = 23, kInterface = 8;

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !ident_char(s[i]) && s[i] != '@') ++i;
    size_t j = i;
    while (j < s.size() && (ident_char(s[j]) || (j == i && s[j] == '@'))) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string trim(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string_view::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(a, b - a + 1));
}

// The braces open at the cursor (innermost last), each with the first words of its
// header line, skipping strings and comments; and where the current top-level
// declaration starts.
struct Context {
  std::vector<std::vector<std::string>> blocks;
  std::vector<size_t> block_open;  // offset of each `{`
  size_t statement = 0;            // start of the current top-level declaration
};

Context scan(std::string_view text) {
  Context cx;
  size_t line_start = 0;
  bool line_has_code = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      line_start = i + 1;
      line_has_code = false;
      continue;
    }
    if (c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/')) {
      while (i < text.size() && text[i] != '\n') ++i;
      --i;
      continue;
    }
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
      continue;
    }
    if (!line_has_code && c != ' ' && c != '\t' && c != '\r') {
      line_has_code = true;
      if (cx.blocks.empty()) {
        auto w = words(text.substr(i, 20));
        static const std::set<std::string> kTop = {"profile", "event", "segment", "tiers",
                                                   "destination", "test", "default_region"};
        if (!w.empty() && kTop.count(w[0])) cx.statement = line_start;
      }
    }
    if (c == '{') {
      cx.blocks.push_back(words(text.substr(line_start, i - line_start)));
      cx.block_open.push_back(i);
    } else if (c == '}' && !cx.blocks.empty()) {
      cx.blocks.pop_back();
      cx.block_open.pop_back();
      if (cx.blocks.empty()) cx.statement = i + 1;  // a block declaration ends with its `}`
    }
  }
  return cx;
}

class Items {
 public:
  void add(const std::string& label, int kind, const std::string& detail = "", const std::string& doc = "",
           const std::string& insert = "") {
    if (!seen_.insert(label).second) return;
    Json j = {{"label", label}, {"kind", kind}};
    if (!detail.empty()) j["detail"] = detail;
    if (!doc.empty()) j["documentation"] = {{"kind", "markdown"}, {"value", doc}};
    if (!insert.empty()) {
      j["insertText"] = insert;
      j["insertTextFormat"] = 2;  // snippet
    }
    items_.push_back(std::move(j));
  }
  void keywords(std::initializer_list<const char*> ks) {
    for (const char* k : ks) add(k, kKeyword);
  }
  Json result() const { return {{"isIncomplete", false}, {"items", items_}}; }

 private:
  std::set<std::string> seen_;
  Json items_ = Json::array();
};

void event_props(Items& out, const sema::Program* p, const std::string& event, bool with_time) {
  if (!p) return;
  auto e = p->events.find(event);
  if (e == p->events.end()) return;
  for (const auto& [name, type] : e->second.props)
    out.add(name, kProperty, sema::type_kind_name(type), fmt::format("property of event `{}`", event));
  if (with_time) out.add("time", kProperty, "time", "the event's timestamp");
}

void segments(Items& out, const sema::Program* p) {
  if (!p) return;
  for (const auto& [name, s] : p->segments)
    out.add(name, kVariable, "segment", s->description ? *s->description : "");
}

void audiences(Items& out, const sema::Program* p) {
  segments(out, p);
  if (!p) return;
  for (const auto& [name, t] : p->tiers) out.add(name, kEnum, "tiers (every arm)");
}

void attributes(Items& out, const sema::Program* p) {
  if (!p) return;
  for (const auto& [name, a] : p->attributes) out.add(name, kField, a.field->type, "profile attribute");
}

// Names and keywords of a condition; `where_event`: inside `E where …`.
void expression(Items& out, const sema::Program* p, const std::string& where_event) {
  if (!where_event.empty()) {
    event_props(out, p, where_event, false);
    out.add("profile", kKeyword, "", "`profile.NAME`: a profile attribute inside `where`");
  } else {
    attributes(out, p);
    audiences(out, p);
    if (p)
      for (const auto& [name, e] : p->events) out.add(name, kEvent, "event");
    out.add("id", kField, "string", "the profile key");
  }
  for (const builtins::FunctionInfo& f : builtins::kFunctions)
    out.add(std::string(f.name), kFunction, builtin_signature(f), std::string(f.description),
            std::string(f.name) + "($1)");
  out.keywords({"and", "or", "not", "in", "between", "where", "within", "since", "matches", "now", "true", "false"});
}

// The event a `where` at the end of `s` filters, when the cursor is inside its condition.
std::string where_event(std::string_view s) {
  size_t at = std::string_view::npos;
  for (size_t i = s.size(); i-- > 0;) {
    if (s.compare(i, 5, "where") == 0 && (i == 0 || !ident_char(s[i - 1])) &&
        (i + 5 >= s.size() || !ident_char(s[i + 5]))) {
      at = i;
      break;
    }
  }
  if (at == std::string_view::npos) return "";
  std::string_view after = s.substr(at + 5);
  int depth = 0;
  bool opened = false;
  for (size_t i = 0; i < after.size(); ++i) {
    if (after[i] == '(') depth++, opened = opened || trim(after.substr(0, i)).empty();
    if (after[i] == ')' && --depth < 0) return "";
  }
  auto w = words(after);
  for (const std::string& x : w)
    if (x == "within" || x == "since" || (!opened && (x == "and" || x == "or"))) return "";
  if (opened && depth == 0) return "";
  auto before = words(s.substr(0, at));
  return before.empty() ? "" : before.back();
}

void destination_settings(Items& out) {
  out.add("type", kKeyword, "type NAME", "the destination type (from the standard library or a `destination type`)");
  out.add("audience", kKeyword, "audience A, B", "the audiences sent: segments, tiers blocks or arms (ads: exactly one)");
  out.add("name", kKeyword, "name \"…\"", "the audience's name downstream (default: the destination's own name)");
  out.add("match", kKeyword, "match K, …", "the identifiers sent (`@id` attributes, `id`); ads must have one");
  out.add("fields", kKeyword, "fields A, …", "extra attributes sent with each op (not on ads)");
  out.add("on exit", kKeyword, "on exit remove|keep", "what an exit sends (remove is the default)", "on exit ${1|remove,keep|}");
  out.add("include holdout", kKeyword, "include holdout", "also send holdout members, flagged (not on ads)");
}

}  // namespace

Json completion(const FileView& v, std::string_view text, uint32_t offset) {
  Items out;
  const sema::Program* p = v.names();
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  std::string_view before_cursor = text.substr(0, offset);
  size_t word_start = offset;
  while (word_start > 0 && ident_char(text[word_start - 1])) --word_start;
  size_t line_start = before_cursor.rfind('\n', word_start == 0 ? 0 : word_start - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  if (word_start == 0) line_start = 0;
  std::string_view line = text.substr(line_start, word_start - line_start);  // without the partial word
  // Inside a comment or a string: nothing.
  {
    bool in_string = false;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '"') in_string = !in_string;
      else if (line[i] == '\\' && in_string) ++i;
      else if (!in_string && (line[i] == '#' || (line[i] == '/' && i + 1 < line.size() && line[i + 1] == '/')))
        return out.result();
    }
    if (in_string) return out.result();
  }
  Context cx = scan(text.substr(0, word_start));
  auto lw = words(line);
  std::string block = cx.blocks.empty() ? "" : cx.blocks.back().empty() ? "?" : cx.blocks.back()[0];
  std::string statement(text.substr(cx.block_open.empty() ? cx.statement : cx.block_open.back() + 1,
                                    word_start - (cx.block_open.empty() ? cx.statement : cx.block_open.back() + 1)));

  // After `.`: properties of an event value, arms of a tiers block, profile attributes.
  if (word_start > 0 && text[word_start - 1] == '.') {
    size_t end = word_start - 1;
    while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
    if (end > 0 && text[end - 1] == ')') {
      int depth = 0;
      size_t i = end;
      while (i-- > 0) {
        if (text[i] == ')') ++depth;
        else if (text[i] == '(' && --depth == 0) break;
      }
      if (i < end) {
        size_t f = i;
        while (f > 0 && ident_char(text[f - 1])) --f;
        std::string fn(text.substr(f, i - f));
        auto inner = words(text.substr(i + 1, end - i - 2));
        if ((fn == "last" || fn == "first") && !inner.empty()) event_props(out, p, inner[0], true);
      }
    } else {
      size_t b = end;
      while (b > 0 && ident_char(text[b - 1])) --b;
      std::string base(text.substr(b, end - b));
      if (base == "profile") attributes(out, p);
      else if (p && p->tiers.count(base))
        for (const auto& [arm, decl] : p->tiers.at(base).arms) out.add(arm, kEnumMember, "arm of " + base);
      else event_props(out, p, base, false);
    }
    return out.result();
  }

  bool line_start_pos = lw.empty();
  if (block.empty()) {
    auto sw = words(statement);
    bool short_segment = !sw.empty() && sw[0] == "segment" && statement.find('=') != std::string::npos;
    if (line_start_pos && short_segment) expression(out, p, "");  // a condition may go on
    if (line_start_pos && (trim(statement).empty() || short_segment)) {
      out.add("profile", kKeyword, "schema", "the profile attributes", "profile {\n  $1\n}");
      out.add("event", kKeyword, "schema", "an event and its properties", "event ${1:name} { $2 }");
      out.add("segment", kKeyword, "audience", "a segment", "segment ${1:name} = $2");
      out.add("tiers", kKeyword, "audience", "ordered, mutually exclusive arms", "tiers ${1:name} {\n  $2\n}");
      out.add("destination", kKeyword, "output", "where an audience is sent", "destination ${1:name} {\n  type $2\n}");
      out.add("test", kKeyword, "test", "a scenario for `seg test`", "test \"$1\" {\n  $2\n}");
      out.add("default_region", kKeyword, "setting", "the region of phone numbers written without `+`");
      return out.result();
    }
    if (sw.size() >= 3 && sw[0] == "tiers" && sw.back() == "from" && lw.size() >= 3) segments(out, p);
    else if (short_segment) expression(out, p, where_event(statement));
    else if (sw.size() >= 2 && sw[0] == "tiers" && lw.size() == 2) out.keywords({"from"});
    return out.result();
  }

  const auto& header = cx.blocks.back();
  bool nested_in_test = cx.blocks.size() >= 2 && !cx.blocks[cx.blocks.size() - 2].empty() &&
                        cx.blocks[cx.blocks.size() - 2][0] == "test";
  if (nested_in_test) {
    if (block == "profile") {
      if (line_start_pos || line.back() == ',' || trim(line).back() == ',') attributes(out, p);
    } else if (block == "event" && header.size() >= 3) {
      event_props(out, p, header[2], false);
    } else if (block == "expect") {
      out.keywords({"add", "remove", "update"});
    }
    return out.result();
  }
  if (block == "profile" || block == "event") {
    std::string t = trim(line);
    if (!t.empty() && t.back() == ':') {
      for (const char* ty : {"bool", "int", "number", "string", "time", "duration", "set<string>"}) out.add(ty, kClass, "type");
    } else if (word_start > 0 && text[word_start - 1] == '@') {
      out.add("id", kKeyword, "@id", "a match key destinations may send");
      out.add("pii", kKeyword, "@pii", "personal data (lint SEG104)");
    }
    return out.result();
  }
  if (block == "segment") {
    if (line_start_pos) {
      for (const char* k : {"description", "when", "exclude", "ttl", "holdout"}) out.add(k, kKeyword, "clause");
      expression(out, p, "");  // a `when` continued on this line
      return out.result();
    }
    if (lw[0] == "exclude") segments(out, p);
    else if (lw[0] == "holdout") out.keywords({"salt"});
    else if (lw[0] != "description" && lw[0] != "ttl") expression(out, p, where_event(statement));
    return out.result();
  }
  if (block == "tiers") {
    if (line_start_pos) {
      out.keywords({"holdout"});
      return out.result();
    }
    std::string t = trim(line);
    if (t.find(':') != std::string::npos) {
      if (t.back() == ':') out.keywords({"else"});
      size_t colon = statement.rfind(':');
      expression(out, p, where_event(statement.substr(colon == std::string::npos ? 0 : colon + 1)));
    }
    return out.result();
  }
  if (block == "destination" && header.size() >= 2 && header[1] == "type") {
    if (line_start_pos)
      for (const char* k : {"description", "category", "key", "fields", "batch", "updates", "latency"}) out.add(k, kKeyword, "setting");
    else if (lw[0] == "category") out.keywords({"ads", "warehouse", "analytics", "webhook"});
    else if (lw.back() == "normalize") out.keywords({"email", "email_google", "phone_digits", "e164", "none"});
    else if (lw.back() == "hash") out.keywords({"sha256", "optional", "none"});
    else if (lw[0] == "key" && lw.size() >= 2) out.keywords({"normalize", "hash"});
    else if (lw[0] == "updates") out.keywords({"true", "false"});
    return out.result();
  }
  if (block == "destination") {
    if (line_start_pos) {
      destination_settings(out);
      return out.result();
    }
    if (lw[0] == "type" && lw.size() == 1) {
      if (p)
        for (const auto& [name, t] : p->dest_types)
          out.add(name, kInterface, t.category,
                  t.decl->description ? *t.decl->description : std::string(t.builtin ? "standard library" : ""));
    } else if (lw[0] == "audience") {
      audiences(out, p);
    } else if (lw[0] == "match") {
      if (lw.back() == "hash") {
        out.keywords({"sha256"});
        return out.result();
      }
      // The keys the block's type accepts.
      std::string block_text(text.substr(cx.block_open.back() + 1));
      auto bw = words(block_text);
      std::string type;
      for (size_t i = 0; i + 1 < bw.size(); ++i)
        if (bw[i] == "type") { type = bw[i + 1]; break; }
      const sema::DestType* dt = p && p->dest_types.count(type) ? &p->dest_types.at(type) : nullptr;
      bool any = !dt;
      if (dt)
        for (const ast::DTypeKey& k : dt->decl->keys) {
          if (k.key.name == "any") any = true;
          else out.add(k.key.name, kField, "match key of " + type,
                       fmt::format("normalize {}, hash {}", k.normalize ? k.normalize->name : "none",
                                   k.hash ? k.hash->name : "none"));
        }
      if (any) {
        out.add("id", kField, "the profile key");
        if (p)
          for (const auto& [name, a] : p->attributes)
            if (a.is_id) out.add(name, kField, "@id attribute");
      }
      if (lw.size() >= 2 && line.find(',') == std::string_view::npos) out.keywords({"hash"});
    } else if (lw[0] == "fields") {
      attributes(out, p);
    } else if (lw[0] == "on") {
      if (lw.size() == 1) out.keywords({"exit"});
      else out.keywords({"remove", "keep"});
    } else if (lw[0] == "include") {
      out.keywords({"holdout"});
    }
    return out.result();
  }
  if (block == "test") {
    if (line_start_pos) {
      for (const char* k : {"profile", "at", "event", "expect"}) out.add(k, kKeyword, "step");
    } else if (lw[0] == "event" && lw.size() == 2) {
      if (p)
        for (const auto& [name, e] : p->events) out.add(name, kEvent, "event");
    } else if (lw[0] == "at" && line.back() == ' ') {
      out.keywords({"event", "expect"});
    } else if (lw[0] == "expect") {
      if (lw.size() == 1) out.keywords({"ops"});
      else if (lw[1] == "ops") {
        if (p)
          for (const auto& [name, d] : p->destinations) out.add(name, kValue, "destination");
      } else if (lw.back() == "in") {
        audiences(out, p);
      } else if (lw.size() == 2) {
        out.keywords({"in", "not"});
      } else if (lw.back() == "not") {
        out.keywords({"in"});
      }
    }
    return out.result();
  }
  return out.result();
}

}  // namespace seg::lsp
