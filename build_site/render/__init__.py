"""Stage 6, render: page models, Markdown templates and model diagrams."""
