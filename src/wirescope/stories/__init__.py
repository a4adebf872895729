"""Stories: which stored documents tell the same story, and how each outlet tells it."""
