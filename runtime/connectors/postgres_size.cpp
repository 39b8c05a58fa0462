// Counting a destination's current members in the warehouse (postgres_size.h).
#include "runtime/connectors/postgres_size.h"

#include <libpq-fe.h>

#include <cstdlib>

#include "runtime/connectors/postgres_conn.h"

namespace seg::rt {

bool read_postgres_size(const ConnectorConfig& cfg, const std::string& destination,
                        const std::string& segment, int64_t& count, std::string& error) {
  PGconn* conn = pg_open(cfg, error);
  if (!conn) {
    error = "cannot connect to the warehouse ($" + cfg.dsn_env + "): " + error;
    return false;
  }
  std::string sql = "SELECT count(*) FROM " + pg_schema(cfg) +
                    ".seg_members WHERE destination = $1 AND ($2 = '' OR segment = $2)";
  const char* params[2] = {destination.c_str(), segment.c_str()};
  PGresult* res = PQexecParams(conn, sql.c_str(), 2, nullptr, params, nullptr, nullptr, 0);
  bool ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
  if (ok) {
    count = std::strtoll(PQgetvalue(res, 0, 0), nullptr, 10);
  } else {
    PgError e = pg_error(conn, res);
    error = e.code == "42P01"
                ? cfg.schema +
                      ".seg_members does not exist (nothing was delivered to this warehouse yet)"
                : "reading the size from the warehouse: " + e.message;
  }
  PQclear(res);
  pg_close(conn);
  return ok;
}

}  // namespace seg::rt
