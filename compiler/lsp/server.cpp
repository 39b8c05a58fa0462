// The language server's loop and dispatch (server.h).
#include "compiler/lsp/server.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace seg::lsp {
namespace {

constexpr int kParseError = -32700, kInvalidRequest = -32600, kMethodNotFound = -32601,
              kInternalError = -32603, kServerNotInitialized = -32002;

Json capabilities() {
  return {
      {"positionEncoding", "utf-16"},
      {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
      {"hoverProvider", true},
      {"definitionProvider", true},
      {"referencesProvider", true},
      {"renameProvider", {{"prepareProvider", true}}},
      {"documentSymbolProvider", true},
      {"documentFormattingProvider", true},
      {"completionProvider", {{"triggerCharacters", {".", "@"}}}},
      {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}},
  };
}

std::string uri_param(const Json& params) {
  if (!params.is_object() || !params.contains("textDocument")) return "";
  const Json& td = params["textDocument"];
  return td.is_object() && td.contains("uri") && td["uri"].is_string() ? td["uri"].get<std::string>() : "";
}

}  // namespace

std::string default_docs_url() {
  std::error_code ec;
  std::string path = std::string(SEG_SOURCE_TREE) + "/docs/diagnostics.md";
  return std::filesystem::exists(path, ec) ? path_to_uri(path) : "";
}

void Server::log(const std::string& line) { std::cerr << "seg lsp: " << line << std::endl; }

int Server::run() {
  using clock = std::chrono::steady_clock;
  while (!exit_) {
    auto wait = std::chrono::milliseconds(60000);
    if (!due_.empty()) {
      auto first = due_.begin()->second;
      for (const auto& [f, t] : due_) first = std::min(first, t);
      wait = std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(first - clock::now()));
    }
    Json message;
    std::string error;
    switch (io_.read(message, wait, error)) {
      case Transport::Status::Message: handle(message); break;
      case Transport::Status::Malformed:
        log(error);
        io_.write({{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", kParseError}, {"message", error}}}});
        break;
      case Transport::Status::Timeout: break;
      case Transport::Status::Closed: return shutdown_ ? 0 : 1;
    }
    publish_due();
  }
  return shutdown_ ? 0 : 1;
}

void Server::handle(const Json& message) {
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    if (message.is_object() && message.contains("id") && !message.contains("method")) return;  // a response to us
    io_.write({{"jsonrpc", "2.0"},
               {"id", message.is_object() && message.contains("id") ? message["id"] : Json(nullptr)},
               {"error", {{"code", kInvalidRequest}, {"message", "not a JSON-RPC request or notification"}}}});
    return;
  }
  std::string method = message["method"];
  Json params = message.value("params", Json::object());
  if (!message.contains("id")) {
    try {
      notification(method, params);
    } catch (const std::exception& e) {
      log(fmt::format("{} failed: {}", method, e.what()));
    }
    return;
  }
  std::optional<RequestError> error;
  Json result;
  if (!initialized_ && method != "initialize") {
    error = RequestError{kServerNotInitialized, "the server is not initialized"};
  } else if (shutdown_) {
    error = RequestError{kInvalidRequest, "the server is shutting down"};
  } else {
    try {
      result = request(method, params, error);
    } catch (const std::exception& e) {
      // A bug must not take the editor's server down: answer with the error, carry on.
      log(fmt::format("{} failed: {}", method, e.what()));
      error = RequestError{kInternalError, fmt::format("{} failed: {}", method, e.what())};
    }
  }
  Json reply = {{"jsonrpc", "2.0"}, {"id", message["id"]}};
  if (error) reply["error"] = {{"code", error->code}, {"message", error->message}};
  else reply["result"] = result;
  io_.write(reply);
}

FileView Server::view(const Json& params) {
  FileView v;
  std::string uri = uri_param(params);
  v.path = Workspace::path_of(uri);
  std::string folder = Workspace::folder_of(v.path);
  v.now = ws_.analysis(folder);
  v.good = ws_.last_good(folder);
  v.source = v.now->file(v.path, &v.id);
  v.docs_url = opt_.docs_url;
  return v;
}

Json Server::request(const std::string& method, const Json& params, std::optional<RequestError>& error) {
  if (method == "initialize") {
    initialized_ = true;
    if (params.contains("initializationOptions") && params["initializationOptions"].is_object()) {
      const Json& o = params["initializationOptions"];
      if (o.contains("docsUrl") && o["docsUrl"].is_string()) opt_.docs_url = o["docsUrl"];
    }
    return {{"capabilities", capabilities()}, {"serverInfo", {{"name", "seg"}, {"version", "0.1.0"}}}};
  }
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  auto offset = [&](const FileView& v) -> uint32_t {
    if (!v.source) return 0;
    return LineIndex(v.source->text()).offset(position_from_json(params.value("position", Json::object())));
  };
  if (method == "textDocument/hover") {
    FileView v = view(params);
    return v.source ? hover(v, offset(v)) : Json(nullptr);
  }
  if (method == "textDocument/definition") {
    FileView v = view(params);
    return v.source ? definition(v, offset(v)) : Json(nullptr);
  }
  if (method == "textDocument/references") {
    FileView v = view(params);
    bool decl = params.contains("context") && params["context"].value("includeDeclaration", false);
    return v.source ? references(v, offset(v), decl) : Json(nullptr);
  }
  if (method == "textDocument/prepareRename") {
    FileView v = view(params);
    return v.source ? prepare_rename(v, offset(v), error) : Json(nullptr);
  }
  if (method == "textDocument/rename") {
    FileView v = view(params);
    if (!v.source) return nullptr;
    return rename(v, offset(v), params.value("newName", std::string()), error);
  }
  if (method == "textDocument/documentSymbol") return document_symbols(view(params));
  if (method == "textDocument/completion") {
    FileView v = view(params);
    if (!v.source) return Json::array();
    return completion(v, v.source->text(), offset(v));
  }
  if (method == "textDocument/formatting") {
    std::string uri = uri_param(params);
    const Workspace::Document* doc = ws_.document(uri);
    if (!doc) {
      error = RequestError{-32602, "formatting needs an open document"};
      return nullptr;
    }
    return formatting(Workspace::path_of(uri), doc->text, error);
  }
  if (method == "textDocument/codeAction") {
    FileView v = view(params);
    return code_actions(v, params.value("range", Json::object()), params.value("context", Json::object()));
  }
  error = RequestError{kMethodNotFound, "unknown method `" + method + "`"};
  return nullptr;
}

void Server::notification(const std::string& method, const Json& params) {
  using clock = std::chrono::steady_clock;
  if (method == "exit") {
    exit_ = true;
    return;
  }
  if (!initialized_) return;
  std::string uri = uri_param(params);
  std::string folder = Workspace::folder_of(Workspace::path_of(uri));
  if (method == "textDocument/didOpen") {
    const Json& td = params["textDocument"];
    ws_.open(uri, td.value("text", std::string()), td.value("version", 0));
    due_[folder] = clock::now();  // a newly opened file gets its diagnostics at once
  } else if (method == "textDocument/didChange") {
    int version = params["textDocument"].value("version", 0);
    if (ws_.change(uri, params.value("contentChanges", Json::array()), version)) {
      auto& when = due_[folder];
      when = clock::now() + opt_.debounce;
    }
  } else if (method == "textDocument/didClose") {
    ws_.close(uri);
    due_[folder] = clock::now();
  } else if (method == "textDocument/didSave") {
    ws_.invalidate(folder);
    due_[folder] = clock::now();
  } else if (method == "workspace/didChangeWatchedFiles") {
    // A sibling file changed on disk: every program may see it.
    for (const std::string& f : ws_.folders()) {
      ws_.invalidate(f);
      due_[f] = clock::now();
    }
  }
}

void Server::publish_due() {
  auto now = std::chrono::steady_clock::now();
  for (auto it = due_.begin(); it != due_.end();) {
    if (it->second <= now) {
      std::string folder = it->first;
      it = due_.erase(it);
      try {
        publish(folder);
      } catch (const std::exception& e) {
        log(fmt::format("analysis of {} failed: {}", folder, e.what()));
      }
    } else {
      ++it;
    }
  }
}

void Server::publish(const std::string& folder) {
  auto a = ws_.analysis(folder);
  for (const std::string& n : a->notes) {
    log(n);
    // A bad .seg-lint.json: say so once in the editor (the lints run with the defaults).
    if (shown_.insert(n).second)
      io_.write({{"jsonrpc", "2.0"},
                 {"method", "window/showMessage"},
                 {"params", {{"type", 2}, {"message", "seg: " + n + " (lints use the defaults)"}}}});
  }
  std::map<std::string, Json> by_uri;
  std::map<std::string, int> versions;
  for (const auto& [id, uri] : a->uris) {
    by_uri[uri] = Json::array();
    auto v = a->versions.find(id);
    if (v != a->versions.end()) versions[uri] = v->second;
  }
  for (const Diagnostic& d : a->diags) {
    auto uri = a->uris.find(d.file);
    if (uri != a->uris.end()) by_uri[uri->second].push_back(diagnostic_to_json(*a, d, opt_.docs_url));
  }
  // Files that had diagnostics and are gone from the folder: clear them.
  std::set<std::string> before = std::move(published_[folder]);
  for (const std::string& uri : before)
    if (!by_uri.count(uri)) by_uri[uri] = Json::array();
  published_[folder].clear();
  for (auto& [uri, diags] : by_uri) {
    // A closed file without problems needs no message, unless it had some before.
    if (diags.empty() && !versions.count(uri) && !before.count(uri)) continue;
    if (!diags.empty()) published_[folder].insert(uri);
    Json params = {{"uri", uri}, {"diagnostics", diags}};
    if (versions.count(uri)) params["version"] = versions[uri];
    io_.write({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", params}});
  }
}

}  // namespace seg::lsp
