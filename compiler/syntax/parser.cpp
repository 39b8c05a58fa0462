// Parser driver: one declaration at a time, so that an error in one declaration is
// reported once and parsing resumes at the next top-level declaration. Inside a block, a
// broken item is skipped (grammar/recovery.h) and the rest of the declaration still parses.
#include "compiler/syntax/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include <tao/pegtl/contrib/limit_depth.hpp>

#include "compiler/diagnostics/suggest.h"
#include "compiler/syntax/tree_builder.h"

namespace seg {
namespace {

namespace pegtl = tao::pegtl;
namespace g = seg::grammar;
using syntax::Node;

// Nesting limit for parentheses, lists, calls and prefix operators: deep enough for any
// real rule, shallow enough that no recursive pass can run out of stack.
constexpr size_t kMaxDepth = 64;
// limit_depth counts one level more than the nesting a user sees.
constexpr size_t kDepthLimit = kMaxDepth + 1;
constexpr const char* kDepthMessage = "maximum parser rule nesting depth exceeded";

template <typename Rule>
struct depth_action : pegtl::nothing<Rule> {};
template <> struct depth_action<g::paren_expr> : pegtl::limit_depth<kDepthLimit> {};
template <> struct depth_action<g::list_lit> : pegtl::limit_depth<kDepthLimit> {};
template <> struct depth_action<g::call> : pegtl::limit_depth<kDepthLimit> {};
template <> struct depth_action<g::negation> : pegtl::limit_depth<kDepthLimit> {};
template <> struct depth_action<g::logical_not> : pegtl::limit_depth<kDepthLimit> {};
template <> struct depth_action<g::where_not> : pegtl::limit_depth<kDepthLimit> {};

struct skip_rule : pegtl::seq<g::_> {};
// Used after an error to learn which name the broken declaration meant to define.
struct decl_head
    : pegtl::seq<pegtl::sor<g::kw_segment, g::kw_tiers, g::kw_event, g::kw_destination, g::kw_measure>, g::_,
                 g::ident> {};

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The token at `pos`, for "found …" labels and caret width.
Span token_at(std::string_view text, size_t pos) {
  if (pos >= text.size()) return {static_cast<uint32_t>(text.size()), static_cast<uint32_t>(text.size())};
  size_t end = pos;
  if (is_ident_char(text[pos])) {
    while (end < text.size() && is_ident_char(text[end])) ++end;
  } else if (text[pos] == '\n' || text[pos] == '\r') {
    end = pos;  // zero-width at end of line
  } else {
    end = pos + 1;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return {static_cast<uint32_t>(pos), static_cast<uint32_t>(end)};
}

// After an error at `at` in a declaration that began at `decl`: the first line at or after
// the error's line that starts (in column 1) with a top-level keyword, or just after a line
// that is a lone `}` in column 1. Always past `decl`, so parsing makes progress.
bool starts_declaration(std::string_view text, size_t line) {
  static const std::string_view kStarts[] = {"profile", "event", "segment", "tiers",
                                             "destination", "measure", "test", "default_region"};
  for (auto kw : kStarts)
    if (text.substr(line, kw.size()) == kw &&
        (line + kw.size() >= text.size() || !is_ident_char(text[line + kw.size()])))
      return true;
  return false;
}

size_t resync(std::string_view text, size_t decl, size_t at) {
  size_t line = text.rfind('\n', at == 0 ? 0 : at - 1);
  line = line == std::string_view::npos ? 0 : line + 1;
  while (line < text.size()) {
    if (line > decl) {
      if (text[line] == '}') {
        size_t next = text.find('\n', line);
        return next == std::string_view::npos ? text.size() : next + 1;
      }
      if (starts_declaration(text, line)) return line;
    }
    size_t nl = text.find('\n', line);
    if (nl == std::string_view::npos) break;
    line = nl + 1;
  }
  return text.size();
}

// End of the last code character before `at`, skipping whitespace and comments.
size_t previous_code_end(std::string_view text, const std::vector<ast::Comment>& comments, size_t at) {
  size_t p = at;
  while (p > 0) {
    char c = text[p - 1];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      --p;
      continue;
    }
    auto it = std::find_if(comments.begin(), comments.end(),
                           [&](const ast::Comment& cm) { return cm.span.begin < p && p <= cm.span.end; });
    if (it == comments.end()) break;
    p = it->span.begin;
  }
  return p;
}

// The last `open` bracket in [from, to) that is not closed before `to` (strings and
// comments skipped), for "expected `)`" errors; npos when there is none.
size_t unmatched_open(std::string_view text, size_t from, size_t to, char open, char close) {
  std::vector<size_t> stack;
  for (size_t i = from; i < to && i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < to && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '#' || (c == '/' && i + 1 < to && text[i + 1] == '/')) {
      while (i < to && text[i] != '\n') ++i;
    } else if (c == open) {
      stack.push_back(i);
    } else if (c == close && !stack.empty()) {
      stack.pop_back();
    }
  }
  return stack.empty() ? std::string_view::npos : stack.back();
}

// Reports a syntax error at byte `at` in the declaration that began at `decl`.
void report_syntax_error(std::string_view text, FileId id, const std::vector<ast::Comment>& comments,
                         DiagnosticBag& diags, size_t decl, size_t at, const std::string& message) {
  bool depth = message == kDepthMessage;
  Span tok = token_at(text, at);
  // When the token is on a later line than what precedes it, the mistake is at the
  // end of that earlier line ("segment a = ltv >" then a new declaration).
  size_t prev = previous_code_end(text, comments, at);
  bool moved = !depth && prev < at && text.substr(prev, at - prev).find('\n') != std::string_view::npos;
  std::string found_text = tok.begin >= text.size() ? "end of file"
                           : tok.end == tok.begin   ? "end of line"
                                                    : fmt::format("`{}`", text.substr(tok.begin, tok.end - tok.begin));
  if (moved) tok = {static_cast<uint32_t>(prev), static_cast<uint32_t>(prev)};
  auto& d = diags.report(depth ? Code::NestingTooDeep : Code::SyntaxError, id, tok,
                         depth ? fmt::format("expression nested more than {} levels deep", kMaxDepth) : message);
  for (auto [open, close] : {std::pair('(', ')'), std::pair('[', ']')}) {
    if (depth || message.find(std::string("`") + close) == std::string::npos) continue;
    size_t o = unmatched_open(text, decl, at, open, close);
    if (o != std::string_view::npos)
      d.notes.push_back({id, {static_cast<uint32_t>(o), static_cast<uint32_t>(o + 1)},
                         std::string("this `") + open + "` is not closed"});
  }
  if (depth) {
    d.help = "split the condition into named segments";
    return;
  }
  // A misspelt keyword (`exlude`, `destinaton`) is the usual cause: suggest one.
  static const std::vector<std::string> kKeywords = {
      "profile", "event", "segment", "tiers", "destination", "test", "when", "exclude",
      "description", "ttl", "holdout", "salt", "type", "audience", "name", "match",
      "fields", "on", "exit", "remove", "keep", "include", "at", "expect", "ops", "add",
      "update", "from", "default_region", "hash", "within", "where", "since", "between",
      "category", "key", "normalize", "batch", "updates", "latency"};
  Span ftok = token_at(text, at);
  std::string found(text.substr(ftok.begin, ftok.end - ftok.begin));
  if (!found.empty() && is_ident_char(found[0]) &&
      std::find(kKeywords.begin(), kKeywords.end(), found) == kKeywords.end())
    d.help = did_you_mean(found, kKeywords);
  d.label = moved ? "expected here, before " + found_text : "found " + found_text;
}

// The parse state that grammar::block_items hands failed items to: each error is kept
// (reported by parse_file) until the per-file cap, after which the error propagates.
struct Recovery {
  struct Item {
    size_t at;  // the error's byte offset
    std::string message;
    size_t begin, end;  // the skipped text
  };
  const char* base;
  size_t allowed;
  std::vector<Item> items;

  bool recover(const pegtl::parse_error& e, const char* b, const char* end) {
    if (items.size() >= allowed) return false;
    size_t begin = static_cast<size_t>(b - base);
    items.push_back({e.positions().empty() ? begin : e.positions().front().byte, std::string(e.message()),
                     begin, static_cast<size_t>(end - base)});
    return true;
  }
};

// A tier arm's name at the start of skipped text (`gold: …`).
struct arm_head : pegtl::seq<g::ident, pegtl::star<pegtl::blank>, g::arm_colon> {};

// A declaration parsed with items left out: sema must not report the clauses those items
// would have given as missing; a broken arm's name stays quiet; a schema with a broken
// field is still broken (every later check would be noise).
void mark_partial(ast::Decl& d, const Recovery& rec, std::string_view text, ParsedFile& result) {
  switch (d.kind) {
    case ast::DeclKind::Profile:
    case ast::DeclKind::Event: result.schema_broken = true; break;
    case ast::DeclKind::Segment: d.segment->partial = true; break;
    case ast::DeclKind::Destination: d.destination->partial = true; break;
    case ast::DeclKind::DestType: d.dtype->partial = true; break;
    case ast::DeclKind::Measure: d.measure->partial = true; break;
    case ast::DeclKind::Test: d.test->partial = true; break;
    case ast::DeclKind::Tiers:
      d.tiers->partial = true;
      for (const auto& r : rec.items) {
        pegtl::memory_input<> in(text.data() + r.begin, text.data() + r.end, "");
        if (pegtl::parse<arm_head>(in)) {
          std::string_view s(text.data() + r.begin, static_cast<size_t>(in.current() - (text.data() + r.begin)));
          size_t k = 0;
          while (k < s.size() && is_ident_char(s[k])) ++k;
          result.poisoned.insert(d.tiers->name.name + "." + std::string(s.substr(0, k)));
        }
      }
      break;
    case ast::DeclKind::DefaultRegion: break;
  }
}

}  // namespace

size_t find_invalid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return i;
    if (c == 0) return i;  // NUL: binary, not text
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::vector<ast::Comment> scan_comments(std::string_view text) {
  std::vector<ast::Comment> out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
      ++i;
    } else if (c == '#' || (c == '/' && i + 1 < text.size() && text[i + 1] == '/')) {
      size_t end = text.find('\n', i);
      if (end == std::string_view::npos) end = text.size();
      size_t trimmed = end;
      while (trimmed > i && (text[trimmed - 1] == '\r' || text[trimmed - 1] == ' ' ||
                             text[trimmed - 1] == '\t'))
        --trimmed;
      out.push_back({{static_cast<uint32_t>(i), static_cast<uint32_t>(trimmed)},
                     std::string(text.substr(i, trimmed - i))});
      i = end;
    } else {
      ++i;
    }
  }
  return out;
}

ParsedFile parse_file(ast::Ast& ast, const SourceManager& sm, FileId id, DiagnosticBag& diags,
                      const ParseOptions& opt) {
  ParsedFile result;
  result.file = ast.make<ast::File>();
  result.file->id = id;
  const SourceFile& sf = sm.file(id);
  std::string_view text = sf.text();

  // A bundle (`seg build`'s magic) given where sources are expected: say what it is.
  if (text.starts_with(std::string_view("SEGBNDL\0", 8))) {
    auto& d = diags.report(Code::InvalidEncoding, id, {0, 0},
                           "this is a compiled bundle (built by `seg build`), not .seg source text");
    d.help = fmt::format("`seg inspect {}` shows what it holds; `seg run`, `seg test`, `seg explain` and `seg serve` "
                         "take it in place of sources",
                         sf.path());
    d.quote_source = false;
    result.file->has_errors = true;
    return result;
  }
  if (size_t bad = find_invalid_utf8(text); bad != std::string_view::npos) {
    auto& d = diags.report(Code::InvalidEncoding, id, {static_cast<uint32_t>(bad), static_cast<uint32_t>(bad + 1)},
                           text[bad] == '\0'
                               ? fmt::format("a NUL byte at offset {}: this is a binary file, not text", bad)
                               : fmt::format("byte 0x{:02x} at offset {} is not valid UTF-8 text",
                                             static_cast<unsigned char>(text[bad]), bad));
    d.help = "save the file as UTF-8; .seg files are text";
    d.quote_source = text[bad] != '\0';  // a binary file's "line" is noise on a terminal
    result.file->has_errors = true;
    return result;
  }
  result.file->comments = scan_comments(text);

  syntax::TreeBuilder builder(ast, id, text.data(), diags);
  size_t errors = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    pegtl::memory_input<> skip_in(text.data() + pos, text.data() + text.size(), sf.path(), pos, 1, 1);
    (void)pegtl::parse<skip_rule>(skip_in);
    pos = static_cast<size_t>(skip_in.current() - text.data());
    if (pos >= text.size()) break;

    pegtl::memory_input<> in(text.data() + pos, text.data() + text.size(), sf.path(), pos, 1, 1);
    Recovery rec{text.data(), opt.max_errors_per_file - 1 - errors, {}};
    ast::Decl* decl = nullptr;
    std::optional<std::pair<size_t, std::string>> failure;  // where and why the declaration failed
    try {
      auto root = pegtl::parse_tree::parse<g::one_declaration, Node, syntax::selector,
                                           depth_action, g::control>(in, rec);
      if (root && !root->children.empty()) {
        size_t before = diags.error_count();
        decl = builder.declaration(*root->children.front());
        if (decl) result.file->decls.push_back(decl);
        // Invalid literals and over-long chains are syntax-level errors too: the file
        // cannot be formatted faithfully.
        if (diags.error_count() > before) result.file->has_errors = true;
      }
    } catch (const pegtl::parse_error& e) {
      failure.emplace(e.positions().empty() ? pos : e.positions().front().byte, std::string(e.message()));
    }
    // Items that failed inside the declaration's blocks were skipped: report them, and keep
    // sema quiet about what they would have given.
    for (const auto& r : rec.items) report_syntax_error(text, id, result.file->comments, diags, pos, r.at, r.message);
    errors += rec.items.size();
    if (!rec.items.empty()) {
      result.file->has_errors = true;
      if (decl) mark_partial(*decl, rec, text, result);
    }
    if (!failure) {
      pos = static_cast<size_t>(in.current() - text.data());
      continue;
    }
    result.file->has_errors = true;
    size_t at = failure->first;
    report_syntax_error(text, id, result.file->comments, diags, pos, at, failure->second);
    // Remember what the broken declaration defines, to avoid follow-on errors.
    {
      pegtl::memory_input<> again(text.data() + pos, text.data() + text.size(), sf.path(), pos, 1, 1);
      std::string_view rest = text.substr(pos);
      if (rest.starts_with("profile") || rest.starts_with("event")) result.schema_broken = true;
      if (pegtl::parse<decl_head>(again)) {
        std::string_view consumed(text.data() + pos, static_cast<size_t>(again.current() - (text.data() + pos)));
        size_t k = consumed.size();
        while (k > 0 && is_ident_char(consumed[k - 1])) --k;
        result.poisoned.insert(std::string(consumed.substr(k)));
      }
    }
    if (++errors >= opt.max_errors_per_file) {
      size_t next = resync(text, pos, std::max(at, pos));
      if (next < text.size()) {
        auto& note = diags.report(Code::TooManyErrors, id, token_at(text, next),
                                  fmt::format("{} syntax errors in this file: the rest of it was not "
                                              "checked", errors));
        note.help = "fix the errors above and run again";
      }
      break;
    }
    pos = resync(text, pos, std::max(at, pos));
  }
  return result;
}

ast::Expr* parse_expression(ast::Ast& ast, const SourceManager& sm, FileId id,
                            DiagnosticBag& diags) {
  const SourceFile& sf = sm.file(id);
  std::string_view text = sf.text();
  pegtl::memory_input<> in(text.data(), text.data() + text.size(), sf.path());
  syntax::TreeBuilder builder(ast, id, text.data(), diags);
  try {
    auto root = pegtl::parse_tree::parse<pegtl::seq<g::_, g::expr, g::_, pegtl::eof>, Node,
                                         syntax::selector, depth_action, g::control>(in);
    if (!root || root->children.empty()) {
      diags.report(Code::SyntaxError, id, {0, 0}, "expected an expression");
      return nullptr;
    }
    return builder.expr(*root->children.front());
  } catch (const pegtl::parse_error& e) {
    size_t at = e.positions().empty() ? 0 : e.positions().front().byte;
    diags.report(Code::SyntaxError, id, token_at(text, at), std::string(e.message()));
    return nullptr;
  }
}

}  // namespace seg
