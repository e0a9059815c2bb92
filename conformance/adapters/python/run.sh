#!/usr/bin/env sh
# Runs the conformance suite against Antom's official Python SDK through
# adapter.py, with the SDK's known deviations as expected failures.
#
# Creates a virtualenv under target/, installs global-open-sdk-python from PyPI
# and runs the runner. Skips (exit 0) when python3 is not available.
#
# Environment: SDK_VERSION (default 1.7.1, the version expected-failures.txt
# was written for), REPORT_DIR (default target/conformance/python-sdk).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
SDK_VERSION=${SDK_VERSION:-1.7.1}
VENV="$ROOT/target/conformance/python-venv"
REPORT_DIR=${REPORT_DIR:-"$ROOT/target/conformance/python-sdk"}

if ! command -v python3 >/dev/null 2>&1; then
    echo "conformance/adapters/python/run.sh: SKIPPED: python3 is not installed"
    exit 0
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "conformance/adapters/python/run.sh: SKIPPED: python3 has no venv/ensurepip module (install python3-venv)"
    exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "global-open-sdk-python==$SDK_VERSION"

cd "$ROOT"
exec cargo run --quiet -p antom-conformance -- \
    --quiet \
    --adapter "$VENV/bin/python $HERE/adapter.py" \
    --strict \
    --timing \
    --expected-failures "$HERE/expected-failures.txt" \
    --report-dir "$REPORT_DIR"
