#pragma once
// `seg lsp`: the language server's loop. Reads JSON-RPC messages, keeps the documents,
// answers requests from the analysis of each document's folder, and publishes the
// diagnostics of a folder 150 ms after its last change (debounced: typing does not
// re-run the compiler on every key).
#include <chrono>
#include <map>
#include <set>
#include <string>

#include "compiler/lsp/features.h"
#include "compiler/lsp/transport.h"
#include "compiler/lsp/workspace.h"

namespace seg::lsp {

struct ServerOptions {
  std::chrono::milliseconds debounce{150};
  // Base of the `codeDescription` links; the client's `initializationOptions.docsUrl`
  // overrides it. "" leaves the links out.
  std::string docs_url;
};

// file:// URI of docs/diagnostics.md in the source tree this binary was built from, or
// "" when that file is not there.
std::string default_docs_url();

class Server {
 public:
  Server(Transport& io, ServerOptions opt) : io_(io), opt_(std::move(opt)) {}
  // Runs until `exit` or the end of input: 0 after `shutdown` then `exit`, 1 otherwise
  // (as the protocol says).
  int run();

 private:
  void handle(const Json& message);
  Json request(const std::string& method, const Json& params, std::optional<RequestError>& error);
  void notification(const std::string& method, const Json& params);
  void publish(const std::string& folder);
  void publish_due();
  FileView view(const Json& params);
  void log(const std::string& line);

  Transport& io_;
  ServerOptions opt_;
  Workspace ws_;
  std::map<std::string, std::chrono::steady_clock::time_point> due_;  // folder -> when to publish
  std::map<std::string, std::set<std::string>> published_;            // folder -> URIs with diagnostics
  std::set<std::string> shown_;                                       // messages already shown
  bool initialized_ = false, shutdown_ = false, exit_ = false;
};

}  // namespace seg::lsp
