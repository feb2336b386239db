"""The app's pages, one script per page (run by ``st.navigation``, never imported)."""
