"""Pages anyone may see."""
