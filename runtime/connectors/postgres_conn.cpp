// Connecting to PostgreSQL, the warehouse tables and error classes (postgres_conn.h).
#include "runtime/connectors/postgres_conn.h"

#include <libpq-fe.h>

#include <algorithm>
#include <string>

namespace seg::rt {

pg_conn* pg_open(const ConnectorConfig& cfg, std::string& error) {
  // connect_timeout and client_encoding before dbname: the DSN (expanded from dbname)
  // overrides them when it sets them itself.
  std::string timeout = std::to_string(std::max<int64_t>(2, (cfg.timeout_ms + 999) / 1000));
  const char* keys[] = {"connect_timeout", "client_encoding", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "UTF8", "seg", cfg.dsn.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    error = conn ? PQerrorMessage(conn) : "out of memory";
    while (!error.empty() && (error.back() == '\n' || error.back() == ' ')) error.pop_back();
    PQfinish(conn);
    return nullptr;
  }
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);  // "already exists, skipping" is no news
  std::string set = "SET statement_timeout = " + std::to_string(cfg.timeout_ms);
  PGresult* res = PQexec(conn, set.c_str());
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!ok) error = PQresultErrorMessage(res);
  PQclear(res);
  if (!ok) {
    PQfinish(conn);
    return nullptr;
  }
  return conn;
}

void pg_close(pg_conn* conn) {
  if (conn) PQfinish(conn);
}

std::string pg_schema(const ConnectorConfig& cfg) { return "\"" + cfg.schema + "\""; }

std::string pg_ddl(const ConnectorConfig& cfg) {
  std::string s = pg_schema(cfg);
  return "CREATE SCHEMA IF NOT EXISTS " + s + ";\n"
         "CREATE TABLE IF NOT EXISTS " + s + ".seg_ops (\n"
         "  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
         "  op_id       text NOT NULL UNIQUE,\n"
         "  op          text NOT NULL CHECK (op IN ('add', 'remove', 'update')),\n"
         "  destination text NOT NULL,\n"
         "  audience    text NOT NULL,\n"
         "  segment     text NOT NULL,\n"
         "  profile     text NOT NULL,\n"
         "  ts          timestamptz NOT NULL,\n"
         "  keys        jsonb NOT NULL,\n"
         "  fields      jsonb NOT NULL,\n"
         "  labels      jsonb,\n"
         "  holdout     boolean NOT NULL,\n"
         "  reason      text NOT NULL,\n"
         "  bundle      text NOT NULL,\n"
         "  inserted_at timestamptz NOT NULL DEFAULT now()\n"
         ");\n"
         "CREATE INDEX IF NOT EXISTS seg_ops_member ON " + s + ".seg_ops (destination, segment, profile, ts);\n"
         "CREATE TABLE IF NOT EXISTS " + s + ".seg_members (\n"
         "  destination text NOT NULL,\n"
         "  segment     text NOT NULL,\n"
         "  profile     text NOT NULL,\n"
         "  audience    text NOT NULL,\n"
         "  keys        jsonb NOT NULL,\n"
         "  fields      jsonb NOT NULL,\n"
         "  labels      jsonb,\n"
         "  holdout     boolean NOT NULL,\n"
         "  since       timestamptz NOT NULL,\n"
         "  updated     timestamptz NOT NULL,\n"
         "  PRIMARY KEY (destination, segment, profile)\n"
         ");\n";
}

namespace {

bool exec(PGconn* conn, const std::string& sql, PgError& error) {
  PGresult* res = PQexec(conn, sql.c_str());
  ExecStatusType st = PQresultStatus(res);
  bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
  if (!ok) error = pg_error(conn, res);
  PQclear(res);
  return ok;
}

}  // namespace

bool pg_ensure_tables(pg_conn* conn, const ConnectorConfig& cfg, PgError& error) {
  // Present already: nothing to create (a role that may only insert need not be allowed
  // to create, and CREATE ... IF NOT EXISTS checks that first).
  std::string s = pg_schema(cfg);
  std::string probe = "SELECT to_regclass('" + s + ".seg_ops') IS NOT NULL AND to_regclass('" + s + ".seg_members') IS NOT NULL";
  PGresult* res = PQexec(conn, probe.c_str());
  bool present = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
  PQclear(res);
  if (present) return true;
  // One creator at a time (transaction-scoped lock: released by COMMIT or ROLLBACK).
  if (!exec(conn, "BEGIN; SELECT pg_advisory_xact_lock(hashtext('seg warehouse tables'));", error)) return false;
  if (!exec(conn, pg_ddl(cfg) + "COMMIT;", error)) {
    PgError ignored;
    exec(conn, "ROLLBACK", ignored);
    return false;
  }
  return true;
}

PgError pg_error(pg_conn* conn, pg_result* res) {
  PgError e;
  const char* code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  if (code) e.code = code;
  e.message = res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res) : PQerrorMessage(conn);
  while (!e.message.empty() && (e.message.back() == '\n' || e.message.back() == ' ')) e.message.pop_back();
  if (e.message.empty()) e.message = "no answer from the server";
  bool lost = PQstatus(conn) != CONNECTION_OK;
  const std::string& c = e.code;
  e.retryable = lost || c.empty() || c.rfind("08", 0) == 0 ||  // connection exception
                c == "40001" || c == "40P01" ||                 // serialization failure, deadlock
                c.rfind("57P", 0) == 0 || c == "57014" ||       // shutting down, cannot connect now; timeout
                c == "53300" || c == "55P03";                   // too many connections, lock not available
  return e;
}

}  // namespace seg::rt
