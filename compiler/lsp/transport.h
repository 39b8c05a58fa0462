#pragma once
// JSON-RPC over a byte stream with LSP's framing (`Content-Length: N\r\n\r\n` then N
// bytes of JSON): reads messages from a file descriptor with a timeout, so the server
// can run its debounce timers in the same loop, and writes them to another.
#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace seg::lsp {

class Transport {
 public:
  Transport(int in_fd, int out_fd) : in_(in_fd), out_(out_fd) {}

  enum class Status { Message, Timeout, Closed, Malformed };
  // Waits at most `timeout` for the next message; `Malformed` leaves a description in
  // `error` (bad header or JSON) and the stream positioned after the bad message.
  Status read(nlohmann::json& out, std::chrono::milliseconds timeout, std::string& error);
  void write(const nlohmann::json& message);

 private:
  // A whole message's body when the buffer holds one; nullopt otherwise.
  std::optional<std::string> take(std::string& error, bool& malformed);
  int in_, out_;
  std::string buffer_;
  bool closed_ = false;
};

}  // namespace seg::lsp
