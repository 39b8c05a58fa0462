#pragma once
// Reads lines of any length in large chunks; strips "\n" and a trailing "\r". In follow
// mode the end of the input is not the end of the stream: next() says Idle (a partial
// last line stays buffered until its newline arrives) and can be called again later.
// Without follow, a last line without a newline is read as a line.
#include <cerrno>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace seg::rt {

class LineReader {
 public:
  enum class Next { Line, Idle, End };

  // `offset`: where in the file reading starts (a resumed run seeks there first).
  LineReader(std::FILE* f, bool follow, int64_t offset = 0) : f_(f), follow_(follow), base_(offset) {
    buf_.resize(1 << 20);
  }

  // Bytes of the input consumed so far: the position just after the last line returned
  // (and its newline), where a resumed run picks up.
  int64_t offset() const { return base_ + static_cast<int64_t>(pos_); }

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
      if (stopped_) return Next::End;  // a partial last line waits for a restart
      if (eof_) {
        if (pos_ == end_) return Next::End;
        line = std::string_view(buf_.data() + pos_, end_ - pos_);
        pos_ = end_;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return Next::Line;
      }
      // Move the partial line to the front; grow for lines longer than the buffer.
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      base_ += static_cast<int64_t>(pos_);
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

  // Stop following (SIGTERM): the complete lines already buffered are still read; a
  // last line without its newline is not (it may be half written): offset() stays
  // before it, where a restarted run (--state) reads it once it is whole.
  void stop() {
    follow_ = false;
    eof_ = true;
    stopped_ = true;
  }
  bool error() const { return error_; }

 private:
  std::FILE* f_;
  bool follow_;
  std::string buf_;
  int64_t base_;  // the file offset of buf_[0]
  size_t pos_ = 0, end_ = 0;
  bool eof_ = false, error_ = false, stopped_ = false;
};

}  // namespace seg::rt
