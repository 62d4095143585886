# Shared by bin/run and bin/test: create venv/ and install a requirements file into it,
# skipping the install when nothing changed since the last one.
ensure_venv() {
  local requirements="$1"
  local python="${PYTHON:-python3.11}"
  command -v "$python" >/dev/null 2>&1 || python=python3
  if [ ! -x venv/bin/python ]; then
    "$python" -m venv venv
  fi
  mkdir -p var
  local stamp="var/.installed-$(basename "$requirements" .txt)"
  local digest
  digest="$(cat requirements.txt "$requirements" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$digest" > "$stamp"
  fi
}
