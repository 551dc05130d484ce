# launch_emulator BIN DIR [ARGS...] starts the Personalize emulator at BIN on
# a free loopback port with ARGS, its output in DIR/emulator.out and
# DIR/emulator.log, and sets emulator_pid and endpoint (its address) once it
# reports it; it exits the calling script when the emulator does not start.
# Source it (bash); it does nothing else.
launch_emulator() {
  local bin=$1 dir=$2
  shift 2
  # Made before the emulator starts, so that reading it cannot race the
  # shell that opens it for the emulator.
  : >"$dir/emulator.out"
  "$bin" --listen 127.0.0.1:0 "$@" >"$dir/emulator.out" 2>"$dir/emulator.log" &
  emulator_pid=$!
  endpoint=""
  for _ in $(seq 1 100); do
    endpoint=$(sed -n 's/^listening on \(http:\/\/[^ ]*\).*/\1/p' "$dir/emulator.out" | head -n 1)
    [[ -n "$endpoint" ]] && return 0
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
      echo "the emulator exited:" >&2
      cat "$dir/emulator.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "the emulator did not report its address within 10s" >&2
  cat "$dir/emulator.log" >&2
  exit 1
}
