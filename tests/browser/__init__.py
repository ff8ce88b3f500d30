"""Browser tests: the built site as a reader meets it, in Debian's Chromium through Playwright."""
