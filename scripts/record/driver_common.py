"""Shared by the Python SDK drivers, as driver-common.mjs is for the Node ones: the Base URL and key come from
the recorder, and before each SDK call the driver notes in ROUTECHECK_CALLS_FILE how many requests the recorder's
journal already holds, so record-client can tell which requests each call sent."""
import json
import os
import sys
import urllib.request

base_url = os.environ.get("ROUTECHECK_BASE_URL")
api_key = os.environ.get("ROUTECHECK_API_KEY")
_calls_file = os.environ.get("ROUTECHECK_CALLS_FILE")
_journal_url = os.environ.get("ROUTECHECK_JOURNAL_URL")
if not (base_url and api_key and _calls_file and _journal_url):
    print("driver: ROUTECHECK_BASE_URL, ROUTECHECK_API_KEY, ROUTECHECK_CALLS_FILE, ROUTECHECK_JOURNAL_URL are required",
          file=sys.stderr)
    sys.exit(2)


def _journal_count():
    # The journal is on loopback: no proxy may stand between (the recorder sets HTTP_PROXY to a dead port).
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(_journal_url, timeout=10) as r:
        entries = json.load(r)
    if isinstance(entries, dict):
        entries = entries.get("entries", [])
    return sum(1 for e in entries if not str(e.get("path", "")).startswith("/__routecheck/"))


def call(name, fn):
    """Runs one SDK call; a failure is noted and the next call still runs (the sequence is what matters)."""
    with open(_calls_file, "a", encoding="utf-8") as f:
        f.write(f"{name}\t{_journal_count()}\n")
    try:
        fn()
        print(f"{name}: ok")
    except Exception as e:  # noqa: BLE001 - any client error is a fact to note, not a reason to stop
        print(f"{name}: error {type(e).__name__}: {str(e)[:200]}")


def drain(stream):
    for _ in stream:
        pass
