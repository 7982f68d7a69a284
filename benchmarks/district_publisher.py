"""The side process of ``benchmarks.district_scale``: editors publishing across the district.

    python -m benchmarks.district_publisher --rate 1.0 [--run NAME]   # Django set up from the env

At ``--rate`` changes a second, in turn: a new notice published in a random compound (one in
ten in a community), an existing notice edited and published again, and a notice given an
expiry a few seconds ahead and published (so it expires by itself while screens poll). Every
change goes through Wagtail's real path (a revision, then ``publish``), so the shared cache is
told of it by the same signals as in production. Every minute it also does the worker's part,
writing the screens' last visits noted since the last time (``api.shared_cache.flush_seen``).
It prints READY once it is set up; on SIGTERM it prints one line of JSON: how many changes of
each kind it made, how long they took, and its flushes of last visits.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import time
from datetime import timedelta
from typing import Any

EXPIRES_AFTER = timedelta(seconds=5)
FLUSH_EVERY = 60.0  # seconds, as the worker's beat entry flush-screens-last-seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=1.0, help="changes a second")
    parser.add_argument("--run", default="", help="a name for this run's new notices' slugs")
    args = parser.parse_args()
    stopping = False

    def stop(*_: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    import django

    django.setup()
    from django.utils import timezone

    from api.shared_cache import flush_seen
    from content_types.notices.models import NoticePage
    from content_types.structure.models import CommunityPage, CompoundPage

    from .screen_data import SUBJECTS, publish_child

    compounds = list(CompoundPage.objects.values_list("pk", flat=True))
    communities = list(CommunityPage.objects.values_list("pk", flat=True))
    notices = list(NoticePage.objects.values_list("pk", flat=True))
    done: dict[str, Any] = {"published": 0, "edited": 0, "expiring": 0, "seconds": []}
    done.update(flushes=0, visits_written=0, flush_ms=[])
    print("READY", flush=True)
    rng = random.Random(f"16{args.run}")
    kinds = ("published", "edited", "expiring")
    started = time.monotonic()
    next_flush = started + FLUSH_EVERY / 2  # then each minute: one flush within a 60 s run
    step = 0
    while not stopping:
        if time.monotonic() >= next_flush:
            began = time.monotonic()
            done["visits_written"] += flush_seen()
            done["flush_ms"].append(round((time.monotonic() - began) * 1000, 1))
            done["flushes"] += 1
            next_flush += FLUSH_EVERY
        kind = kinds[step % len(kinds)]
        began = time.monotonic()
        if kind == "published":
            model, pool = (
                (CommunityPage, communities) if rng.random() < 0.1 else (CompoundPage, compounds)
            )
            parent = model.objects.get(pk=rng.choice(pool))
            title, summary = rng.choice(SUBJECTS)
            notice = publish_child(
                parent,
                NoticePage(
                    title=f"{title}（新）",
                    slug=f"new-{args.run}{step}",
                    summary=summary,
                    body=[("paragraph", f"<p>{summary}</p>")],
                ),
            )
            notices.append(notice.pk)
        else:
            notice = NoticePage.objects.get(pk=rng.choice(notices))
            if kind == "edited":
                notice.title = notice.title.split("（改")[0] + f"（改{step}）"
            else:
                notice.expire_at = timezone.now() + EXPIRES_AFTER
            notice.save_revision().publish()
        done[kind] += 1
        done["seconds"].append(time.monotonic() - began)
        step += 1
        wait = started + step / args.rate - time.monotonic()
        if wait > 0 and not stopping:
            time.sleep(wait)
    seconds = sorted(done.pop("seconds")) or [0.0]
    done["changes"] = step
    done["changes_per_second"] = round(step / (time.monotonic() - started), 2)
    done["median_ms"] = round(seconds[len(seconds) // 2] * 1000, 1)
    print("PUBLISHER " + json.dumps(done), flush=True)


if __name__ == "__main__":
    main()
