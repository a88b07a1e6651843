"""docgate's benchmarks (not part of the test suite): `python -m bench run [--quick] [--no-peer]`.

See bench/README.md for what each figure means.
"""
