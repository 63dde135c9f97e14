"""``relance serve``: the app in a browser, one trainee session per tab (textual-serve)."""
