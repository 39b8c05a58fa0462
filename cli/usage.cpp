// Usage errors: CLI11's parse errors printed with the one `error: ` prefix, and the
// "did you mean" of an unknown option (the suggestion itself is compiler/diagnostics/
// suggest.h, as for unknown names in rules and unknown verbs).
#include "cli/usage.h"

#include <iostream>

#include "cli/commands.h"
#include "compiler/diagnostics/suggest.h"

namespace seg::cli {
namespace {

std::string undashed(const std::string& s) { return s.rfind("--", 0) == 0 ? s.substr(2) : s; }

// The first `--option` of argv that the verb it is given to does not have, and that
// verb's path (`seg bench run`). Walks down the subcommands named on the line; stops at
// `--`. Empty when every long option is known.
std::string first_unknown_option(const CLI::App& app, int argc, char** argv, const CLI::App*& verb,
                                 std::string& path) {
  verb = &app;
  path = "seg";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") break;
    if (a.size() > 2 && a.rfind("--", 0) == 0) {
      std::string name = a.substr(0, a.find('='));
      if (verb->get_option_no_throw(name) == nullptr) return name;
      continue;
    }
    if (a.empty() || a[0] == '-') continue;
    auto subs = verb->get_subcommands([&a](const CLI::App* s) { return s->get_name() == a; });
    if (!subs.empty()) {
      verb = subs.front();
      path += " " + a;
    }
  }
  return {};
}

}  // namespace

std::string closest_option(const std::string& given, const std::vector<std::string>& candidates) {
  std::vector<std::string> names;
  for (const std::string& c : candidates) names.push_back(undashed(c));
  std::string name = undashed(given);
  if (auto m = closest_match(name, names)) return "--" + *m;
  // `--outdir` for `--out`, `--in` for `--input`: one name starts the other (at least
  // three letters of it), the nearest such by edit distance.
  std::string best;
  size_t best_d = 0;
  for (const std::string& c : names) {
    const std::string& shorter = c.size() < name.size() ? c : name;
    const std::string& longer = c.size() < name.size() ? name : c;
    if (shorter.size() < 3 || longer.compare(0, shorter.size(), shorter) != 0) continue;
    size_t d = edit_distance(name, c);
    if (best.empty() || d < best_d || (d == best_d && c < best)) best = c, best_d = d;
  }
  return best.empty() ? std::string() : "--" + best;
}

int report_parse_error(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
  if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
  const CLI::App* verb = nullptr;
  std::string path;
  std::string unknown = first_unknown_option(app, argc, argv, verb, path);
  if (!unknown.empty()) {
    std::vector<std::string> options;
    for (const CLI::Option* opt : verb->get_options())
      for (const std::string& l : opt->get_lnames()) options.push_back("--" + l);
    std::string near = closest_option(unknown, options);
    std::cerr << kErrorPrefix << "unknown option `" << unknown << "` for `" << path << "`"
              << (near.empty() ? "" : "; did you mean `" + near + "`?") << "\n";
  } else {
    std::cerr << kErrorPrefix << e.what() << "\n";
  }
  std::cerr << "Run `" << path << " --help` for more information.\n";
  return kExitUsage;
}

}  // namespace seg::cli
