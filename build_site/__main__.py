"""``python -m build_site``: the same commands as the ``build-site`` script."""

from build_site.cli import main

if __name__ == "__main__":
    main()
