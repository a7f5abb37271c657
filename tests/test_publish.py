"""`portal publish` and `portal rollback`: releases side by side, `current` switched atomically."""

from __future__ import annotations

import filecmp
import os
import threading
from pathlib import Path

from generator.releases import publish_site, read_history, rollback, site_hash
from tests.builders import declaration, make_registers
from tests.conftest import run_portal


def fake_site(root: Path, label: str, pages: int = 3, as_of: str = "2026-11-24") -> Path:
    """A small finished site: index.html, a few pages and the sitemap that dates it."""
    site = root / f"site-{label}"
    for n in range(pages):
        page = site / f"stranitsa-{n}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"<html><body>Издание {label}, страница {n}</body></html>\n", encoding="utf-8")
    (site / "index.html").write_text(f"<html><body>Начало, издание {label}</body></html>\n", encoding="utf-8")
    (site / "sitemap.xml").write_text(f"<urlset><url><loc>/</loc><lastmod>{as_of}</lastmod></url></urlset>\n", encoding="utf-8")
    return site


def publish(tmp_path: Path, site: Path, *extra: str):
    registers = tmp_path / "registers"
    registers.mkdir(exist_ok=True)
    return run_portal("publish", "--site", str(site), "--to", str(tmp_path / "www"), "--registers", str(registers), *extra)


def current(www: Path) -> str:
    return os.readlink(www / "current")


def test_publish_keeps_releases_side_by_side_and_points_current_at_the_new_one(tmp_path):
    www = tmp_path / "www"
    first, second = fake_site(tmp_path, "А"), fake_site(tmp_path, "Б")

    one = publish(tmp_path, first)
    two = publish(tmp_path, second)

    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    first_name, second_name = f"2026-11-24-{site_hash(first)}", f"2026-11-24-{site_hash(second)}"
    assert sorted(p.name for p in (www / "releases").iterdir()) == sorted([first_name, second_name])
    assert current(www) == f"releases/{second_name}"
    assert (www / "current" / "index.html").read_text(encoding="utf-8") == (second / "index.html").read_text(encoding="utf-8")
    assert not filecmp.dircmp(second, www / "releases" / second_name).diff_files
    assert read_history(www) == [first_name, second_name]
    assert two.stdout == f"Публикувано е изданието {second_name}; {www / 'current'} сочи към него.\n"


def test_rollback_goes_back_one_release_at_a_time_and_stops_at_the_first(tmp_path):
    www = tmp_path / "www"
    sites = [fake_site(tmp_path, label) for label in ("А", "Б", "В")]
    for site in sites:
        assert publish(tmp_path, site).returncode == 0
    names = [f"2026-11-24-{site_hash(s)}" for s in sites]

    back_once = run_portal("rollback", "--to", str(www))
    assert back_once.returncode == 0, back_once.stderr
    assert current(www) == f"releases/{names[1]}"
    assert back_once.stdout == f"Сайтът е върнат към изданието {names[1]}; {www / 'current'} сочи към него.\n"

    assert run_portal("rollback", "--to", str(www)).returncode == 0
    assert current(www) == f"releases/{names[0]}"

    nothing = run_portal("rollback", "--to", str(www))
    assert nothing.returncode == 1
    assert f"Отказано: в {www} няма предишно издание, към което да се върне сайтът." in nothing.stderr
    assert current(www) == f"releases/{names[0]}"


def test_publishing_the_same_site_again_reuses_its_release(tmp_path):
    www = tmp_path / "www"
    site = fake_site(tmp_path, "А")
    publish(tmp_path, site)
    publish(tmp_path, fake_site(tmp_path, "Б"))

    again = publish(tmp_path, site)

    name = f"2026-11-24-{site_hash(site)}"
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Отново е публикувано изданието {name};")
    assert current(www) == f"releases/{name}"
    assert len(list((www / "releases").iterdir())) == 2


def test_publish_refuses_a_folder_that_is_not_a_built_site(tmp_path):
    www = tmp_path / "www"
    publish(tmp_path, fake_site(tmp_path, "А"))
    before = current(www)
    folder = tmp_path / "not-a-site"
    folder.mkdir()
    (folder / "readme.txt").write_text("бележки\n", encoding="utf-8")

    result = publish(tmp_path, folder)

    assert result.returncode == 1
    assert f"Отказано: папката {folder} не е изграден сайт (няма index.html)." in result.stderr
    assert "Публикуваният сайт (current) не е променен." in result.stderr
    assert current(www) == before


def test_publish_refuses_a_site_whose_scan_finds_personal_data_and_leaves_no_trace(tmp_path):
    www = tmp_path / "www"
    row = declaration()
    make_registers(tmp_path, declarations=[row])
    publish(tmp_path, fake_site(tmp_path, "А"))
    before = sorted(p.name for p in (www / "releases").iterdir())
    leaky = fake_site(tmp_path, "Б")
    (leaky / "stranitsa-0" / "index.html").write_text(f"<html><body>Телефон: {row['phone']}</body></html>\n", encoding="utf-8")

    result = publish(tmp_path, leaky)

    assert result.returncode == 1
    assert "Отказано: проверката за лични данни намери" in result.stderr
    assert "stranitsa-0/index.html" in result.stderr
    assert row["phone"] not in result.stdout + result.stderr
    assert current(www) == f"releases/{before[0]}"
    assert sorted(p.name for p in (www / "releases").iterdir()) == before  # no release, no half-copied folder


def test_publish_keeps_the_last_releases_and_never_deletes_the_current_one(tmp_path):
    www = tmp_path / "www"
    sites = [fake_site(tmp_path, str(n), as_of=f"2026-11-{10 + n}") for n in range(5)]
    for site in sites:
        result = publish(tmp_path, site, "--keep", "3")
        assert result.returncode == 0, result.stderr
    names = [f"2026-11-{10 + n}-{site_hash(s)}" for n, s in enumerate(sites)]

    assert sorted(p.name for p in (www / "releases").iterdir()) == names[2:]
    assert read_history(www) == names[2:]
    assert current(www) == f"releases/{names[4]}"
    assert "Изтрити стари издания" in result.stdout


def test_a_reader_following_current_always_finds_a_whole_release(tmp_path):
    """While releases are published and rolled back, every look through `current` sees a complete site."""
    www = tmp_path / "www"
    pages = 150
    sites = [fake_site(tmp_path, str(n), pages=pages) for n in range(4)]
    expected = {f"stranitsa-{n}" for n in range(pages)} | {"index.html", "sitemap.xml"}
    publish_site(sites[0], www, [])
    stop = threading.Event()
    seen: list[str] = []
    broken: list[str] = []

    def reader() -> None:
        while not stop.is_set():
            try:
                target = os.readlink(www / "current")
                names = set(os.listdir(www / target))
            except OSError as error:  # `current` missing or pointing nowhere, even for an instant
                broken.append(repr(error))
                continue
            seen.append(target)
            if names != expected:
                broken.append(f"{target}: {len(names)} entries")

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for site in sites[1:]:
            publish_site(site, www, [])
        rollback(www)
        rollback(www)
    finally:
        stop.set()
        thread.join()

    assert broken == []
    assert len(set(seen)) >= 2  # the reader did look while the site changed
    assert current(www) == f"releases/2026-11-24-{site_hash(sites[1])}"


def test_a_real_build_is_published_under_its_build_date(tmp_path, build):
    make_registers(tmp_path, declarations=[declaration()])
    run = build(as_of="2026-11-24")
    assert run.code == 0, run.output

    result = run_portal("publish", "--site", str(run.site), "--to", str(tmp_path / "www"), "--registers", str(tmp_path / "registers"))

    assert result.returncode == 0, result.stderr
    assert current(tmp_path / "www") == f"releases/2026-11-24-{site_hash(run.site)}"
    assert (tmp_path / "www" / "current" / "pagefind" / "pagefind-entry.json").is_file()
