"""The Streamlit explorer, shipped inside the package as ``harmgraph.app``.

``harmgraph app`` runs ``streamlit_app.py`` from wherever the package is installed. This file
only makes the folder a package so that a wheel carries it; the app itself is run as a script.
"""
