"""vokasi: software for a public vocational training centre."""
