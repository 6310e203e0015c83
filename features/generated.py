"""Generated features beside the real content: what scale tests and `bench_scale` measure with.

Rows are written in bulk (no signals, no history); the content revision is bumped once at the
end so cached pages notice. Generated features spread over the existing areas and sessions, so
every list the site draws (a session's features, an area's, the changelog) grows with them.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from ignite.dates import DatePrecision
from ignite.models import ContentRevision
from ignite.publishing import PublicationState
from sessions.models import Session

from . import search
from .models import Area, DocLink, Feature, ReleaseStatus, StatusChange

WORDS = [
    "network",
    "node",
    "pool",
    "cluster",
    "fleet",
    "upgrade",
    "policy",
    "identity",
    "storage",
    "gateway",
    "mesh",
    "observability",
    "scaling",
    "security",
    "sandbox",
    "dns",
    "ingress",
    "backup",
    "registry",
    "workload",
    "namespace",
    "quota",
]
STATUSES = [ReleaseStatus.GA, ReleaseStatus.PUBLIC_PREVIEW, ReleaseStatus.PREVIEW]
BATCH = 500


def generate_features(count: int, seed: int = 2025) -> int:
    """Add `count` published features (each with a doc link and a status entry); return how
    many features there are now."""
    areas = list(Area.objects.all()) or [Area.objects.create(name="Generated", slug="generated")]
    sessions = list(Session.objects.all())
    rng = random.Random(seed)
    now = timezone.now()
    start = Feature.objects.filter(slug__startswith="generated-").count()
    with transaction.atomic():
        for first in range(start, start + count, BATCH):
            numbers = range(first, min(first + BATCH, start + count))
            features = [_feature(n, rng, areas, sessions, now) for n in numbers]
            Feature.objects.bulk_create(features)
            features = list(
                Feature.objects.filter(slug__in=[f.slug for f in features]).order_by("pk")
            )
            StatusChange.objects.bulk_create(
                StatusChange(
                    feature=feature,
                    status=feature.status,
                    date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n % 300),
                    date_precision=DatePrecision.DAY,
                    note_en="Generated for a scale test",
                    recorded_at=now,
                )
                for n, feature in zip(numbers, features, strict=True)
            )
            DocLink.objects.bulk_create(
                DocLink(
                    feature=feature,
                    title_en="Documentation",
                    url=f"https://learn.example.com/generated/{feature.slug}",
                )
                for feature in features
            )
        Feature.objects.filter(slug__startswith="generated-").refresh_followed_at()
        ContentRevision.bump()
    return Feature.objects.count()


def _feature(n: int, rng: random.Random, areas, sessions, now) -> Feature:
    words = rng.sample(WORDS, 3)
    name = f"{' '.join(word.capitalize() for word in words)} {n:05d}"
    feature = Feature(
        name=name,
        slug=f"generated-{n:05d}",
        status=STATUSES[n % 3],
        area=areas[n % len(areas)],
        session=sessions[n % len(sessions)] if sessions else None,
        summary_en=f"A generated feature about {words[0]}, {words[1]} and {words[2]}.",
        summary_ja=f"{words[0]}、{words[1]}、{words[2]} に関する生成された機能です。",
        body_en=" ".join(rng.choice(WORDS) for _ in range(60)),
        state=PublicationState.PUBLISHED,
        first_published_at=now,
        followed_at=now,  # what followed_moment() gives it: published and recorded now
    )
    feature.search_text = search.feature_document(feature)  # bulk_create skips save()
    return feature
