"""ProfileStore: round trips, validation, atomic writes, and damaged files."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from app.credentials import (
    InvalidProfileError,
    Profile,
    ProfileExistsError,
    ProfileNotFoundError,
    ProfileStore,
    ProfileStoreError,
)


def test_default_path_is_the_per_user_config_dir(isolated_home: Path) -> None:
    assert ProfileStore().path == isolated_home / "xdg_config_home" / "casterdesk" / "profiles.json"


def test_round_trip_rename_delete_and_default(store: ProfileStore) -> None:
    a = Profile("Studio A", "LTAIa", "cn-shanghai")
    b = Profile("b", "LTAIb", "ap-southeast-1", "live.ap-southeast-1.aliyuncs.com", "v1", True)
    store.add(a)
    store.add(b)
    with pytest.raises(ProfileExistsError):
        store.add(a)
    assert ProfileStore(store.path).list_profiles() == [b, a]  # a fresh reader sees the same
    assert store.get("b") == b
    store.set_default("Studio A")
    store.mark_used("b")
    assert (store.chosen_default(), store.default_name()) == ("Studio A", "Studio A")
    renamed = store.rename("Studio A", "Studio Z")
    assert renamed.access_key_id == "LTAIa"
    assert store.chosen_default() == "Studio Z"  # the default mark follows the rename
    with pytest.raises(ProfileExistsError):
        store.rename("b", "Studio Z")
    store.delete("Studio Z")
    assert store.default_name() == "b"  # falls back to last used
    with pytest.raises(ProfileNotFoundError) as caught:
        store.get("Studio Z")
    assert caught.value.available == ("b",)
    assert "Known profiles: b." in str(caught.value)


def test_writes_are_atomic_private_and_leave_no_temp_files(store: ProfileStore) -> None:
    for i in range(5):
        store.save(Profile(f"p{i}", f"LTAI{i}", "cn-shanghai"))
    assert sorted(os.listdir(store.path.parent)) == ["profiles.json"]
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    data = json.loads(store.path.read_text())
    assert data["version"] == 1
    assert set(data["profiles"][0]) == {
        "name",
        "access_key_id",
        "region_id",
        "endpoint",
        "signature_version",
        "uses_sts_token",
    }


def test_concurrent_writers_never_leave_a_half_written_file(store: ProfileStore) -> None:
    """Readers racing with writers only ever see a complete, parseable file."""
    store.save(Profile("seed", "LTAIseed", "cn-shanghai"))
    stop = threading.Event()
    seen_problems: list[str] = []

    def read_constantly() -> None:
        reader = ProfileStore(store.path)
        while not stop.is_set():
            reader.list_profiles()
            if reader.problem is not None:
                seen_problems.append(reader.problem.message)

    thread = threading.Thread(target=read_constantly, name="profile-reader")
    thread.start()
    try:
        for i in range(60):
            store.save(Profile(f"w{i}", "LTAIw", "cn-shanghai", endpoint="x" * (i * 50)))
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert seen_problems == []
    assert len(store.list_profiles()) == 61


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "  "}, "profile name"),
        ({"name": "aliyun:x"}, "profile name"),
        ({"name": "x" * 65}, "profile name"),
        ({"name": "bad\nname"}, "profile name"),
        ({"access_key_id": "LTAI with space"}, "AccessKey ID"),
        ({"region_id": ""}, "region"),
        ({"endpoint": "live aliyuncs.com"}, "endpoint"),
        ({"signature_version": "v2"}, "signature version"),
    ],
)
def test_invalid_fields_are_refused_plainly(kwargs: dict[str, str], field: str) -> None:
    values = {"name": "p", "access_key_id": "LTAIp", "region_id": "cn-shanghai"} | kwargs
    with pytest.raises(InvalidProfileError) as caught:
        Profile(**values)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert caught.value.message.startswith(f"Invalid {field}:")
    assert caught.value.message_zh != caught.value.message


def test_fields_are_trimmed_and_empty_endpoint_means_default() -> None:
    p = Profile(" 导播 1 ", " LTAIp ", " cn-shanghai ", endpoint="  ")
    assert (p.name, p.access_key_id, p.region_id, p.endpoint) == (
        "导播 1",
        "LTAIp",
        "cn-shanghai",
        None,
    )


def test_corrupt_file_is_reported_backed_up_and_not_lost(store: ProfileStore) -> None:
    store.path.parent.mkdir(parents=True)
    broken = b'{"profiles": [{"name": "a", "access_key_id": "LTAIa", "region_'
    store.path.write_bytes(broken)
    assert store.list_profiles() == []  # no crash
    problem = store.problem
    assert isinstance(problem, ProfileStoreError)
    assert "could not be read" in problem.message and "not valid JSON" in problem.message
    assert problem.backup is not None and problem.backup.read_bytes() == broken
    assert str(problem.backup) in problem.message
    assert "无法读取" in problem.message_zh
    # Reading again does not pile up backups; writing keeps the backup.
    store.list_profiles()
    store.add(Profile("fresh", "LTAIf", "cn-shanghai"))
    assert store.problem is None
    assert problem.backup.read_bytes() == broken
    assert sorted(p.name for p in store.path.parent.iterdir()) == [
        "profiles.json",
        problem.backup.name,
    ]
    assert store.names() == ["fresh"]


def test_one_bad_entry_keeps_the_rest_and_backs_up_the_file(store: ProfileStore) -> None:
    store.path.parent.mkdir(parents=True)
    original = json.dumps(
        {
            "profiles": [
                {"name": "good", "access_key_id": "LTAIg", "region_id": "cn-shanghai"},
                {"name": "bad", "access_key_id": 42, "region_id": "cn-shanghai"},
                "not an object",
            ],
            "default": "good",
        }
    ).encode()
    store.path.write_bytes(original)
    assert store.names() == ["good"]
    assert store.default_name() == "good"
    assert (
        store.problem is not None and "2 profile entries could not be read" in store.problem.message
    )
    assert store.problem.backup is not None and store.problem.backup.read_bytes() == original


def test_wrong_layout_is_a_plain_problem(store: ProfileStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_text("[1, 2, 3]")
    assert store.list_profiles() == []
    assert store.problem is not None and "unexpected layout" in store.problem.message


def test_unwritable_folder_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the folder should be")
    store = ProfileStore(blocker / "profiles.json")
    with pytest.raises(ProfileStoreError) as caught:
        store.add(Profile("p", "LTAIp", "cn-shanghai"))
    assert caught.value.message.startswith("Caster Desk could not save your profiles")


def test_secret_looking_keys_in_the_file_are_ignored(store: ProfileStore) -> None:
    """A hand-edited file with a secret in it must not make the app carry the secret around."""
    store.path.parent.mkdir(parents=True)
    store.path.write_text(
        json.dumps(
            {
                "profiles": [
                    {
                        "name": "p",
                        "access_key_id": "LTAIp",
                        "region_id": "cn-shanghai",
                        "access_key_secret": "hand-typed-secret",
                    }
                ]
            }
        )
    )
    profile = store.get("p")
    assert "hand-typed-secret" not in repr(profile)
    store.save(profile)
    assert "hand-typed-secret" not in store.path.read_text()
