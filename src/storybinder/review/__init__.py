"""`storybinder review`: the author's decisions on the cleaner's changes, kept beside the story.

decisions.py holds the model and the matching (pure), store.py reads and
writes NAME.review.toml, session.py is what the review page works on.
"""
