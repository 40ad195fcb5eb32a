"""Local stand-ins for external services, shared by the test suite and the benchmarks."""
