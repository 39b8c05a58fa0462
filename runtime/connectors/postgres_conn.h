#pragma once
// A PostgreSQL connection for the postgres connector (docs/warehouse.md): opening one
// from the config's DSN, the tables seg writes (created when absent), and what an error
// means. libpq stays inside runtime/connectors' .cpp files: headers only name its
// connection type.
#include <string>

#include "runtime/connectors/deploy_config.h"

struct pg_conn;    // libpq's PGconn
struct pg_result;  // libpq's PGresult

namespace seg::rt {

// Connects with cfg.dsn (UTF-8, application name "seg" unless the DSN sets one,
// statement_timeout = timeout_ms). Null, with `error`, when it fails.
pg_conn* pg_open(const ConnectorConfig& cfg, std::string& error);
void pg_close(pg_conn* conn);

// "schema" quoted for SQL (the config allows only plain names; quoting keeps case).
std::string pg_schema(const ConnectorConfig& cfg);

// The DDL of seg_ops and seg_members in cfg.schema (docs/warehouse.md shows it for "public").
std::string pg_ddl(const ConnectorConfig& cfg);

// After a failed command: its SQLSTATE (empty when none: the connection broke) and
// message, and whether another attempt may succeed (a lost connection, a serialization
// failure or deadlock, a shutdown, a timeout, too many connections).
struct PgError {
  std::string code, message;
  bool retryable = false;
};
PgError pg_error(pg_conn* conn, pg_result* res);

// Creates the schema and tables when one is missing (under an advisory lock, so two
// destinations' senders do not race). False with what went wrong in `error`.
bool pg_ensure_tables(pg_conn* conn, const ConnectorConfig& cfg, PgError& error);

}  // namespace seg::rt
