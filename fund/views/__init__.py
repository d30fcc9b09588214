"""Fund pages, by topic."""
