"""Consent rules that read beyond the excerpts: free text, archives, aggregates."""
