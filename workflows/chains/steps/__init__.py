"""The step types of review chains: who reviews an item, found from its place in the tree."""
