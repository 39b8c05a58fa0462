// The canonical layout. Every output line is tied to a source range; comments are
// placed by offset: those before a line's range are written above it, those inside it
// or after it on the same source line are written at its end. Blank lines between
// items are kept (at most one); a top-level declaration is always preceded by one.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/syntax/formatter.h"

namespace seg {
namespace {

constexpr size_t kMaxWidth = 100;
// Lines up the trailing comments of consecutive lines. `marks` are the offsets in `text`
// where a trailing comment begins (kept out of band: any byte may occur in source text).
std::string align_trailing_comments(const std::string& text, const std::vector<size_t>& marks) {
  struct Line {
    size_t begin, end, mark;  // mark: offset of the comment, or npos
  };
  std::vector<Line> lines;
  size_t mi = 0;
  for (size_t start = 0; start < text.size();) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    size_t mark = std::string::npos;
    if (mi < marks.size() && marks[mi] >= start && marks[mi] <= nl) mark = marks[mi++];
    lines.push_back({start, nl, mark});
    start = nl + 1;
  }
  std::string out;
  for (size_t i = 0; i < lines.size();) {
    size_t j = i, col = 0;
    while (j < lines.size() && lines[j].mark != std::string::npos) {
      std::string_view code(text.data() + lines[j].begin, lines[j].mark - lines[j].begin);
      col = std::max<size_t>(col, count_code_points(code));
      ++j;
    }
    if (j == i) {
      out.append(text, lines[i].begin, lines[i].end - lines[i].begin).push_back('\n');
      ++i;
      continue;
    }
    for (; i < j; ++i) {
      const Line& l = lines[i];
      std::string_view code(text.data() + l.begin, l.mark - l.begin);
      out.append(code).append(col - count_code_points(code) + 2, ' ');
      out.append(text, l.mark, l.end - l.mark).push_back('\n');
    }
  }
  return out;
}

std::string pad(const std::string& s, size_t width) {
  return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

class Printer {
 public:
  Printer(const SourceFile& sf, const std::vector<ast::Comment>& comments)
      : sf_(sf), text_(sf.text()), comments_(comments) {}

  std::string finish() {
    flush_comments(0, static_cast<uint32_t>(text_.size()) + 1);
    while (out_.size() > 1 && out_.back() == '\n' && out_[out_.size() - 2] == '\n') out_.pop_back();
    if (!out_.empty() && out_.back() != '\n') out_ += '\n';
    return align_trailing_comments(out_, marks_);
  }

  // A declaration that prints on one line and may join an aligned group with its
  // neighbours (`event a { … }` / `segment b = …` runs, as operators write them).
  // Returns the text before the column that is aligned, or "" when not groupable.
  std::string group_head(const ast::Decl& d) const {
    if (sf_.line_of(d.span.begin) != sf_.line_of(d.span.end)) return "";
    if (d.kind == ast::DeclKind::Event) {
      std::string head = "event " + d.event->name.name;
      return head.size() + event_body(*d.event).size() + 1 <= kMaxWidth ? head : "";
    }
    if (d.kind == ast::DeclKind::Segment && d.segment->short_form) {
      std::string head = "segment " + d.segment->name.name;
      return head.size() + 3 + format_expr(d.segment->when).size() <= kMaxWidth ? head : "";
    }
    return "";
  }
  bool adjacent(const ast::Decl& a, const ast::Decl& b) const {
    return a.kind == b.kind && !blank_between(a.span.end, b.span.begin);
  }

  void grouped(const ast::Decl& d, size_t width, bool first) {
    if (first && !out_.empty()) blank();
    block_start_ = first;
    std::string head = pad(group_head(d), width);
    if (d.kind == ast::DeclKind::Event)
      line(0, d.event->braces ? head + event_body(*d.event) : group_head(d), d.span);
    else
      line(0, head + "= " + format_expr(d.segment->when), d.span);
  }

  void declaration(const ast::Decl& d) {
    if (!out_.empty()) blank();
    block_start_ = true;
    switch (d.kind) {
      case ast::DeclKind::Profile: profile(d); break;
      case ast::DeclKind::Event: event(d); break;
      case ast::DeclKind::Segment: segment(d); break;
      case ast::DeclKind::Tiers: tiers(d); break;
      case ast::DeclKind::Destination: destination(d); break;
      case ast::DeclKind::DestType: dest_type(d); break;
      case ast::DeclKind::Measure: measure(d); break;
      case ast::DeclKind::Test: test(d); break;
      case ast::DeclKind::DefaultRegion:
        line(0, "default_region " + d.region->raw, d.span);
        break;
    }
  }

 private:
  // --- lines and comments -------------------------------------------------------------
  void blank() {
    if (out_.empty() || (out_.size() >= 2 && out_.ends_with("\n\n"))) return;
    out_ += '\n';
  }
  bool blank_between(uint32_t a, uint32_t b) const {
    if (a >= b || b > text_.size()) return false;
    return std::count(text_.begin() + a, text_.begin() + b, '\n') >= 2;
  }
  uint32_t line_end(uint32_t offset) const {
    size_t e = text_.find('\n', offset);
    return static_cast<uint32_t>(e == std::string_view::npos ? text_.size() : e);
  }
  void flush_comments(int indent, uint32_t before) {
    while (ci_ < comments_.size() && comments_[ci_].span.begin < before) {
      const ast::Comment& c = comments_[ci_++];
      if (!block_start_ && blank_between(last_end_, c.span.begin)) blank();
      out_ += std::string(indent, ' ') + c.text + '\n';
      last_end_ = c.span.end;
      block_start_ = false;
    }
  }
  // One output line for the source range `s`.
  void line(int indent, const std::string& text, Span s) {
    flush_comments(indent, s.begin);
    if (!block_start_ && blank_between(last_end_, s.begin)) blank();
    block_start_ = false;
    out_ += std::string(indent, ' ') + text;
    uint32_t eol = line_end(s.end > s.begin ? s.end - 1 : s.begin);
    bool first_trailing = true;
    while (ci_ < comments_.size() && comments_[ci_].span.begin < eol) {
      if (first_trailing) marks_.push_back(out_.size());
      out_ += (first_trailing ? "" : " ") + comments_[ci_].text;
      first_trailing = false;
      last_end_ = comments_[ci_].span.end;
      ++ci_;
    }
    out_ += '\n';
    last_end_ = std::max(last_end_, s.end);
  }
  // The header line of a block: from the declaration's start through its `{`.
  void open(int indent, const std::string& text, uint32_t begin, uint32_t search_from) {
    size_t brace = text_.find('{', search_from);
    uint32_t end = static_cast<uint32_t>(brace == std::string_view::npos ? search_from : brace + 1);
    line(indent, text + " {", {begin, end});
    block_start_ = true;
  }
  void close(int indent, Span decl) {
    flush_comments(indent + 2, decl.end - 1);
    block_start_ = true;  // no blank line before `}`
    line(indent, "}", {decl.end - 1, decl.end});
  }

  bool spans_lines(const ast::Expr* a, const ast::Expr* b) const {
    return sf_.line_of(a->span.begin) != sf_.line_of(b->span.begin);
  }

  // A condition after `prefix`: an and/or chain is broken one operand per line when it is
  // too long for one line or the author already broke it.
  void condition(int indent, const std::string& prefix, const ast::Expr* e, Span s) {
    std::string flat = format_expr(e);
    bool chain = e->kind == ast::ExprKind::Binary &&
                 (e->op == ast::Op::And || e->op == ast::Op::Or);
    if (!chain || (indent + prefix.size() + flat.size() <= kMaxWidth &&
                   !spans_lines(e->args.front(), e->args.back()))) {
      line(indent, prefix + flat, s);
      return;
    }
    // Continuation lines put the operator so that the operands line up under the first.
    std::string op = ast::op_text(e->op);
    int cont = prefix.size() > op.size() + 1 ? indent + static_cast<int>(prefix.size() - op.size() - 1)
                                             : indent + 2;
    line(indent, prefix + format_expr(e->args[0]), {s.begin, e->args[0]->span.end});
    for (size_t i = 1; i < e->args.size(); ++i)
      line(cont, op + " " + format_expr(e->args[i]), e->args[i]->span);
  }

  static std::string join(const std::vector<ast::Ident>& v) {
    std::string out;
    for (const auto& i : v) out += (out.empty() ? "" : ", ") + i.name;
    return out;
  }
  static std::string field_text(const ast::Field& f) {
    std::string out = f.name.name + ": " + f.type;
    for (const auto& a : f.annotations) out += " @" + a.name;
    return out;
  }
  static std::string holdout_text(const ast::Holdout& h) {
    return "holdout " + h.percent_text + (h.salt ? " salt " + h.salt_raw : "");
  }

  // --- declarations ---------------------------------------------------------------------
  void profile(const ast::Decl& d) {
    open(0, "profile", d.span.begin, d.span.begin);
    size_t name_w = 0, type_w = 8;  // `duration`, the longest scalar type
    for (const auto& f : d.profile->fields) {
      name_w = std::max(name_w, f.name.name.size() + 1);
      if (!f.annotations.empty()) type_w = std::max(type_w, f.type.size());
    }
    for (const auto& f : d.profile->fields) {
      std::string t = pad(f.name.name + ":", name_w + 1) + f.type;
      if (!f.annotations.empty()) {
        t = pad(f.name.name + ":", name_w + 1) + pad(f.type, type_w + 1);
        for (size_t i = 0; i < f.annotations.size(); ++i) t += (i ? " @" : "@") + f.annotations[i].name;
      }
      line(2, t, f.span);
    }
    close(0, d.span);
  }

  static std::string event_body(const ast::EventDecl& e) {
    if (!e.braces) return "";
    std::string flat = "{";
    for (size_t i = 0; i < e.props.size(); ++i) flat += (i ? ", " : " ") + field_text(e.props[i]);
    return flat + (e.props.empty() ? "}" : " }");
  }

  void event(const ast::Decl& d) {
    const ast::EventDecl& e = *d.event;
    std::string head = "event " + e.name.name;
    std::string flat = e.braces ? head + " " + event_body(e) : head;
    bool multiline = sf_.line_of(d.span.begin) != sf_.line_of(d.span.end);
    if (!multiline && flat.size() <= kMaxWidth) {
      line(0, flat, d.span);
      return;
    }
    open(0, head, d.span.begin, e.name.span.end);
    for (const auto& p : e.props) line(2, field_text(p), p.span);
    close(0, d.span);
  }

  void segment(const ast::Decl& d) {
    const ast::SegmentDecl& s = *d.segment;
    if (s.short_form) {
      condition(0, "segment " + s.name.name + " = ", s.when, d.span);
      return;
    }
    open(0, "segment " + s.name.name, d.span.begin, s.name.span.end);
    for (const auto& c : s.clauses) {
      switch (c.kind) {
        case 0: line(2, "description " + c.raw, c.span); break;
        case 1: condition(2, "when ", c.expr, c.span); break;
        case 2: line(2, "exclude " + join(c.idents), c.span); break;
        case 3: line(2, "ttl " + c.expr->text, c.span); break;
        case 4: line(2, holdout_text(*c.holdout), c.span); break;
      }
    }
    close(0, d.span);
  }

  void tiers(const ast::Decl& d) {
    const ast::TiersDecl& t = *d.tiers;
    std::string head = "tiers " + t.name.name + (t.from ? " from " + t.from->name : "");
    open(0, head, d.span.begin, t.from ? t.from->span.end : t.name.span.end);
    size_t w = 0;
    for (const auto& a : t.arms) w = std::max(w, a.name.name.size() + 1);
    for (const auto& item : t.items) {
      if (item.kind == 0) {
        const ast::TierArm& a = t.arms[item.arm];
        std::string prefix = pad(a.name.name + ":", w + 1);
        if (a.cond)
          condition(2, prefix, a.cond, a.span);
        else
          line(2, prefix + "else", a.span);
      } else if (item.kind == 1) {
        line(2, holdout_text(*item.holdout), item.span);
      } else {
        line(2, "ttl " + item.ttl->text, item.span);
      }
    }
    close(0, d.span);
  }

  void destination(const ast::Decl& d) {
    const ast::DestinationDecl& x = *d.destination;
    open(0, "destination " + x.name.name, d.span.begin, x.name.span.end);
    for (const ast::DestItem& item : x.items) {
      auto kw = [](const char* k) { return pad(k, 9); };
      switch (item.kind) {
        case ast::DestItemKind::Type: line(2, kw("type") + item.type->name, item.span); break;
        case ast::DestItemKind::Audience: {
          std::string list;
          for (const auto& a : item.audiences) list += (list.empty() ? "" : ", ") + a.text();
          line(2, kw("audience") + list, item.span);
          break;
        }
        case ast::DestItemKind::Name: line(2, kw("name") + item.name_raw, item.span); break;
        case ast::DestItemKind::Match: {
          std::string list;
          for (const auto& m : item.match)
            list += (list.empty() ? "" : ", ") + m.key.name + (m.hash ? " hash " + m.hash->name : "");
          line(2, kw("match") + list, item.span);
          break;
        }
        case ast::DestItemKind::Fields: {
          std::string list;
          for (const auto& t : item.field_texts) list += (list.empty() ? "" : ", ") + t;
          line(2, kw("fields") + list, item.span);
          break;
        }
        case ast::DestItemKind::OnExit:
          line(2, kw("on exit") + (item.keep ? "keep" : "remove"), item.span);
          break;
        case ast::DestItemKind::Include: line(2, kw("include") + "holdout", item.span); break;
        case ast::DestItemKind::Drift: {
          std::string s = "drift";
          if (!item.drift.warn_text.empty()) s += " warn " + item.drift.warn_text;
          if (!item.drift.fail_text.empty()) s += " fail " + item.drift.fail_text;
          line(2, s, item.span);
          break;
        }
        case ast::DestItemKind::Labels: {
          std::string list;
          for (const auto& l : item.labels) list += (list.empty() ? " " : ", ") + l.key.name + ": " + l.raw;
          line(2, kw("labels") + "{" + list + (list.empty() ? "}" : " }"), item.span);
          break;
        }
      }
    }
    close(0, d.span);
  }

  void measure(const ast::Decl& d) {
    const ast::MeasureDecl& m = *d.measure;
    open(0, "measure " + m.name.name, d.span.begin, m.name.span.end);
    auto kw = [](const char* k) { return pad(k, 9); };
    for (const auto& c : m.clauses) {
      switch (c.kind) {
        case 0: line(2, kw("audience") + c.text, c.span); break;
        case 1: {
          std::string s = kw("converts") + c.event->name;
          if (c.where) s += " where " + format_expr(c.where);
          if (c.within) s += " within " + c.within->text;
          line(2, s, c.span);
          break;
        }
        case 2: line(2, kw("value") + c.text, c.span); break;
        case 3: line(2, "description " + c.text, c.span); break;
      }
    }
    close(0, d.span);
  }

  void dest_type(const ast::Decl& d) {
    const ast::DestTypeDecl& t = *d.dtype;
    open(0, "destination type " + t.name.name, d.span.begin, t.name.span.end);
    auto kw = [](const char* k) { return pad(k, 12); };
    for (const ast::DTypeItem& item : t.items) {
      switch (item.kind) {
        case ast::DTypeItemKind::Category: line(2, kw("category") + item.category->name, item.span); break;
        case ast::DTypeItemKind::Key: {
          const ast::DTypeKey& k = t.keys[item.index];
          std::string s = kw("key") + k.key.name;
          if (k.normalize) s += " normalize " + k.normalize->name;
          if (k.hash) s += " hash " + k.hash->name;
          line(2, s, item.span);
          break;
        }
        case ast::DTypeItemKind::Fields: line(2, kw("fields") + item.raw, item.span); break;
        case ast::DTypeItemKind::Batch: line(2, kw("batch") + item.raw, item.span); break;
        case ast::DTypeItemKind::Updates:
          line(2, kw("updates") + (item.flag ? "true" : "false"), item.span);
          break;
        case ast::DTypeItemKind::Latency: line(2, kw("latency") + item.latency->text, item.span); break;
        case ast::DTypeItemKind::Description:
          line(2, kw("description") + item.raw, item.span);
          break;
      }
    }
    close(0, d.span);
  }

  static std::string entries(const ast::TestStep& st) {
    if (st.entries.empty()) return "{}";
    std::string out = "{ ";
    for (size_t i = 0; i < st.entries.size(); ++i)
      out += (i ? ", " : "") + st.entries[i].name.name + ": " + format_expr(st.entries[i].value);
    return out + " }";
  }

  std::string step_text(const ast::TestStep& st) {
    switch (st.kind) {
      // fmt rather than `+` chains: GCC 12 -O3 warns falsely (-Wrestrict) on the latter.
      case ast::StepKind::Profile: return fmt::format("profile {} {}", st.profile.raw, entries(st));
      case ast::StepKind::At: return fmt::format("at {}", st.time->text);
      case ast::StepKind::Event: {
        std::string out = fmt::format("event {} {}", st.profile.raw, st.name.name);
        if (st.has_obj) out.append(" ").append(entries(st));
        return out;
      }
      case ast::StepKind::ExpectIn:
        return fmt::format("expect {} {} {}", st.profile.raw, st.negated ? "not in" : "in",
                           st.audience.text());
      case ast::StepKind::ExpectOps: return fmt::format("expect ops {}", st.name.name);
    }
    return "";
  }

  void test(const ast::Decl& d) {
    const ast::TestDecl& t = *d.test;
    open(0, "test " + t.name_raw, d.span.begin, t.name_span.end);
    for (size_t i = 0; i < t.steps.size(); ++i) {
      const ast::TestStep& st = t.steps[i];
      if (st.kind == ast::StepKind::ExpectOps && st.ops.empty()) {
        line(2, step_text(st) + " {}", st.span);
        continue;
      }
      if (st.kind == ast::StepKind::ExpectOps) {
        open(2, step_text(st), st.span.begin, st.name.span.end);
        for (const ast::ExpectedOp& op : st.ops)
          line(4, pad(op.op, 7) + op.profile.raw + (op.at ? " at " + (*op.at)->text : ""), op.span);
        close(2, st.span);
        continue;
      }
      // `at T` and a step that follows it on the same source line stay together.
      if (st.kind == ast::StepKind::At && i + 1 < t.steps.size() &&
          t.steps[i + 1].kind != ast::StepKind::ExpectOps &&
          sf_.line_of(st.span.end) == sf_.line_of(t.steps[i + 1].span.begin)) {
        const ast::TestStep& next = t.steps[++i];
        line(2, step_text(st) + " " + step_text(next), {st.span.begin, next.span.end});
        continue;
      }
      line(2, step_text(st), st.span);
    }
    close(0, d.span);
  }

  const SourceFile& sf_;
  std::string_view text_;
  const std::vector<ast::Comment>& comments_;
  size_t ci_ = 0;
  uint32_t last_end_ = 0;
  bool block_start_ = true;
  std::string out_;
  std::vector<size_t> marks_;  // where trailing comments start in out_
};

}  // namespace

std::string format_file(const SourceFile& source, const ast::File& file) {
  Printer p(source, file.comments);
  const auto& ds = file.decls;
  for (size_t i = 0; i < ds.size();) {
    size_t j = i + 1;
    size_t width = p.group_head(*ds[i]).size();
    if (width > 0) {
      while (j < ds.size() && p.adjacent(*ds[j - 1], *ds[j]) && !p.group_head(*ds[j]).empty()) {
        width = std::max(width, p.group_head(*ds[j]).size());
        ++j;
      }
    }
    if (j - i == 1) {
      p.declaration(*ds[i]);
    } else {
      for (size_t k = i; k < j; ++k) p.grouped(*ds[k], width + 1, k == i);
    }
    i = j;
  }
  return p.finish();
}

}  // namespace seg
