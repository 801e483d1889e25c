#!/usr/bin/env bash
# A private PostgreSQL server for the tests: one cluster in one directory, reachable
# only from this machine, started on demand.
#
#   scripts/postgres.sh install       install the server binaries if missing (apt-get)
#   scripts/postgres.sh start [DIR]   create the cluster if needed, start it, print its URL
#   scripts/postgres.sh stop [DIR]    stop it (nothing to do if it is not running)
#   scripts/postgres.sh url [DIR]     print its URL if it is running, else exit 1
#
# DIR defaults to target/postgres in the repository. It holds the cluster (DIR/data),
# the server log (DIR/log), the unix socket and, while the server runs, its URL
# (DIR/url): postgres://USER@127.0.0.1:PORT/truce_test. See docs/postgres-tests.md.
set -Eeuo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
db_name=truce_test
first_port=54329
last_port=54428
# PostgreSQL refuses to run as root, so root runs it as this system user.
pg_os_user=truce-pg

die() {
  echo "error: $*" >&2
  exit 2
}

# Errors exit 2, whatever failed (the subshell of a $(...) exits quietly and its
# parent reports the line).
on_err() {
  if [ "$BASH_SUBSHELL" -eq 0 ]; then
    echo "error: command failed (status $1) at line $2 of $0" >&2
  fi
  exit 2
}
trap 'on_err $? $LINENO' ERR

usage() {
  echo "usage: $0 install | start [DIR] | stop [DIR] | url [DIR]" >&2
  exit 2
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# The directory holding initdb, pg_ctl and postgres: the newest Debian one, else the
# one of pg_ctl on PATH (other systems). Client-only machines have
# /usr/lib/postgresql/N/bin with psql alone, hence the check of all three.
find_bindir() {
  local d candidates
  candidates=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
  if command -v pg_ctl >/dev/null 2>&1; then
    candidates+=$'\n'$(dirname "$(command -v pg_ctl)")
  fi
  while IFS= read -r d; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      echo "$d"
      return 0
    fi
  done <<<"$candidates"
  return 1
}

apt_install() {
  apt-get install -y -q --no-install-recommends "$1" >>"$2" 2>&1
}

# Installs the server with apt-get if its binaries are missing. Quiet: apt's output
# goes to a log file, shown only if it fails.
install_server() {
  if find_bindir >/dev/null; then
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "PostgreSQL server binaries (initdb, pg_ctl) not found, and no apt-get to install them"
  is_root ||
    die "PostgreSQL server binaries not found; install them as root: apt-get install postgresql-15"
  local log
  log=$(mktemp /tmp/truce-postgres-install.XXXXXX)
  export DEBIAN_FRONTEND=noninteractive
  echo "installing the PostgreSQL server with apt-get (log: $log)" >&2
  # A fresh machine may have empty package lists: update only when a first try fails.
  if ! apt_install postgresql-15 "$log" && ! apt_install postgresql "$log"; then
    apt-get update -q >>"$log" 2>&1 || true
    if ! apt_install postgresql-15 "$log" && ! apt_install postgresql "$log"; then
      tail -n 20 "$log" >&2
      die "apt-get could not install postgresql-15 or postgresql (log: $log)"
    fi
  fi
  find_bindir >/dev/null ||
    die "PostgreSQL was installed but no server binaries are under /usr/lib/postgresql/*/bin"
  rm -f "$log"
}

# Runs a command as the cluster's owner: as is, or as $pg_os_user when we are root.
as_pg() {
  if is_root; then
    runuser -u "$pg_os_user" -- "$@"
  else
    "$@"
  fi
}

# The database role in the URL: the cluster's superuser, named after its OS owner.
pg_role() {
  if is_root; then echo "$pg_os_user"; else id -un; fi
}

# Files root writes in DIR go to $pg_os_user too, so that it can run this script.
own() {
  if is_root; then chown "$pg_os_user:" "$@"; fi
}

ensure_os_user() {
  if ! id -u "$pg_os_user" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$pg_os_user" ||
      die "could not create the system user $pg_os_user"
  fi
}

# Running = a postmaster.pid that pg_ctl confirms (a stale one stays after a crash).
is_running() {
  [ -f "$data/postmaster.pid" ] || return 1
  local bin
  bin=$(find_bindir) || return 1
  if is_root; then
    id -u "$pg_os_user" >/dev/null 2>&1 || return 1
  fi
  as_pg "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1
}

# The URL of the running server; its port is line 4 of postmaster.pid.
running_url() {
  local port
  port=$(sed -n 4p "$data/postmaster.pid")
  echo "postgres://$(pg_role)@127.0.0.1:$port/$db_name"
}

port_in_use() {
  # bash connects to the port: success means something listens there.
  (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Makes DIR and hands it to $pg_os_user when we are root, without taking over a
# directory that holds other things (say DIR=/tmp by mistake).
prepare_dir() {
  mkdir -p "$dir"
  if is_root; then
    ensure_os_user
    if [ "$(stat -c %U "$dir")" != "$pg_os_user" ]; then
      [ -z "$(ls -A "$dir")" ] ||
        die "$dir is not empty and not owned by $pg_os_user; use an empty or new directory"
      chown "$pg_os_user:" "$dir"
    fi
    # Every parent must be searchable by $pg_os_user (a clone under /root is not).
    as_pg test -w "$dir" ||
      die "$pg_os_user cannot write to $dir (is a parent directory private, like /root?); pass a DIR such as /tmp/truce-postgres"
  fi
  # A unix socket path is limited to 107 bytes.
  [ "${#dir}" -le 90 ] || die "$dir is too long for a unix socket path; pass a shorter DIR"
}

init_cluster() {
  local bin=$1 out
  # The socket directory as an SQL string literal (quotes doubled).
  local sock_dir=${dir//\'/\'\'}
  out=$(as_pg "$bin/initdb" -D "$data" -U "$(pg_role)" --auth=trust \
    --encoding=UTF8 --locale=C 2>&1) || die "initdb failed:"$'\n'"$out"
  # Only the local socket and 127.0.0.1, trusted: no IPv6, no other host.
  cat >"$data/pg_hba.conf" <<'EOF'
# truce tests (scripts/postgres.sh): trust, local socket and 127.0.0.1 only
local all all              trust
host  all all 127.0.0.1/32 trust
EOF
  # Later lines win over initdb's. Durability is not needed for tests: speed is.
  cat >>"$data/postgresql.conf" <<EOF

# truce tests (scripts/postgres.sh); the port is given at each start
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  own "$data/pg_hba.conf" "$data/postgresql.conf"
}

# Starts the server on the first free port from $first_port; a port taken between
# the check and the start makes postgres fail to bind, and we try the next one.
start_server() {
  local bin=$1 port size out
  for ((port = first_port; port <= last_port; port++)); do
    port_in_use "$port" && continue
    size=$(stat -c %s "$dir/log" 2>/dev/null || echo 0)
    # 9>&-: the server must not inherit (and so keep holding) the start lock.
    if out=$(as_pg "$bin/pg_ctl" start -w -s -D "$data" -l "$dir/log" -o "-p $port" 2>&1 9>&-); then
      return 0
    fi
    # Only what this attempt logged.
    if tail -c +"$((size + 1))" "$dir/log" 2>/dev/null | grep -q 'could not create any TCP/IP sockets'; then
      continue
    fi
    [ -z "$out" ] || echo "$out" >&2
    tail -c +"$((size + 1))" "$dir/log" 2>/dev/null | tail -n 20 >&2 || true
    die "the server did not start (log: $dir/log)"
  done
  die "no free port on 127.0.0.1 from $first_port to $last_port"
}

ensure_database() {
  local bin=$1 port psql
  psql=("$bin/psql")
  [ -x "$bin/psql" ] || psql=(psql)
  port=$(sed -n 4p "$data/postmaster.pid")
  # Through the unix socket in DIR, as the superuser.
  local conn=(-h "$dir" -p "$port" -U "$(pg_role)")
  if [ -z "$(as_pg "${psql[@]}" -X -q -tA "${conn[@]}" -d postgres \
    -c "select 1 from pg_database where datname = '$db_name'")" ]; then
    as_pg "${psql[@]}" -X -q "${conn[@]}" -d postgres -c "create database $db_name" >/dev/null ||
      die "could not create the database $db_name"
  fi
}

cmd_start() {
  install_server
  local bin url
  bin=$(find_bindir)
  prepare_dir
  # One start at a time per DIR (parallel test runners may race here).
  exec 9>>"$dir/lock"
  own "$dir/lock"
  flock -w 120 9 || die "another start has held $dir/lock for 2 minutes"
  if ! is_running; then
    [ -f "$data/PG_VERSION" ] || init_cluster "$bin"
    start_server "$bin"
  fi
  ensure_database "$bin"
  url=$(running_url)
  echo "$url" >"$dir/url"
  own "$dir/url"
  echo "$url"
}

cmd_stop() {
  if ! is_running; then
    rm -f "$dir/url"
    return 0
  fi
  local bin
  bin=$(find_bindir)
  as_pg "$bin/pg_ctl" stop -w -s -D "$data" -m fast >/dev/null ||
    die "could not stop the server in $data (log: $dir/log)"
  # The URL file exists only while the server runs.
  rm -f "$dir/url"
}

cmd_url() {
  if ! is_running; then
    echo "PostgreSQL is not running in $dir" >&2
    exit 1
  fi
  running_url
}

[ $# -ge 1 ] || usage
cmd=$1
shift
[ $# -le 1 ] || usage
dir=$(realpath -m "${1:-$repo/target/postgres}")
data=$dir/data
# Commands run as $pg_os_user must not start in a directory it cannot read (say
# /root); every path is absolute from here on.
cd /

case $cmd in
  install) [ $# -eq 0 ] || usage; install_server ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  url) cmd_url ;;
  *) usage ;;
esac
