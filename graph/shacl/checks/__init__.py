"""The quality checks beyond SHACL, one ``<what>-violation.rq`` file each (package data).

Each file returns ``?entity ?property ?value`` for every row that fails, and names its rule,
severity and message in ``# rule:``, ``# severity:`` and ``# message:`` header lines. They hold
what SHACL Core cannot say and the compiled engine cannot answer exactly (counts across nodes,
such as one screening record per retrieved item). This package imports nothing from harmgraph.
"""
