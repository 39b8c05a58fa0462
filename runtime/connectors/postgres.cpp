// One batch as one PostgreSQL transaction (postgres.h).
#include "runtime/connectors/postgres.h"

#include <libpq-fe.h>

#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

namespace seg::rt {
namespace {

// The op lines are inserted as they are: PostgreSQL reads the JSON (labels is NULL when
// the op has none), in batch order, so seg_ops.id follows the order ops were written.
constexpr const char* kInsertOps =
    "INSERT INTO S.seg_ops (op_id, op, destination, audience, segment, profile, ts, keys, fields, labels, holdout,"
    " reason, bundle)\n"
    "SELECT x.op_id, x.op, x.destination, x.audience, x.segment, x.profile, x.ts, x.keys, x.fields,"
    " NULLIF(x.labels, 'null'::jsonb), x.holdout, x.reason, x.bundle\n"
    "FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(j, n)\n"
    "CROSS JOIN LATERAL jsonb_to_record(e.j) AS x(op_id text, op text, destination text, audience text, segment text,"
    " profile text, ts timestamptz, keys jsonb, fields jsonb, labels jsonb, holdout boolean, reason text, bundle text)\n"
    "ORDER BY e.n\n"
    "ON CONFLICT (op_id) DO NOTHING\n"
    "RETURNING op_id";

constexpr const char* kDeleteMembers =
    "DELETE FROM S.seg_members m USING jsonb_to_recordset($2::jsonb) AS x(segment text, profile text)\n"
    "WHERE m.destination = $1 AND m.segment = x.segment AND m.profile = x.profile";

// Each member's row from its latest op (keys, fields, labels), `since` from the add that
// began its membership (an update alone keeps the row's).
constexpr const char* kUpsertMembers =
    "INSERT INTO S.seg_members (destination, segment, profile, audience, keys, fields, labels, holdout, since, updated)\n"
    "SELECT o.destination, o.segment, o.profile, o.audience, o.keys, o.fields, o.labels, o.holdout,"
    " COALESCE(a.ts, o.ts), o.ts\n"
    "FROM jsonb_to_recordset($1::jsonb) AS x(op_id text, since_op text)\n"
    "JOIN S.seg_ops o ON o.op_id = x.op_id LEFT JOIN S.seg_ops a ON a.op_id = x.since_op\n"
    "ON CONFLICT (destination, segment, profile) DO UPDATE SET audience = EXCLUDED.audience, keys = EXCLUDED.keys,"
    " fields = EXCLUDED.fields, labels = EXCLUDED.labels, holdout = EXCLUDED.holdout, updated = EXCLUDED.updated";

std::string in_schema(const char* sql, const std::string& schema) {
  std::string out = sql;
  for (size_t at = 0; (at = out.find(" S.", at)) != std::string::npos; at += schema.size())
    out.replace(at + 1, 1, schema);
  return out;
}

// What the inserted ops of one member (segment, profile) come to, in order.
struct MemberChange {
  bool remove = false;  // ends absent
  bool reset = false;   // the row is replaced (an add, or a remove, came first in this batch)
  std::string op_id, since_op;
};

}  // namespace

PostgresTransport::PostgresTransport(std::string destination, ConnectorConfig cfg)
    : destination_(std::move(destination)), cfg_(std::move(cfg)) {
  std::string s = pg_schema(cfg_);
  insert_ops_ = in_schema(kInsertOps, s);
  delete_members_ = in_schema(kDeleteMembers, s);
  upsert_members_ = in_schema(kUpsertMembers, s);
}

PostgresTransport::~PostgresTransport() { pg_close(conn_); }

SendResult PostgresTransport::failed(pg_result* res) {
  PgError e = pg_error(conn_, res);
  PQclear(res);
  SendResult r;
  r.retryable = e.retryable;
  r.code = e.code;
  r.response = e.message;
  if (PQstatus(conn_) != CONNECTION_OK) {  // reconnect on the next attempt
    pg_close(conn_);
    conn_ = nullptr;
  } else {
    PQclear(PQexec(conn_, "ROLLBACK"));
  }
  return r;
}

SendResult PostgresTransport::send(const std::vector<const BatchOp*>& batch, const std::string&) {
  SendResult r;
  if (!conn_) {
    std::string error;
    conn_ = pg_open(cfg_, error);
    if (!conn_) {
      r.retryable = true;  // the server may be restarting
      r.response = error;
      return r;
    }
    PgError e;
    if (!pg_ensure_tables(conn_, cfg_, e)) {
      r.code = e.code;
      r.response = e.message;
      r.retryable = e.retryable;
      pg_close(conn_);
      conn_ = nullptr;
      return r;
    }
  }
  std::string ops = "[";
  for (size_t i = 0; i < batch.size(); ++i) {
    if (i) ops += ',';
    ops += batch[i]->line;
  }
  ops += ']';
  PGresult* res = PQexec(conn_, "BEGIN");
  if (PQresultStatus(res) != PGRES_COMMAND_OK) return failed(res);
  PQclear(res);
  const char* params[2] = {ops.c_str(), nullptr};
  res = PQexecParams(conn_, insert_ops_.c_str(), 1, nullptr, params, nullptr, nullptr, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) return failed(res);
  std::unordered_set<std::string> inserted;
  for (int i = 0; i < PQntuples(res); ++i) inserted.insert(PQgetvalue(res, i, 0));
  PQclear(res);
  // Membership changes from the ops inserted now only (a replay inserts none).
  std::unordered_map<std::string, MemberChange> changes;
  std::vector<std::string> order;  // members in the order first seen: a stable statement
  for (const BatchOp* op : batch) {
    if (!inserted.count(op->op_id)) continue;
    std::string member = op->segment + '\x1f' + op->profile;
    auto [it, fresh] = changes.try_emplace(member);
    if (fresh) order.push_back(member);
    MemberChange& c = it->second;
    if (op->kind == "remove") {
      c = MemberChange{true, true, "", ""};
    } else if (op->kind == "add" || c.remove) {  // an update after a remove: begins anew
      c = MemberChange{false, true, op->op_id, op->op_id};
    } else {
      c.op_id = op->op_id;  // an update: since stays
    }
  }
  nlohmann::json gone = nlohmann::json::array(), rows = nlohmann::json::array();
  for (const std::string& m : order) {
    const MemberChange& c = changes[m];
    size_t cut = m.find('\x1f');
    if (c.reset) gone.push_back({{"segment", m.substr(0, cut)}, {"profile", m.substr(cut + 1)}});
    if (c.remove) continue;
    nlohmann::json row = {{"op_id", c.op_id}, {"since_op", nullptr}};
    if (!c.since_op.empty()) row["since_op"] = c.since_op;
    rows.push_back(std::move(row));
  }
  if (!gone.empty()) {
    std::string text = gone.dump();
    const char* p[2] = {destination_.c_str(), text.c_str()};
    res = PQexecParams(conn_, delete_members_.c_str(), 2, nullptr, p, nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) return failed(res);
    PQclear(res);
  }
  if (!rows.empty()) {
    std::string text = rows.dump();
    const char* p[1] = {text.c_str()};
    res = PQexecParams(conn_, upsert_members_.c_str(), 1, nullptr, p, nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) return failed(res);
    PQclear(res);
  }
  res = PQexec(conn_, "COMMIT");
  if (PQresultStatus(res) != PGRES_COMMAND_OK) return failed(res);
  PQclear(res);
  r.ok = true;
  return r;
}

}  // namespace seg::rt
