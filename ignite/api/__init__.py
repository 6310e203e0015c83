"""What every endpoint of the public API shares: one error shape, the language of a response,
conditional GET from the content revision, the rate limit, pages of results and the schema.

The endpoints themselves live in the apps (features/api/, sessions/api.py); ignite/urls.py wires
them under /api/v1/. Nothing here imports an app.
"""
