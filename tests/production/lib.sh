# Shared by the production tests (sourced): helpers that read a background run's output.

# metrics_address ERRFILE: the http://HOST:PORT a `seg run --listen` announced on its
# stderr, waiting up to 5 s for it (the file may not exist yet); empty when none came.
metrics_address() {
  local addr= _
  for _ in $(seq 1 500); do
    addr=$(sed -n 's|.*metrics on \(http://[^ ]*\)/metrics.*|\1|p' "$1" 2>/dev/null || true)
    [ -n "$addr" ] && break
    sleep 0.01
  done
  echo "$addr"
}
