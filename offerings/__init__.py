"""Course offerings: the site of each term, published side by side with mike."""
