"""TanyaKerja bot package."""
