"""How a page frames its story: loaded terms, attributions, unattributed claims, biased sentences."""
