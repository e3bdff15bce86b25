#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 needs Python < 3.11), or fails with a clear message.
# Order: $PYTHON, a working `python3.10` on the PATH, then pyenv's 3.10.x.
set -u
works() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }
if [ -n "${PYTHON:-}" ]; then
  works "$PYTHON" && { command -v "$PYTHON"; exit 0; }
  echo "error: PYTHON=$PYTHON is not a working Python 3.10 interpreter." >&2; exit 1
fi
candidate=$(command -v python3.10 2>/dev/null || true)
works "$candidate" && { echo "$candidate"; exit 0; }
if command -v pyenv >/dev/null 2>&1; then
  for candidate in "$(pyenv root)"/versions/3.10.*/bin/python3.10; do
    works "$candidate" && { echo "$candidate"; exit 0; }
  done
fi
cat >&2 <<MSG
error: Python 3.10 not found. Rasa 3.6 needs Python 3.10 (3.11 is too new).
Install it (e.g. 'pyenv install 3.10.13' or 'apt install python3.10') or point PYTHON at it:
    make run PYTHON=/path/to/python3.10
MSG
exit 1
