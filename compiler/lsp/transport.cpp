// LSP framing over file descriptors (transport.h).
#include "compiler/lsp/transport.h"

#include <poll.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace seg::lsp {

std::optional<std::string> Transport::take(std::string& error, bool& malformed) {
  malformed = false;
  size_t end = buffer_.find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  long length = -1;
  size_t pos = 0;
  while (pos < end) {
    size_t eol = buffer_.find("\r\n", pos);
    std::string line = buffer_.substr(pos, eol - pos);
    pos = eol + 2;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == "content-length") {
      char* stop = nullptr;
      length = std::strtol(line.c_str() + colon + 1, &stop, 10);
      if (stop == line.c_str() + colon + 1) length = -1;
    }
  }
  if (length < 0) {
    malformed = true;
    error = "a message without a valid Content-Length header";
    buffer_.erase(0, end + 4);
    return std::nullopt;
  }
  if (buffer_.size() < end + 4 + static_cast<size_t>(length)) return std::nullopt;
  std::string body = buffer_.substr(end + 4, static_cast<size_t>(length));
  buffer_.erase(0, end + 4 + static_cast<size_t>(length));
  return body;
}

Transport::Status Transport::read(nlohmann::json& out, std::chrono::milliseconds timeout, std::string& error) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    bool malformed = false;
    if (auto body = take(error, malformed)) {
      out = nlohmann::json::parse(*body, nullptr, /*allow_exceptions=*/false);
      if (out.is_discarded()) {
        error = "a message that is not JSON";
        return Status::Malformed;
      }
      return Status::Message;
    }
    if (malformed) return Status::Malformed;
    if (closed_) return Status::Closed;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return Status::Timeout;
    pollfd p{in_, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return Status::Timeout;
    char chunk[65536];
    ssize_t n = ::read(in_, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      closed_ = true;
      continue;  // a last complete message may still be in the buffer
    }
    buffer_.append(chunk, static_cast<size_t>(n));
  }
}

void Transport::write(const nlohmann::json& message) {
  std::string body = message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string frame = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  size_t done = 0;
  while (done < frame.size()) {
    ssize_t n = ::write(out_, frame.data() + done, frame.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the client is gone; the read side will see it close
    done += static_cast<size_t>(n);
  }
}

}  // namespace seg::lsp
