"""The public API of events, sessions and speakers: serializers, views and their URLs."""
