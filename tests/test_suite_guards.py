"""The guards the suite puts on its own tests, tried on tests written to trip them: an exception
in a thread fails its test, and a test that hangs is stopped with a traceback."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_pytest_on(tmp_path: Path, source: str) -> subprocess.CompletedProcess:
    """Run `source` as a test module under this project's pytest configuration."""
    module = tmp_path / "test_tripwire.py"
    module.write_text(source)
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"),
            *("-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), str(module)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_exception_in_a_thread_fails_the_test(tmp_path):
    result = run_pytest_on(
        tmp_path,
        "import threading\n\n"
        "def test_quietly_broken():\n"
        "    thread = threading.Thread(target=lambda: 1 / 0)\n"
        "    thread.start()\n"
        "    thread.join()\n",
    )
    assert result.returncode == 1, result.stdout
    assert "1 failed" in result.stdout
    assert "ZeroDivisionError" in result.stdout


def test_a_test_that_hangs_fails_with_a_traceback(tmp_path):
    result = run_pytest_on(
        tmp_path,
        "import threading\n\nimport pytest\n\n"
        # func_only: only the test's own body is timed, so a slow setup on a loaded machine
        # (CI runs four passes on two cores) cannot trip the ceiling before the test is reached.
        "@pytest.mark.timeout(2, func_only=True)\n"
        "def test_waits_forever():\n"
        "    threading.Event().wait()\n",
    )
    assert result.returncode == 1, result.stdout
    assert "Failed: Timeout (>2.0s) from pytest-timeout" in result.stdout
    assert "threading.Event().wait()" in result.stdout  # where it hung


def test_every_test_has_a_ceiling():
    import tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert 0 < int(options["timeout"]) <= 600
    assert "error::pytest.PytestUnhandledThreadExceptionWarning" in options["filterwarnings"]
