"""Answers from the launch content for the API's documentation (a test checks them against
the schema)."""

BRK120 = {
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
}

SESSION_IN_LIST = {
    "code": "BRK120",
    "slug": "brk120",
    "title": "Scaling Kubernetes Securely and Reliably with Azure Kubernetes Service",
    "kind": "breakout",
    "kind_label": "Breakout",
    "event": {
        "slug": "ignite-2025",
        "name": "Microsoft Ignite 2025",
        "start_date": "2025-11-17",
        "end_date": "2025-11-21",
        "url": "https://recap.example.com/en/events/ignite-2025/",
        "api_url": "https://recap.example.com/api/v1/events/ignite-2025/",
        "fallback_languages": {},
    },
    "summary": "Brendan Burns explained why Microsoft runs its own large services on AKS, what "
    "that taught the team building it, and whe…",
    "summary_html": "<p>Brendan Burns explained why Microsoft runs its own large services on AKS, "
    "what that taught the team building it, and…</p>",
    "official_url": "https://ignite.microsoft.com/en-US/sessions/BRK120",
    "repository_url": None,
    "people": [
        {
            "session_role": "speaker",
            "session_role_label": "Speaker",
            "speaker": {
                "slug": "brendan-burns",
                "name": "Brendan Burns",
                "role": "Corporate Vice President",
                "affiliation": "Microsoft",
                "url": "https://recap.example.com/en/speakers/brendan-burns/",
                "api_url": "https://recap.example.com/api/v1/speakers/brendan-burns/",
                "fallback_languages": {},
            },
        }
    ],
    "feature_count": 13,
    "features_api_url": "https://recap.example.com/api/v1/features/?event=ignite-2025&session=brk120",
    "url": "https://recap.example.com/en/sessions/brk120/",
    "api_url": "https://recap.example.com/api/v1/sessions/brk120/",
    "fallback_languages": {},
}

SESSION = {
    "code": "LAB517",
    "slug": "lab517",
    "title": "Next-Gen AKS Operations with Models, and Agents, and MCPs (oh my!)",
    "kind": "lab",
    "kind_label": "Hands-on lab",
    "event": {
        "slug": "ignite-2025",
        "name": "Microsoft Ignite 2025",
        "start_date": "2025-11-17",
        "end_date": "2025-11-21",
        "url": "https://recap.example.com/en/events/ignite-2025/",
        "api_url": "https://recap.example.com/api/v1/events/ignite-2025/",
        "fallback_languages": {},
    },
    "summary": "A hands-on lab about operating AKS in plain language with generative AI. It puts "
    "three tools to work, the AKS MCP Server…",
    "summary_html": "<p>A hands-on lab about operating AKS in plain language with generative AI. "
    "It puts three tools to work, the AKS MCP Ser…</p>",
    "official_url": "https://ignite.microsoft.com/en-US/sessions/LAB517",
    "repository_url": "https://github.com/microsoft/ignite25-LAB517-next-gen-aks-operations-with-models-and-agents-and-mcps-oh-my",
    "people": [
        {
            "session_role": "content-owner",
            "session_role_label": "Content owner",
            "speaker": {
                "slug": "paul-yu",
                "name": "Paul Yu",
                "role": "",
                "affiliation": "",
                "url": "https://recap.example.com/en/speakers/paul-yu/",
                "api_url": "https://recap.example.com/api/v1/speakers/paul-yu/",
                "fallback_languages": {},
            },
        },
        {
            "session_role": "content-owner",
            "session_role_label": "Content owner",
            "speaker": {
                "slug": "pavneet-ahluwalia",
                "name": "Pavneet Ahluwalia",
                "role": "",
                "affiliation": "",
                "url": "https://recap.example.com/en/speakers/pavneet-ahluwalia/",
                "api_url": "https://recap.example.com/api/v1/speakers/pavneet-ahluwalia/",
                "fallback_languages": {},
            },
        },
    ],
    "feature_count": 0,
    "features_api_url": "https://recap.example.com/api/v1/features/?event=ignite-2025&session=lab517",
    "url": "https://recap.example.com/en/sessions/lab517/",
    "api_url": "https://recap.example.com/api/v1/sessions/lab517/",
    "fallback_languages": {},
    "key_points": [
        {
            "heading": "The three tools",
            "points": [
                {
                    "text": "[AKS MCP Server](https://github.com/Azure/aks-mcp)",
                    "text_html": '<p><a href="https://github.com/Azure/aks-mcp" '
                    'rel="noopener noreferrer">AKS MCP Server</a></p>',
                    "fallback_languages": {},
                },
                {
                    "text": "[CLI Agent for AKS](https://github.com/Azure/cli-agent-for-aks)",
                    "text_html": "<p><a "
                    'href="https://github.com/Azure/cli-agent-for-aks" '
                    'rel="noopener noreferrer">CLI Agent for AKS</a></p>',
                    "fallback_languages": {},
                },
            ],
            "fallback_languages": {},
        },
        {
            "heading": "The models",
            "points": [
                {
                    "text": "The models the agents use are hosted in Azure AI Foundry.",
                    "text_html": "<p>The models the agents use are hosted in Azure AI Foundry.</p>",
                    "fallback_languages": {},
                }
            ],
            "fallback_languages": {},
        },
    ],
}

SPEAKER_IN_LIST = {
    "slug": "brendan-burns",
    "name": "Brendan Burns",
    "role": "Corporate Vice President",
    "affiliation": "Microsoft",
    "bio": "One of the co-creators of Kubernetes. At Ignite 2025 he gave the BRK120 breakout on "
    "scaling Kubernetes securely and reliably with AKS.",
    "bio_html": "<p>One of the co-creators of Kubernetes. At Ignite 2025 he gave the BRK120 "
    "breakout on scaling Kubernetes securely and r…</p>",
    "links": [],
    "sessions": [
        {
            "session_role": "speaker",
            "session_role_label": "Speaker",
            "session": BRK120,
        }
    ],
    "url": "https://recap.example.com/en/speakers/brendan-burns/",
    "api_url": "https://recap.example.com/api/v1/speakers/brendan-burns/",
    "fallback_languages": {},
}

SPEAKER = SPEAKER_IN_LIST  # a speaker in the list is shown whole

EVENT_IN_LIST = {
    "slug": "ignite-2025",
    "name": "Microsoft Ignite 2025",
    "start_date": "2025-11-17",
    "end_date": "2025-11-21",
    "city": "San Francisco",
    "official_url": "https://ignite.microsoft.com/",
    "intro": "This recap covers two sessions from Microsoft Ignite 2025 about Azure Kubernetes "
    "Service (AKS), Azure’s managed Kubernet…",
    "intro_html": "<p>This recap covers two sessions from Microsoft Ignite 2025 about Azure "
    "Kubernetes Service (AKS), Azure’s managed Kuber…</p>",
    "features_api_url": "https://recap.example.com/api/v1/features/?event=ignite-2025",
    "url": "https://recap.example.com/en/events/ignite-2025/",
    "api_url": "https://recap.example.com/api/v1/events/ignite-2025/",
    "fallback_languages": {},
}

EVENT = {
    "slug": "ignite-2025",
    "name": "Microsoft Ignite 2025",
    "start_date": "2025-11-17",
    "end_date": "2025-11-21",
    "city": "San Francisco",
    "official_url": "https://ignite.microsoft.com/",
    "intro": "This recap covers two sessions from Microsoft Ignite 2025 about Azure Kubernetes "
    "Service (AKS), Azure’s managed Kubernet…",
    "intro_html": "<p>This recap covers two sessions from Microsoft Ignite 2025 about Azure "
    "Kubernetes Service (AKS), Azure’s managed Kuber…</p>",
    "features_api_url": "https://recap.example.com/api/v1/features/?event=ignite-2025",
    "url": "https://recap.example.com/en/events/ignite-2025/",
    "api_url": "https://recap.example.com/api/v1/events/ignite-2025/",
    "fallback_languages": {},
    "sessions": [
        {
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
        {
            "code": "LAB517",
            "slug": "lab517",
            "title": "Next-Gen AKS Operations with Models, and Agents, and MCPs (oh my!)",
            "event": {
                "slug": "ignite-2025",
                "name": "Microsoft Ignite 2025",
                "start_date": "2025-11-17",
                "end_date": "2025-11-21",
                "url": "https://recap.example.com/en/events/ignite-2025/",
                "api_url": "https://recap.example.com/api/v1/events/ignite-2025/",
                "fallback_languages": {},
            },
            "url": "https://recap.example.com/en/sessions/lab517/",
            "api_url": "https://recap.example.com/api/v1/sessions/lab517/",
        },
    ],
}
