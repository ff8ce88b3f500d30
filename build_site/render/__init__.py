"""Render: page models, Markdown templates and model diagrams."""
