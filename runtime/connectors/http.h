#pragma once
// One HTTP request with libcurl: status, body, Retry-After, or a connection error.
#include <cstdint>
#include <string>
#include <vector>

namespace seg::rt {

struct HttpResponse {
  long status = 0;               // 0: no response (connection refused, reset, timed out)
  std::string body;
  int64_t retry_after_ms = -1;   // from a Retry-After header in seconds
  std::string error;             // what went wrong when status is 0
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  HttpResponse send(const std::string& method, const std::string& url, const std::vector<std::string>& headers,
                    const std::string& body, int64_t timeout_ms);

 private:
  void* curl_;  // CURL*, reused: keeps the connection alive between batches
};

}  // namespace seg::rt
