"""Fund forms, by topic."""
