"""A cache the check did not write is never trusted (issue 8, item 8).

A `.aixin-cache/` committed to the repository (or copied from elsewhere) with a doctored
result.marshal — salt and fingerprint kept, findings dropped — must not hide a single error, and
`marshal.loads` must never run on bytes whose HMAC does not verify. CI runs with --no-cache, the
folder stays git-ignored, and the permission check runs with the target branch's code.
"""

from __future__ import annotations

import marshal
import os
import stat
from pathlib import Path

import pytest
import yaml

from aixin.check import cache as cache_module
from aixin.check.cache import Cache, cache_key
from aixin.check.engine import CACHE_FOLDER, run_check
from conftest import CASES, REPO, TODAY

G001 = CASES / "invalid" / "g001-age-13" / "records"
WORKFLOW = REPO / ".github" / "workflows" / "check.yml"


@pytest.fixture
def key_dir(tmp_path, monkeypatch):
    folder = tmp_path / "key"
    monkeypatch.setenv("AIXIN_CACHE_KEY_DIR", str(folder))
    return folder


def rules(root: Path) -> list[str]:
    return sorted(f.rule for f in run_check(root, today=TODAY, jobs=1).findings)


def _unpack(raw: bytes):
    """The (salt, payload) of a cache file, whichever layout wrote it."""
    for start in (32, 0):  # an HMAC-SHA256 first, or (an old or forged file) none
        try:
            loaded = marshal.loads(raw[start:])
        except (EOFError, ValueError, TypeError):
            continue
        if isinstance(loaded, tuple) and len(loaded) == 2:  # random bytes may unmarshal to something else
            return loaded
    raise AssertionError("not a cache file")


def test_a_doctored_committed_result_drops_no_error(make_root, key_dir):
    root = make_root(G001)
    honest = rules(root)
    assert "G001" in honest
    result_file = root / CACHE_FOLDER / "result.marshal"
    salt, (print_, (found, *rest)) = _unpack(result_file.read_bytes())
    # What a pull request could commit: the same salt and fingerprint, the errors taken out.
    doctored = (salt, (print_, ([row for row in found if row[3] != "G001"], *rest)))
    for forged in (marshal.dumps(doctored), os.urandom(32) + marshal.dumps(doctored)):
        result_file.write_bytes(forged)
        assert rules(root) == honest


def test_another_users_cache_is_not_trusted(make_root, tmp_path, monkeypatch):
    root = make_root(G001)
    monkeypatch.setenv("AIXIN_CACHE_KEY_DIR", str(tmp_path / "attacker"))
    honest = rules(root)
    result_file = root / CACHE_FOLDER / "result.marshal"
    raw = result_file.read_bytes()
    salt, (print_, payload) = _unpack(raw)
    body = marshal.dumps((salt, (print_, ([], *payload[1:]))))
    attacker_key = (tmp_path / "attacker" / "key").read_bytes()
    import hmac

    result_file.write_bytes(hmac.digest(attacker_key, body, "sha256") + body)  # valid for the attacker only
    monkeypatch.setenv("AIXIN_CACHE_KEY_DIR", str(tmp_path / "victim"))
    assert rules(root) == honest


def test_nothing_unverified_is_unmarshalled(tmp_path, key_dir, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "result.marshal").write_bytes(os.urandom(32) + marshal.dumps(("salt", (b"x", ()))))
    calls = []
    monkeypatch.setattr(cache_module.marshal, "loads", lambda data: calls.append(data))
    assert Cache(folder, "salt").result(b"x") is None
    assert calls == []


def test_the_cache_still_works_with_its_own_key(make_root, key_dir, monkeypatch):
    root = make_root(G001)
    first = rules(root)
    seen = []
    real = cache_module.Cache.result

    def result(self, print_):
        got = real(self, print_)
        seen.append(got is not None)
        return got

    monkeypatch.setattr(cache_module.Cache, "result", result)
    assert rules(root) == first
    assert seen == [True]  # the second run reused the verified result


def test_the_key_is_created_once_outside_the_repository_with_mode_0600(key_dir):
    key = cache_key()
    assert key is not None and len(key) == 32
    path = key_dir / "key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cache_key() == key


def test_no_usable_key_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("AIXIN_CACHE_KEY_DIR", str(blocker / "below-a-file"))
    folder = tmp_path / "cache"
    made = Cache(folder, "salt")
    made.save_result(b"x", ())
    assert made.result(b"x") is None and not folder.exists()


# ---------------------------------------------------------------------------- CI and Git


def _steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    return workflow["jobs"]["check"]["steps"]


def test_ci_never_uses_a_cache():
    runs = [s["run"] for s in _steps() if "aixin check" in s.get("run", "")]
    assert runs
    for run in runs:
        for line in run.splitlines():
            if line.strip().startswith("aixin check"):
                assert "--no-cache" in line, line


def test_ci_runs_the_permission_check_with_the_target_branchs_code_first():
    steps = _steps()
    base = next(i for i, s in enumerate(steps) if s.get("with", {}).get("ref") == "${{ github.base_ref }}")
    assert steps[base]["with"]["path"] == ".aixin-base" and steps[base]["with"]["persist-credentials"] is False
    permission = next(i for i, s in enumerate(steps) if "--pr" in s.get("run", ""))
    assert "--root . " in steps[permission]["run"] and "base-aixin/bin" in steps[permission]["run"]
    own_code = next(i for i, s in enumerate(steps) if s.get("run", "").strip() == "python -m pip install .")
    assert base < permission < own_code


def test_the_cache_stays_ignored():
    lines = (REPO / ".gitignore").read_text("utf-8").splitlines()
    assert f"{CACHE_FOLDER}/" in lines
