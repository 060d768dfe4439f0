"""The body's imported contracts (DECP), each import's report, and the source of every computed value."""
