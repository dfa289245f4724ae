#!/usr/bin/env bash
# README screenshots from the frozen Linux build (run packaging/build first): English and
# Chinese, light and dark, each after Start on the sandbox with both previews live.
#   packaging/take_screenshots.sh [OUT_DIR]      (default docs/screenshots)
# Needs Xvfb, xdotool and ImageMagick. Row 4 of the seed list, sorted by name (y=184 in a
# 1366x768 window, the size of scripts/take_screenshots.py's), is the idle "Product Launch Keynote".
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/dist/casterdesk/casterdesk"
OUT=${1:-$ROOT/docs/screenshots}
mkdir -p "$OUT"
export DISPLAY=:78
pgrep -f "Xvfb :78" >/dev/null || { Xvfb :78 -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 & sleep 1; }
shoot() { # name language theme y-of-the-row-to-start
  local name=$1 lang=$2 theme=$3 row_y=$4 home
  home=$(mktemp -d)
  HOME=$home XDG_CONFIG_HOME=$home/.config XDG_RUNTIME_DIR=$home LANG=en_US.UTF-8 \
    "$BIN" gui --sandbox --new-instance --language "$lang" --theme "$theme" --log-file "$home/ev.log" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q casters_loaded "$home/ev.log" 2>/dev/null && break; sleep 0.1; done
  local wid; wid=$(xdotool search --onlyvisible --pid $pid 2>/dev/null | head -1)
  xdotool windowsize "$wid" 1366 768; xdotool windowmove "$wid" 0 0; sleep 1
  xdotool mousemove 200 "$row_y" click 1; sleep 0.3; xdotool key ctrl+Return
  for _ in $(seq 100); do [ "$(grep -c preview_first_frame "$home/ev.log")" -ge 2 ] && break; sleep 0.1; done
  sleep 2.5
  eval "$(xdotool getwindowgeometry --shell "$wid")"
  import -window root -crop "${WIDTH}x${HEIGHT}+${X}+${Y}" +repage "$OUT/$name.png"
  kill $pid; wait $pid 2>/dev/null; rm -rf "$home"
  echo "$OUT/$name.png"
}
shoot en-light en light 184
shoot en-dark en dark 184
shoot zh-light zh_CN light 184
shoot zh-dark zh_CN dark 184
