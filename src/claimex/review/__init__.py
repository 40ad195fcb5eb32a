"""Looking at stored claims: one paper in the terminal, exports, a static HTML review page,
and cross-paper comparisons. Reads only; every command opens the store read-only."""
