"""Writing, submitting, editing and withdrawing submissions."""
