// `seg-kafka-mock`: librdkafka's in-process mock Kafka cluster as a program, for tests and
// trials of the Kafka input and sinks without a real broker.
//
//   seg-kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...
//
// Prints the bootstrap address ("127.0.0.1:PORT,...") as its first stdout line, then runs
// until SIGTERM/SIGINT (exit 0). Control commands, one per stdin line, each answered with
// one stdout line `ok` or `error: ...`:
//   down ID | up ID                    take broker ID (1..N) down or bring it back
//   error API ERROR [COUNT]            the next COUNT (1) requests of API fail with ERROR
//                                      (names as rd_kafka_err2name prints them)
//   clear API                          drop the errors still queued for API
//   topic NAME:PARTITIONS              create another topic
//   quit                               exit 0
// EOF on stdin does not stop it: tests start it in the background with stdin at /dev/null,
// or drive it through a FIFO that writers open and close (`echo down 1 >ctl`).
//
// Found with kcat against librdkafka 2.0.2: the mock auto-creates unknown topics (4
// partitions, replication min(3, N)) when a client asks for their metadata with
// auto-creation allowed, which producers and the simple consumer do by default; so create
// topics up front when the partition count matters. Replication factors above N are
// capped by the mock, and the mock accepts 0 partitions (refused here). Transactions work
// (InitProducerId, AddPartitionsToTxn, EndTxn, ...), but the 2.0.2 mock writes no commit or
// abort markers and keeps no last stable offset: read_committed consumers also get the
// records of aborted and still-open transactions.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

// rdkafka_mock.h must come after rdkafka.h.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

namespace {

constexpr int kExitOk = 0, kExitRuntime = 1, kExitUsage = 2;

const char* const kUsage =
    "usage: seg-kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...\n"
    "stdin commands: down ID | up ID | error API ERROR [COUNT] | clear API |\n"
    "                topic NAME:PARTITIONS | quit\n";

// Kafka protocol ApiKeys: librdkafka 2.0.2 keeps its RD_KAFKAP_* enum out of the public headers.
struct Api {
  const char* name;
  int16_t key;
};
constexpr Api kApis[] = {
    {"Produce", 0},          {"Fetch", 1},
    {"ListOffsets", 2},      {"Metadata", 3},
    {"OffsetCommit", 8},     {"OffsetFetch", 9},
    {"FindCoordinator", 10}, {"JoinGroup", 11},
    {"Heartbeat", 12},       {"LeaveGroup", 13},
    {"SyncGroup", 14},       {"DescribeGroups", 15},
    {"ListGroups", 16},      {"ApiVersions", 18},
    {"InitProducerId", 22},  {"AddPartitionsToTxn", 24},
    {"AddOffsetsToTxn", 25}, {"EndTxn", 26},
    {"TxnOffsetCommit", 28},
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

template <class T>
bool parse_int(std::string_view s, T lo, T hi, T& out) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < lo || v > hi) return false;
  out = v;
  return true;
}

bool find_api(std::string_view name, int16_t& key) {
  for (const Api& a : kApis)
    if (iequals(name, a.name)) return key = a.key, true;
  return parse_int<int16_t>(name, 0, 1000, key);  // any other ApiKey by number
}

// Error names as rd_kafka_err2name prints them (e.g. NOT_COORDINATOR, _TRANSPORT), with or
// without the RD_KAFKA_RESP_ERR_ prefix, any case.
bool find_error(std::string_view name, rd_kafka_resp_err_t& err) {
  if (name.size() > 18 && iequals(name.substr(0, 18), "RD_KAFKA_RESP_ERR_")) name.remove_prefix(18);
  const rd_kafka_err_desc* descs = nullptr;
  size_t n = 0;
  rd_kafka_get_err_descs(&descs, &n);
  for (size_t i = 0; i < n; ++i)
    if (descs[i].name && iequals(name, descs[i].name)) return err = descs[i].code, true;
  return false;
}

struct TopicSpec {
  std::string name;
  int partitions = 0;
};

// NAME:PARTITIONS, NAME in Kafka's topic alphabet.
bool parse_topic(std::string_view s, TopicSpec& t, std::string& why) {
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos)
    return why = "expected NAME:PARTITIONS, got '" + std::string(s) + "'", false;
  std::string_view name = s.substr(0, colon);
  bool ok_chars = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (name.empty() || name.size() > 249 || !ok_chars || name == "." || name == "..")
    return why = "invalid topic name '" + std::string(name) + "'", false;
  if (!parse_int(s.substr(colon + 1), 1, 100000, t.partitions))
    return why = "invalid partition count in '" + std::string(s) + "' (1..100000)", false;
  t.name = name;
  return true;
}

struct Mock {
  rd_kafka_mock_cluster_t* cluster;
  int replication;
};

std::string create_topic(const Mock& m, const TopicSpec& t) {
  rd_kafka_resp_err_t err =
      rd_kafka_mock_topic_create(m.cluster, t.name.c_str(), t.partitions, m.replication);
  return err ? std::string("topic ") + t.name + ": " + rd_kafka_err2name(err) : "";
}

// One control command; returns the answer line. Sets `quit` on `quit`.
std::string run_command(const Mock& m, const std::string& line, bool& quit) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string s; in >> s;) w.push_back(s);
  const std::string& cmd = w[0];
  auto status = [](rd_kafka_resp_err_t err) {
    return err ? std::string("error: ") + rd_kafka_err2name(err) : std::string("ok");
  };
  if ((cmd == "down" || cmd == "up") && w.size() == 2) {
    int32_t id = 0;
    if (!parse_int<int32_t>(w[1], 0, INT32_MAX, id)) return "error: bad broker id '" + w[1] + "'";
    return status(cmd == "down" ? rd_kafka_mock_broker_set_down(m.cluster, id)
                                : rd_kafka_mock_broker_set_up(m.cluster, id));
  }
  if (cmd == "error" && (w.size() == 3 || w.size() == 4)) {
    int16_t key = 0;
    rd_kafka_resp_err_t err{};
    size_t count = 1;
    if (!find_api(w[1], key)) return "error: unknown API '" + w[1] + "'";
    if (!find_error(w[2], err)) return "error: unknown error name '" + w[2] + "'";
    if (w.size() == 4 && !parse_int<size_t>(w[3], 1, 100000, count))
      return "error: bad count '" + w[3] + "' (1..100000)";
    std::vector<rd_kafka_resp_err_t> errs(count, err);
    rd_kafka_mock_push_request_errors_array(m.cluster, key, count, errs.data());
    return "ok";
  }
  if (cmd == "clear" && w.size() == 2) {
    int16_t key = 0;
    if (!find_api(w[1], key)) return "error: unknown API '" + w[1] + "'";
    rd_kafka_mock_clear_request_errors(m.cluster, key);
    return "ok";
  }
  if (cmd == "topic" && w.size() == 2) {
    TopicSpec t;
    std::string why;
    if (!parse_topic(w[1], t, why)) return "error: " + why;
    why = create_topic(m, t);
    return why.empty() ? "ok" : "error: " + why;
  }
  if (cmd == "quit" && w.size() == 1) return quit = true, "ok";
  return "error: unknown command '" + line + "' (down ID, up ID, error API ERROR [COUNT], " +
         "clear API, topic NAME:PARTITIONS, quit)";
}

void answer(const std::string& s) {
  std::fputs((s + "\n").c_str(), stdout);
  std::fflush(stdout);  // a test waits for each answer line
}

int usage_error(const std::string& what) {
  std::fprintf(stderr, "seg-kafka-mock: error: %s\n%s", what.c_str(), kUsage);
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  int brokers = 3;
  std::vector<TopicSpec> topics;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i], value;
    if (arg == "-h" || arg == "--help") return std::fputs(kUsage, stdout), kExitOk;
    size_t eq = arg.find('=');
    bool inline_value = arg.rfind("--", 0) == 0 && eq != std::string::npos;
    if (inline_value) value = arg.substr(eq + 1), arg.resize(eq);
    if (arg != "--brokers" && arg != "--topic")
      return usage_error("unknown argument '" + arg + "'");
    if (!inline_value) {
      if (i + 1 >= argc) return usage_error(arg + " needs a value");
      value = argv[++i];
    }
    std::string why;
    if (arg == "--brokers" && !parse_int(std::string_view(value), 1, 64, brokers))
      return usage_error("--brokers: expected a number 1..64, got '" + value + "'");
    if (arg == "--topic" && !parse_topic(value, topics.emplace_back(), why))
      return usage_error("--topic: " + why);
  }

  // Block the stop signals before librdkafka starts its threads (they inherit the mask), so
  // they arrive only through the signalfd below and we always shut down cleanly. A shell
  // starts background jobs with SIGINT ignored, and ignored signals never reach a signalfd.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a reader that went away must not kill the cluster
  int sfd = signalfd(-1, &stop, SFD_CLOEXEC);
  if (sfd < 0) return std::perror("seg-kafka-mock: error: signalfd"), kExitRuntime;

  char errstr[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  // The handle only hosts the cluster and has no bootstrap.servers; hide that notice.
  rd_kafka_conf_set(conf, "log_level", "4", errstr, sizeof errstr);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) return std::fprintf(stderr, "seg-kafka-mock: error: %s\n", errstr), kExitRuntime;
  Mock m{rd_kafka_mock_cluster_new(rk, brokers), std::min(brokers, 3)};
  if (!m.cluster) {
    std::fprintf(stderr, "seg-kafka-mock: error: could not start the mock cluster\n");
    rd_kafka_destroy(rk);
    return kExitRuntime;
  }
  int rc = kExitOk;
  for (const TopicSpec& t : topics) {
    if (std::string why = create_topic(m, t); !why.empty()) {
      std::fprintf(stderr, "seg-kafka-mock: error: %s\n", why.c_str());
      rc = kExitRuntime;
    }
  }
  if (rc == kExitOk) answer(rd_kafka_mock_cluster_bootstraps(m.cluster));

  std::string pending;
  bool quit = rc != kExitOk, held_writer = false;
  pollfd fds[2] = {{sfd, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
  while (!quit) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      std::perror("seg-kafka-mock: error: poll");
      rc = kExitRuntime;
      break;
    }
    if (fds[0].revents) break;  // SIGTERM or SIGINT: a normal stop
    if (!fds[1].revents) continue;
    char buf[4096];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n > 0) {
      pending.append(buf, static_cast<size_t>(n));
    } else {
      // EOF (or a read error): finish a last unterminated line, then keep running. On a FIFO,
      // hold a writer of our own so later `echo cmd >fifo` still reach us and poll does not
      // spin on POLLHUP; anything else (/dev/null, a file) is simply not read again.
      if (!pending.empty() && pending.back() != '\n') pending += '\n';
      struct stat st;
      if (!held_writer && fstat(STDIN_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
        held_writer = open("/proc/self/fd/0", O_WRONLY | O_NONBLOCK | O_CLOEXEC) >= 0;
      if (!held_writer) fds[1].fd = -1;  // poll ignores negative fds
    }
    for (size_t nl; !quit && (nl = pending.find('\n')) != std::string::npos;) {
      std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank: no answer
      answer(run_command(m, line, quit));
    }
    if (pending.size() > 65536) answer("error: command line too long"), pending.clear();
  }

  // In 2.0.2 this can take up to 1 s: it waits for the mock thread's poll interval.
  rd_kafka_mock_cluster_destroy(m.cluster);
  rd_kafka_destroy(rk);
  return rc;
}
