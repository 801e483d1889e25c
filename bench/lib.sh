# Shared by the bench scripts: sourced, not run.

# server_address LOG [SECONDS]: waits until `truce serve` writes its address to
# LOG (at most SECONDS, 300 by default) and prints it (`127.0.0.1:PORT`); on
# time out, prints the log to stderr and exits 2.
server_address() {
  local log=$1 limit=${2:-300} address="" tries
  tries=$((limit * 10))
  for _ in $(seq 1 "$tries"); do
    address=$(grep -o 'listening on http://[0-9.:]*' "$log" 2>/dev/null | sed 's|listening on http://||' || true)
    [ -n "$address" ] && { echo "$address"; return 0; }
    sleep 0.1
  done
  echo "error: the server did not start" >&2
  cat "$log" >&2
  exit 2
}
