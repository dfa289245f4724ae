#!/bin/sh
# Install this Caster Desk folder: the program, a `casterdesk` command, the menu entry and icons.
#
#   ./install.sh                      for you only, under ~/.local (no root needed)
#   sudo ./install.sh --prefix /usr/local    for every user
#   ./install.sh --uninstall [--prefix DIR]  remove what an install put there
set -eu

APP_ID=io.github.casterdesk.CasterDesk
PREFIX="${HOME:?}/.local"
UNINSTALL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a folder}"; shift 2 ;;
    --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

HERE="$(cd "$(dirname "$0")" && pwd -P)"
LIBDIR="$PREFIX/lib/casterdesk"
BIN="$PREFIX/bin/casterdesk"
SHARE="$PREFIX/share"
ICON_FILES="$(cd "$HERE/share" && find icons -name "$APP_ID.*")"

refresh_caches() {
  # Menus and icon themes pick the change up without a new login where these tools exist.
  command -v update-desktop-database >/dev/null 2>&1 &&
    update-desktop-database -q "$SHARE/applications" 2>/dev/null || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 &&
    gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" 2>/dev/null || true
}

if [ "$UNINSTALL" -eq 1 ]; then
  rm -f "$BIN" "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
  for icon in $ICON_FILES; do rm -f "$SHARE/$icon"; done
  [ "$HERE" = "$(cd "$LIBDIR" 2>/dev/null && pwd -P)" ] || rm -rf "$LIBDIR"
  refresh_caches
  echo "Caster Desk removed from $PREFIX"
  exit 0
fi

mkdir -p "$PREFIX/bin" "$SHARE/applications" "$SHARE/metainfo"
if [ "$HERE" != "$(cd "$LIBDIR" 2>/dev/null && pwd -P)" ]; then
  rm -rf "$LIBDIR"
  mkdir -p "$LIBDIR"
  cp -R "$HERE/." "$LIBDIR/"
fi
ln -sf "$LIBDIR/casterdesk" "$BIN"
# The menu entry names the command by its full path: ~/.local/bin is often not on the PATH
# a desktop session starts programs with.
sed -e "s|^TryExec=casterdesk\$|TryExec=$BIN|" -e "s|^Exec=casterdesk |Exec=\"$BIN\" |" \
  "$HERE/share/applications/$APP_ID.desktop" > "$SHARE/applications/$APP_ID.desktop"
cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
for icon in $ICON_FILES; do
  mkdir -p "$SHARE/$(dirname "$icon")"
  cp "$HERE/share/$icon" "$SHARE/$icon"
done
refresh_caches
echo "Caster Desk installed: $BIN (menu entry: Caster Desk)"

# The bundle carries its libraries except these, which belong to the host's graphics driver,
# display server and C runtime (packaging/linux/host-packages.txt says why, package by package).
# Wayland's are needed only in a Wayland session; the others always.
HOST_LIBRARIES="libGL.so.1 libEGL.so.1 libdrm.so.2 libxcb.so.1 libwayland-client.so.0 libwayland-cursor.so.0 libwayland-egl.so.1"
LDCONFIG="$(command -v ldconfig || echo /sbin/ldconfig)"
if [ -x "$LDCONFIG" ]; then
  known="$("$LDCONFIG" -p 2>/dev/null || true)"
  missing=""
  for lib in $HOST_LIBRARIES; do
    printf '%s\n' "$known" | grep -q "^[[:space:]]*$lib[[:space:]]" || missing="$missing $lib"
  done
  if [ -n "$missing" ]; then
    echo "Note: this system lacks$missing, which Caster Desk uses from the system." >&2
    echo "On Debian or Ubuntu: sudo apt-get install libgl1 libegl1 libdrm2 libxcb1 libwayland-client0 libwayland-cursor0 libwayland-egl1" >&2
  fi
fi
