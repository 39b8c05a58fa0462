#pragma once
// Reads lines of any length in large chunks; strips "\n" and a trailing "\r". In follow
// mode the end of the input is not the end of the stream: next() says Idle (a partial
// last line stays buffered until its newline arrives) and can be called again later.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace seg::rt {

class LineReader {
 public:
  enum class Next { Line, Idle, End };

  LineReader(std::FILE* f, bool follow) : f_(f), follow_(follow) { buf_.resize(1 << 20); }

  Next next(std::string_view& line) {
    for (;;) {
      const char* nl = static_cast<const char*>(std::memchr(buf_.data() + pos_, '\n', end_ - pos_));
      if (nl) {
        size_t len = static_cast<size_t>(nl - (buf_.data() + pos_));
        line = std::string_view(buf_.data() + pos_, len);
        pos_ += len + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return Next::Line;
      }
      if (eof_) {
        if (pos_ == end_) return Next::End;
        line = std::string_view(buf_.data() + pos_, end_ - pos_);
        pos_ = end_;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return Next::Line;
      }
      // Move the partial line to the front; grow for lines longer than the buffer.
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
      if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
      size_t n = std::fread(buf_.data() + end_, 1, buf_.size() - end_, f_);
      end_ += n;
      if (n > 0) continue;
      bool interrupted = std::ferror(f_) && errno == EINTR;  // a signal (SIGHUP: new rules)
      if (follow_ && (interrupted || !std::ferror(f_))) {
        std::clearerr(f_);
        return Next::Idle;
      }
      eof_ = true;
      error_ = std::ferror(f_) != 0;
    }
  }

  // Stop following: what is buffered (a last line without its newline) is still read.
  void stop() {
    follow_ = false;
    eof_ = true;
  }
  bool error() const { return error_; }

 private:
  std::FILE* f_;
  bool follow_;
  std::string buf_;
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false, error_ = false;
};

}  // namespace seg::rt
