"""The public API of features, areas and comparisons: serializers, views and their URLs."""
