"""The job sheets' facts: curated data files, a SQL knowledge base and the queries actions use.

Importing this package connects to nothing; see `knowledge.queries`.
"""
