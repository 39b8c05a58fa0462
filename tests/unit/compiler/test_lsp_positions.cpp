// `seg lsp`'s position mapping (UTF-16 code units, LSP's default) and framing
// (compiler/lsp/positions.h, transport.h).
#include <doctest/doctest.h>
#include <unistd.h>

#include "compiler/lsp/positions.h"
#include "compiler/lsp/transport.h"

using namespace seg::lsp;

TEST_CASE("lsp positions count UTF-16 code units") {
  // "é" is 2 bytes and 1 unit; "🙂" is 4 bytes and 2 units (a surrogate pair).
  std::string text = "ab\né🙂x\r\nlast";
  LineIndex lines(text);
  uint32_t x = static_cast<uint32_t>(text.find('x'));
  Position p = lines.position(x);
  CHECK(p.line == 1);
  CHECK(p.character == 3);
  CHECK(lines.offset(p) == x);
  CHECK(lines.offset({1, 1}) == text.find("🙂"));
  CHECK(lines.offset({1, 2}) == text.find("🙂"));  // inside the pair: the character's start
  CHECK(lines.offset({1, 99}) == text.find('\r'));  // past the end of the line: its end
  CHECK(lines.offset({9, 0}) == text.size());       // past the last line: the end
  CHECK(lines.position(static_cast<uint32_t>(text.size())).line == 2);
  CHECK(lines.position(static_cast<uint32_t>(text.size())).character == 4);
}

TEST_CASE("lsp file URIs") {
  CHECK(uri_to_path("file:///tmp/a%20b/r%C3%A8gles.seg") == "/tmp/a b/règles.seg");
  CHECK(path_to_uri("/tmp/a b/règles.seg") == "file:///tmp/a%20b/r%C3%A8gles.seg");
  CHECK(uri_to_path("untitled:Untitled-1").empty());
  CHECK(uri_to_path(path_to_uri("/x/y#z?.seg")) == "/x/y#z?.seg");
}

TEST_CASE("lsp framing: split messages, several in one read, bad headers") {
  int in[2], out[2];
  REQUIRE(pipe(in) == 0);
  REQUIRE(pipe(out) == 0);
  Transport t(in[0], out[1]);
  std::string body = R"({"jsonrpc":"2.0","method":"a"})";
  std::string frame = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string data = frame.substr(0, 10);
  REQUIRE(write(in[1], data.data(), data.size()) == static_cast<ssize_t>(data.size()));
  nlohmann::json m;
  std::string error;
  CHECK(t.read(m, std::chrono::milliseconds(20), error) == Transport::Status::Timeout);
  data = frame.substr(10) + frame + "X-Nothing: 1\r\n\r\n" + frame;
  REQUIRE(write(in[1], data.data(), data.size()) == static_cast<ssize_t>(data.size()));
  CHECK(t.read(m, std::chrono::milliseconds(100), error) == Transport::Status::Message);
  CHECK(m["method"] == "a");
  CHECK(t.read(m, std::chrono::milliseconds(100), error) == Transport::Status::Message);
  CHECK(t.read(m, std::chrono::milliseconds(100), error) == Transport::Status::Malformed);
  CHECK(t.read(m, std::chrono::milliseconds(100), error) == Transport::Status::Message);
  close(in[1]);
  CHECK(t.read(m, std::chrono::milliseconds(100), error) == Transport::Status::Closed);
  t.write({{"id", 1}});
  char buf[64] = {};
  ssize_t n = read(out[0], buf, sizeof buf - 1);
  CHECK(std::string(buf, static_cast<size_t>(n)) == "Content-Length: 8\r\n\r\n{\"id\":1}");
  close(in[0]);
  close(out[0]);
  close(out[1]);
}
