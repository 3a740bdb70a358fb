"""Term names and `make publish`'s refusal of a missing or malformed term.

Publishing itself (mike, gh-pages, the banner in a browser) is tested in
tests/e2e/test_published_offerings.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from offerings.terms import TermError, order_versions, parse_term  # noqa: E402


def test_terms_sort_in_teaching_order():
    names = ["2027-fall", "2026-fall", "2027-winter", "2027-summer", "2027-spring"]
    ordered = sorted(parse_term(name) for name in names)
    assert [term.name for term in ordered] == [
        "2026-fall",
        "2027-winter",
        "2027-spring",
        "2027-summer",
        "2027-fall",
    ]
    assert parse_term("2027-winter").title == "Winter 2027"


@pytest.mark.parametrize(
    "text, guess",
    [
        ("", None),
        ("Winter 2027", "2027-winter"),
        ("2027-Autumn", "2027-fall"),
        ("2027-w", None),
        ("27-winter", None),
    ],
)
def test_a_malformed_term_is_refused_with_the_form(text: str, guess: str | None):
    with pytest.raises(TermError) as raised:
        parse_term(text)
    assert raised.value.guess == guess
    assert "<year>-<season>, the season one of winter, spring, summer, fall" in str(
        raised.value
    )


def test_versions_json_lists_the_terms_newest_first():
    # As mike orders them: as software versions, `2027-fall` is a
    # pre-release of 2027 and `2027-winter` the last post-release.
    by_mike = [
        {"version": "dev", "title": "dev", "aliases": []},
        {"version": "2027-winter", "title": "Winter 2027", "aliases": []},
        {"version": "2027-spring", "title": "Spring 2027", "aliases": []},
        {"version": "2027-fall", "title": "Fall 2027", "aliases": ["latest"]},
        {"version": "2026-fall", "title": "Fall 2026", "aliases": []},
    ]
    ordered = [entry["version"] for entry in order_versions(by_mike)]
    assert ordered == ["2027-fall", "2027-spring", "2027-winter", "2026-fall", "dev"]


def test_the_current_term_file_names_a_term():
    text = (PROJECT_ROOT / "CURRENT_TERM").read_text(encoding="utf-8")
    assert parse_term(text.strip()).name + "\n" == text


def make_publish(*args: str, terminal: str | None) -> subprocess.CompletedProcess:
    """`make publish` without its setup (-o: the tests run set up already)."""
    env = {key: value for key, value in os.environ.items() if key != "TERM"}
    if terminal:
        env["TERM"] = terminal
    return subprocess.run(
        ["make", "--no-print-directory", "-o", "setup", "publish", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_make_publish_refuses_a_missing_or_malformed_term():
    # The shell's TERM is the terminal type, not a term to publish.
    missing = make_publish(terminal="xterm-256color")
    assert missing.returncode == 2, missing.stdout + missing.stderr
    assert "publish: no term given" in missing.stderr
    assert "run: make publish TERM=" in missing.stderr

    misspelt = make_publish("TERM=Winter 2027", terminal="xterm-256color")
    assert misspelt.returncode == 2, misspelt.stdout + misspelt.stderr
    assert '"Winter 2027" is not a term name; did you mean 2027-winter?' in (
        misspelt.stderr
    )
    assert "run: make publish TERM=2027-winter" in misspelt.stderr


# A child that writes "Été 2027" as UTF-8, as git and mike write their output.
WRITES_UTF8 = "import sys; sys.stdout.buffer.write('\\u00c9t\\u00e9 2027'.encode())"
# Python in a locale whose code page is not UTF-8, as Windows' cp1252 is:
# the C locale, not coerced to UTF-8 (PEP 538) and without UTF-8 mode.
NOT_UTF8_LOCALE = {"LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}


@pytest.mark.skipif(sys.platform == "win32", reason="sets a POSIX locale")
def test_git_and_mike_output_is_read_as_utf8_whatever_the_locale():
    check = (
        "import os, sys\n"
        "from offerings.publish import run\n"
        f"said = run([sys.executable, '-c', {WRITES_UTF8!r}], dict(os.environ),"
        " capture=True)\n"
        "print(ascii(said))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=PROJECT_ROOT,
        capture_output=True,
        env={**os.environ, **NOT_UTF8_LOCALE},
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert result.stdout.decode().strip() == ascii("Été 2027")
