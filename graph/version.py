"""harmgraph's version, in a module of its own at the bottom of the package.

Every layer that writes the version (the loader's store stamp, the site's pages, the CLI's
``--version``) imports it from here, so none of them imports the package root, which sits above
every layer. pyproject.toml holds the same number.
"""

__version__ = "0.2.0"
