"""Demo data: UPTD BLKI Bontang as the news report of 30 July 2025 tells it.

`load_demo()` is the one entry point; each capability adds its own step to it, and every
step is idempotent (it creates what is missing and leaves the rest alone), so running
`make demo` again never duplicates anything.
"""
