#!/usr/bin/env bash
# Prints the path of a Python interpreter for one of our two environments, or explains what to install.
#   scripts/find-python.sh rasa   -> a Python 3.10 (Rasa 3.6.21 supports 3.8-3.10 only; we use 3.10)
#   scripts/find-python.sh app    -> a Python >= 3.11
set -euo pipefail
want=${1:?usage: find-python.sh rasa|app}

check() {  # check PYTHON -> success if it runs and has the wanted version
  local py=$1
  [ -x "$py" ] || command -v "$py" >/dev/null 2>&1 || return 1
  if [ "$want" = rasa ]; then
    "$py" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null
  else
    "$py" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null
  fi
}

candidates=()
if [ "$want" = rasa ]; then
  candidates+=(python3.10)
  for p in "$HOME"/.pyenv/versions/3.10.*/bin/python /usr/local/bin/python3.10 /usr/bin/python3.10; do candidates+=("$p"); done
  if command -v uv >/dev/null 2>&1; then candidates+=("$(uv python find 3.10 2>/dev/null || true)"); fi
else
  candidates+=(python3 python3.13 python3.12 python3.11)
  for p in "$HOME"/.pyenv/versions/3.1[1-3].*/bin/python; do candidates+=("$p"); done
  if command -v uv >/dev/null 2>&1; then candidates+=("$(uv python find '>=3.11' 2>/dev/null || true)"); fi
fi

for py in "${candidates[@]}"; do
  [ -n "$py" ] || continue
  if check "$py"; then
    command -v "$py" 2>/dev/null || echo "$py"
    exit 0
  fi
done

if [ "$want" = rasa ]; then
  cat >&2 <<'MSG'
ERROR: no Python 3.10 found (looked at python3.10 on PATH, ~/.pyenv/versions/3.10.*, `uv python find 3.10`).
Rasa 3.6.21 runs only on Python 3.8-3.10. Install one of:
  pyenv install 3.10.13           (then run make again)
  uv python install 3.10
  apt-get install python3.10 python3.10-venv   (where your distribution has it)
MSG
else
  cat >&2 <<'MSG'
ERROR: no Python >= 3.11 found (looked at python3, python3.11-3.13, ~/.pyenv/versions, uv).
Install Python 3.11 or newer (e.g. `pyenv install 3.11.7` or `uv python install 3.11`) and run make again.
MSG
fi
exit 1
