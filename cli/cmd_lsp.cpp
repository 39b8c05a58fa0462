// `seg lsp`: the language server on stdin/stdout (compiler/lsp/); logs go to stderr.
#include <unistd.h>

#include <memory>

#include "cli/commands.h"
#include "compiler/lsp/server.h"

namespace seg::cli {

Runner add_lsp(CLI::App& app) {
  struct Opts {
    std::string docs_url;
    int debounce_ms = 150;
  };
  auto o = std::make_shared<Opts>();
  o->docs_url = lsp::default_docs_url();
  CLI::App* sub = app.add_subcommand(
      "lsp",
      "Run the language server (LSP over stdin/stdout) for editors\n"
      "  example: seg lsp --debounce 300   (editors start it; docs/editors.md)");
  sub->add_option("--docs-url", o->docs_url, "Base of the diagnostic code links (docs/diagnostics.md)")
      ->default_str(o->docs_url.empty() ? "none" : o->docs_url);
  sub->add_option("--debounce", o->debounce_ms, "Milliseconds after the last change before diagnostics are published")
      ->default_val(150)
      ->check(CLI::Range(0, 10000));
  return [o]() {
    lsp::Transport io(STDIN_FILENO, STDOUT_FILENO);
    lsp::ServerOptions opt;
    opt.docs_url = o->docs_url;
    opt.debounce = std::chrono::milliseconds(o->debounce_ms);
    lsp::Server server(io, opt);
    return server.run();
  };
}

}  // namespace seg::cli
