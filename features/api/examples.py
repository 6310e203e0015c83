"""Answers from the launch content for the API's documentation (a test checks them against
the schema)."""

from sessions.api.examples import BRK120

BRK120_IN_JAPANESE = {
    "code": "BRK120",
    "slug": "brk120",
    "title": "Scaling Kubernetes Securely and Reliably with Azure Kubernetes Service",
    "event": {
        "slug": "ignite-2025",
        "name": "Microsoft Ignite 2025",
        "start_date": "2025-11-17",
        "end_date": "2025-11-21",
        "url": "https://recap.example.com/ja/events/ignite-2025/",
        "api_url": "https://recap.example.com/api/v1/events/ignite-2025/",
        "fallback_languages": {},
    },
    "url": "https://recap.example.com/ja/sessions/brk120/",
    "api_url": "https://recap.example.com/api/v1/sessions/brk120/",
}

FEATURE_IN_LIST = {
    "slug": "localdns",
    "name": "LocalDNS",
    "status": "ga",
    "status_label": "一般提供",
    "area": {
        "slug": "networking",
        "name": "ネットワーク",
        "url": "https://recap.example.com/ja/features/?area=networking",
        "api_url": "https://recap.example.com/api/v1/areas/networking/",
        "fallback_languages": {},
    },
    "topic": "DNS",
    "session": BRK120_IN_JAPANESE,
    "summary": "ノードごとに DNS を持つことで CoreDNS の負荷を下げ、名前解決を速く、安定させます。",
    "summary_html": (
        "<p>ノードごとに DNS を持つことで CoreDNS の負荷を下げ、名前解決を速く、安定させます。</p>"
    ),
    "first_published_at": "2026-11-24T09:00:00Z",
    "updated_at": "2026-11-30T10:04:34.538108Z",
    "url": "https://recap.example.com/ja/features/localdns/",
    "api_url": "https://recap.example.com/api/v1/features/localdns/",
    "fallback_languages": {},
}

FEATURE = {
    "slug": "acns-container-network-logs",
    "name": "ACNS: Container Network Logs",
    "status": "public-preview",
    "status_label": "Public Preview",
    "area": {
        "slug": "networking",
        "name": "Networking",
        "url": "https://recap.example.com/en/features/?area=networking",
        "api_url": "https://recap.example.com/api/v1/areas/networking/",
        "fallback_languages": {},
    },
    "topic": "Observability",
    "session": BRK120,
    "summary": "Logs of the traffic between containers, part of Advanced Container Networking "
    "Services, for tracking down DNS problems and latency.",
    "summary_html": "<p>Logs of the traffic between containers, part of Advanced Container "
    "Networking Services, for tracking down DNS problems and latency.</p>",
    "first_published_at": "2026-11-24T09:00:00Z",
    "updated_at": "2026-11-30T10:04:34.370166Z",
    "url": "https://recap.example.com/en/features/acns-container-network-logs/",
    "api_url": "https://recap.example.com/api/v1/features/acns-container-network-logs/",
    "fallback_languages": {},
    "body": "Container Network Logs record the traffic flowing from one container to another, so "
    "that a DNS failure or a slow connect…",
    "body_html": "<p>Container Network Logs record the traffic flowing from one container to "
    "another, so that a DNS failure or a slow conn…</p>",
    "editors_note": "The log volume can get very large: plan where the logs go and what they cost "
    "before turning this on. The original recap…",
    "editors_note_html": "<p>The log volume can get very large: plan where the logs go and what "
    "they cost before turning this on. The original rec…</p>",
    "links": [
        {
            "title": "Container network logs",
            "url": "https://learn.microsoft.com/azure/aks/container-network-observability-logs",
            "kind": "docs",
            "kind_label": "Documentation",
            "fallback_languages": {},
        }
    ],
    "related": [
        {
            "slug": "localdns",
            "name": "LocalDNS",
            "status": "ga",
            "status_label": "GA",
            "url": "https://recap.example.com/en/features/localdns/",
            "api_url": "https://recap.example.com/api/v1/features/localdns/",
        }
    ],
    "status_history": [
        {
            "event": "ignite-2025",
            "is_correction": False,
            "source": {
                "kind": "session",
                "kind_label": "Conference session",
                "session": BRK120,
                "title": "",
                "url": None,
                "status_as_written": "Public Preview",
            },
            "checked_on": "2026-11-24",
            "id": "3f0c8b8e-5d1e-5f4a-9a52-6f1d2c7b9e10",
            "date": "2025-11-17",
            "date_precision": "event",
            "date_text": "during Microsoft Ignite 2025 (17–21 November 2025)",
            "recorded_at": "2026-11-24T09:00:00Z",
            "status": "public-preview",
            "status_label": "Public Preview",
            "kind": "new",
            "kind_label": "Announced",
            "note": "Reported in the Zenn recap 「Microsoft Ignite 2025のまとめ〜AKS編〜」 by "
            "さいとう (Saito), which gives no day.",
            "fallback_languages": {},
        }
    ],
}

AREA_IN_LIST = {
    "slug": "networking",
    "name": "Networking",
    "url": "https://recap.example.com/en/features/?area=networking",
    "api_url": "https://recap.example.com/api/v1/areas/networking/",
    "fallback_languages": {},
    "feature_count": 2,
    "features_api_url": "https://recap.example.com/api/v1/features/?area=networking",
}

AREA = {
    "slug": "networking",
    "name": "Networking",
    "url": "https://recap.example.com/en/features/?area=networking",
    "api_url": "https://recap.example.com/api/v1/areas/networking/",
    "fallback_languages": {},
    "feature_count": 2,
    "features_api_url": "https://recap.example.com/api/v1/features/?area=networking",
}

COMPARISON_IN_LIST = {
    "slug": "aks-standard-vs-automatic",
    "title": "AKS Standard vs AKS Automatic",
    "session": {
        "code": "BRK120",
        "slug": "brk120",
        "title": "Scaling Kubernetes Securely and Reliably with Azure Kubernetes Service",
        "event": {
            "slug": "ignite-2025",
            "name": "Microsoft Ignite 2025",
            "start_date": "2025-11-17",
            "end_date": "2025-11-21",
            "url": "https://recap.example.com/en/events/ignite-2025/",
            "api_url": "https://recap.example.com/api/v1/events/ignite-2025/",
            "fallback_languages": {},
        },
        "url": "https://recap.example.com/en/sessions/brk120/",
        "api_url": "https://recap.example.com/api/v1/sessions/brk120/",
    },
    "intro": "Both models are the same AKS underneath (“same bits, same AKS”, as the session put "
    "it). What differs is who makes the de…",
    "intro_html": "<p>Both models are the same AKS underneath (“same bits, same AKS”, as the "
    "session put it). What differs is who makes the…</p>",
    "notes": "A cluster can move from one model to the other, and neither hides the Kubernetes "
    "API. The author of the Japanese recap t…",
    "notes_html": "<p>A cluster can move from one model to the other, and neither hides the "
    "Kubernetes API. The author of the Japanese reca…</p>",
    "url": "https://recap.example.com/en/comparisons/aks-standard-vs-automatic/",
    "api_url": "https://recap.example.com/api/v1/comparisons/aks-standard-vs-automatic/",
    "fallback_languages": {},
}

COMPARISON = {
    "slug": "aks-standard-vs-automatic",
    "title": "AKS Standard vs AKS Automatic",
    "session": {
        "code": "BRK120",
        "slug": "brk120",
        "title": "Scaling Kubernetes Securely and Reliably with Azure Kubernetes Service",
        "event": {
            "slug": "ignite-2025",
            "name": "Microsoft Ignite 2025",
            "start_date": "2025-11-17",
            "end_date": "2025-11-21",
            "url": "https://recap.example.com/en/events/ignite-2025/",
            "api_url": "https://recap.example.com/api/v1/events/ignite-2025/",
            "fallback_languages": {},
        },
        "url": "https://recap.example.com/en/sessions/brk120/",
        "api_url": "https://recap.example.com/api/v1/sessions/brk120/",
    },
    "intro": "Both models are the same AKS underneath (“same bits, same AKS”, as the session put "
    "it). What differs is who makes the de…",
    "intro_html": "<p>Both models are the same AKS underneath (“same bits, same AKS”, as the "
    "session put it). What differs is who makes the…</p>",
    "notes": "A cluster can move from one model to the other, and neither hides the Kubernetes "
    "API. The author of the Japanese recap t…",
    "notes_html": "<p>A cluster can move from one model to the other, and neither hides the "
    "Kubernetes API. The author of the Japanese reca…</p>",
    "url": "https://recap.example.com/en/comparisons/aks-standard-vs-automatic/",
    "api_url": "https://recap.example.com/api/v1/comparisons/aks-standard-vs-automatic/",
    "fallback_languages": {},
    "columns": [
        {"label": "Standard", "fallback_languages": {}},
        {"label": "Automatic", "fallback_languages": {}},
    ],
    "rows": [
        {
            "label": "Configuration / control",
            "cells": [
                {
                    "text": "Every setting is yours: networking, node pools and how often to "
                    "upgrade can all be tuned in detail.",
                    "fallback_languages": {},
                },
                {
                    "text": "Quick to get going: defaults that already work are set up for you.",
                    "fallback_languages": {},
                },
            ],
            "fallback_languages": {},
        },
        {
            "label": "Operations",
            "cells": [
                {"text": "Every operational decision is yours to make.", "fallback_languages": {}},
                {
                    "text": "Upgrades, autoscaling and node repair are handled for you, so "
                    "little is left to operate by hand.",
                    "fallback_languages": {},
                },
            ],
            "fallback_languages": {},
        },
    ],
}
CHANGE_IN_LIST = {
    "id": "f8148e37-d99a-4385-8dcd-f77cf0722212",
    "kind": "promoted",
    "kind_label": "Promoted",
    "date": "2026-02-01",
    "date_precision": "month",
    "date_text": "February 2026",
    "recorded_at": "2026-11-30T14:07:18Z",
    "feature": {
        "slug": "acns-container-network-logs",
        "name": "ACNS: Container Network Logs",
        "status": "ga",
        "status_label": "GA",
        "url": "https://recap.example.com/en/features/acns-container-network-logs/",
        "api_url": "https://recap.example.com/api/v1/features/acns-container-network-logs/",
    },
    "status": "ga",
    "previous_status": "public-preview",
    "note": "Generally available, per the documentation",
    "claim": {
        "event": None,
        "is_correction": False,
        "source": {
            "kind": "documentation",
            "kind_label": "Documentation page",
            "session": None,
            "title": "Microsoft Learn",
            "url": "https://learn.microsoft.com/azure/aks/",
            "status_as_written": "GA",
        },
        "checked_on": "2026-11-24",
    },
    "fallback_languages": {},
}
